// SPDX-License-Identifier: AGPL-3.0-or-later
// Several `cleanai serve` instances on one PostgreSQL database, sharing the secrets
// directory, as behind a load balancer: live events cross instances through the change
// feed, the feed's queries do not grow with the streams, and the periodic work has one
// leader that another instance replaces when it dies.
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <thread>

#include "testing/event_stream_client.h"
#include "testing/report_fixtures.h"

namespace cleanai::testing {
namespace {

// A value from the Prometheus text of GET /metrics (-1 when absent).
double Metric(const TestServer& s, const std::string& name) {
  HttpResult r = s.Request("GET", "/metrics");
  size_t at = r.body.find("\n" + name + " ");
  if (at == std::string::npos) return -1;
  return std::strtod(r.body.c_str() + at + name.size() + 2, nullptr);
}

// Waits up to `seconds` for `pred`.
template <typename Pred>
bool Eventually(Pred pred, int seconds = 60) {
  auto end = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < end) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return pred();
}

class ClusterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!BackendAvailable("postgres")) GTEST_SKIP() << "no PostgreSQL test server";
    secrets_ = MakeTempDir();
    a_ = Start("");
    ASSERT_TRUE(a_);
    admin_password_ = a_->admin_password();
    b_ = Start(a_->database_url());
    ASSERT_TRUE(b_);
    admin_ = a_->Login("admin", admin_password_);
  }

  std::unique_ptr<TestServer> Start(const std::string& database_url) {
    ServerOptions o;
    o.backend = "postgres";
    o.env = {{"CLEANAI_STORAGE_SECRETS_DIR", secrets_},
             {"CLEANAI_ALERTS_INTERVAL_SECONDS", "3600"},
             // Sessions stay in memory an hour: only the announcement can end one early.
             {"CLEANAI_AUTH_SESSION_CACHE_SECONDS", "3600"}};
    if (!database_url.empty()) o.env["CLEANAI_DATABASE_URL"] = database_url;
    return TestServer::Start(o);
  }

  std::string secrets_, admin_password_, admin_;
  std::unique_ptr<TestServer> a_, b_;
};

auto ForReport(const std::string& id, const std::string& type) {
  return [id, type](const SseEvent& e) {
    return e.type == type && e.data.find(id) != std::string::npos;
  };
}

TEST_F(ClusterTest, AnEventCommittedThroughOneInstanceReachesStreamsOnTheOther) {
  Account citizen = RegisterCitizen(*a_);
  // One sign-in works on every instance (they share the signing key).
  EventStreamClient admin_on_b(b_->port(), "/api/events", {{"Authorization", "Bearer " + admin_}});
  EventStreamClient citizen_on_b(b_->port(), "/api/events?accessToken=" + citizen.access_token);
  ASSERT_EQ(admin_on_b.status(), 200);
  ASSERT_EQ(citizen_on_b.status(), 200);

  std::string id = FileReport(*a_, citizen.access_token, 24.86, 67.01);
  SseEvent created = admin_on_b.WaitFor(ForReport(id, "report.created"), 20000);
  ASSERT_FALSE(created.id.empty()) << "the admin's stream on B never saw A's report";

  ASSERT_EQ(
      a_->Json("PATCH", "/api/reports/" + id + "/status", R"({"status":"acknowledged"})", admin_)
          .status,
      200);
  EXPECT_FALSE(citizen_on_b.WaitFor(ForReport(id, "report.status_changed"), 20000).id.empty())
      << "the citizen's stream on B never saw the change made on A";
  // The citizen's stream carries only their own events, not another citizen's report.
  Account other = RegisterCitizen(*a_);
  std::string theirs = FileReport(*a_, other.access_token, 24.861, 67.011);
  ASSERT_FALSE(admin_on_b.WaitFor(ForReport(theirs, "report.created"), 20000).id.empty());
  for (const auto& e : citizen_on_b.Events()) {
    EXPECT_EQ(e.data.find(theirs), std::string::npos) << e.type << " " << e.data;
  }

  // Resuming on A with the id B sent: nothing is lost across instances.
  EventStreamClient resumed(a_->port(), "/api/events",
                            {{"Authorization", "Bearer " + admin_}, {"Last-Event-ID", created.id}});
  EXPECT_FALSE(resumed.WaitFor(ForReport(id, "report.status_changed"), 20000).id.empty());
}

TEST_F(ClusterTest, StreamsShareTheInstancesOneFeedSoItsQueriesDoNotGrowWithThem) {
  Account citizen = RegisterCitizen(*a_);
  constexpr int kStreams = 40;
  std::vector<std::unique_ptr<EventStreamClient>> streams;
  for (int i = 0; i < kStreams; ++i) {
    streams.push_back(std::make_unique<EventStreamClient>(
        b_->port(), "/api/events",
        std::map<std::string, std::string>{{"Authorization", "Bearer " + admin_}}));
    ASSERT_EQ(streams.back()->status(), 200);
  }
  EXPECT_TRUE(Eventually([&] { return Metric(*b_, "cleanai_event_streams") == kStreams; }));
  EXPECT_EQ(Metric(*b_, "cleanai_change_feed_listening"), 1);
  double reads_before = Metric(*b_, "cleanai_change_feed_reads_total");

  std::string id = FileReport(*a_, citizen.access_token, 24.87, 67.02);
  for (auto& s : streams) {
    ASSERT_FALSE(s->WaitFor(ForReport(id, "report.created"), 20000).id.empty());
  }
  double reads = Metric(*b_, "cleanai_change_feed_reads_total") - reads_before;
  // A handful (the wake-ups and the feed's periodic safety-net read), not one per stream.
  EXPECT_LT(reads, kStreams / 2) << "the feed read " << reads << " times for one event";
  streams.clear();
  EXPECT_TRUE(Eventually([&] { return Metric(*b_, "cleanai_event_streams") == 0; }));
}

TEST_F(ClusterTest, OneInstanceLeadsThePeriodicWorkAndAnotherTakesOverWhenItDies) {
  auto leaders = [&] {
    return (Metric(*a_, "cleanai_leader") == 1) + (Metric(*b_, "cleanai_leader") == 1);
  };
  ASSERT_TRUE(Eventually([&] { return leaders() == 1; })) << "not exactly one leader";
  // With two instances running, a hazardous report raises its alert once, not twice.
  Account citizen = RegisterCitizen(*a_);
  auto alerts_for = [&](const TestServer& s, const std::string& id) {
    HttpResult r = s.Json("GET", "/api/alerts?limit=200&state=all", "", admin_);
    boost::json::value body = r.Json();  // kept alive: the loop walks into it
    int n = 0;
    if (!body.is_object()) return -1;
    for (const auto& a : body.at("items").as_array()) {
      const auto* rid = a.as_object().if_contains("reportId");
      n += rid && rid->is_string() && rid->as_string() == id;
    }
    return n;
  };
  std::string first = FileReport(*b_, citizen.access_token, 24.88, 67.03, "medical");
  ASSERT_TRUE(Eventually([&] { return alerts_for(*a_, first) >= 1; })) << "no alert";
  std::this_thread::sleep_for(std::chrono::seconds(2));  // room for a second, wrong one
  EXPECT_EQ(alerts_for(*a_, first), 1);

  // The leader dies without a word; the other takes over once the lease runs out.
  bool a_led = Metric(*a_, "cleanai_leader") == 1;
  TestServer& survivor = a_led ? *b_ : *a_;
  (a_led ? a_ : b_)->Kill();
  ASSERT_TRUE(Eventually([&] { return Metric(survivor, "cleanai_leader") == 1; }))
      << "no instance took over the periodic work";
  std::string second = FileReport(survivor, citizen.access_token, 24.89, 67.04, "medical");
  EXPECT_TRUE(Eventually([&] { return alerts_for(survivor, second) == 1; }))
      << "the new leader does not run the alert rules";
}

TEST_F(ClusterTest, AnInstanceStoppedCleanlyHandsLeadershipOverAtOnce) {
  ASSERT_TRUE(Eventually([&] {
    return (Metric(*a_, "cleanai_leader") == 1) + (Metric(*b_, "cleanai_leader") == 1) == 1;
  }));
  bool a_led = Metric(*a_, "cleanai_leader") == 1;
  TestServer& other = a_led ? *b_ : *a_;
  EXPECT_EQ((a_led ? a_ : b_)->Stop(), 0);
  // The lease was handed back: the next renewal round (a quarter of the lease) takes it,
  // without waiting for it to expire. (How soon is for bench/; here: it happens.)
  EXPECT_TRUE(Eventually([&] { return Metric(other, "cleanai_leader") == 1; }));
  auto lines = other.LogLines();
  bool taken = false;
  for (const auto& l : lines) taken = taken || l.find("leadership taken") != std::string::npos;
  EXPECT_TRUE(taken);
}

// A logout, a role change or a deactivation through one instance applies on the other
// at once (its session cache hears cleanai_auth_changes), though both keep sessions in
// memory for an hour.
TEST_F(ClusterTest, ASessionEndedOnOneInstanceIsRefusedOnTheOther) {
  Account a = RegisterCitizen(*a_, "xinst");
  auto me = [](const TestServer& s, const std::string& token) {
    return s.Json("GET", "/api/auth/me", "", token);
  };
  ASSERT_EQ(me(*b_, a.access_token).status, 200);
  const double hits = Metric(*b_, "cleanai_session_cache_hits_total");
  ASSERT_EQ(me(*b_, a.access_token).status, 200);
  EXPECT_GT(Metric(*b_, "cleanai_session_cache_hits_total"), hits) << "b answers from memory";
  ASSERT_EQ(a_->Json("PATCH", "/api/users/" + a.id, Serialize({{"role", "driver"}}), admin_).status,
            200);
  EXPECT_TRUE(
      Eventually([&] { return Str(me(*b_, a.access_token).Json(), "role") == "driver"; }, 10));
  ASSERT_EQ(a_->Json("POST", "/api/auth/logout", "", a.access_token).status, 204);
  EXPECT_TRUE(Eventually([&] { return me(*b_, a.access_token).status == 401; }, 10));
  std::string again = a_->Login(a.username, a.password);
  ASSERT_EQ(me(*b_, again).status, 200);
  ASSERT_EQ(me(*b_, again).status, 200);
  ASSERT_EQ(
      a_->Json("PATCH", "/api/users/" + a.id, Serialize({{"isActive", false}}), admin_).status,
      200);
  EXPECT_TRUE(Eventually([&] { return me(*b_, again).status == 401; }, 10));
}

// A list kept in one instance's memory follows a change made through the other: the
// trigger's NOTIFY reaches b, which forgets what it kept.
TEST_F(ClusterTest, AListKeptOnOneInstanceFollowsAChangeMadeThroughTheOther) {
  Account citizen = RegisterCitizen(*a_, "xlist");
  std::string id = FileReport(*a_, citizen.access_token, 33.6844, 73.0479);
  const std::string page = "/api/reports?limit=200";
  auto status_on_b = [&] {
    auto body = b_->Json("GET", page, "", admin_).Json();
    for (const auto& r : body.at("items").as_array()) {
      if (Str(r, "id") == id) return Str(r, "status");
    }
    return std::string("(absent)");
  };
  ASSERT_EQ(status_on_b(), "submitted");
  const double hits = Metric(*b_, "cleanai_response_cache_hits_total");
  ASSERT_EQ(status_on_b(), "submitted");
  EXPECT_GT(Metric(*b_, "cleanai_response_cache_hits_total"), hits) << "b answers from memory";
  ASSERT_EQ(a_->Json("PATCH", "/api/reports/" + id + "/status",
                     Serialize({{"status", "acknowledged"}}), admin_)
                .status,
            200);
  EXPECT_TRUE(Eventually([&] { return status_on_b() == "acknowledged"; }, 10));
  ASSERT_EQ(a_->Json("DELETE", "/api/reports/" + id, "", admin_).status, 204);
  EXPECT_TRUE(Eventually([&] { return status_on_b() == "(absent)"; }, 10));
}

TEST_F(ClusterTest, AnAdminsBroadcastLimitHoldsAcrossInstances) {
  Account citizen = RegisterCitizen(*a_);
  auto send = [&](const TestServer& s) {
    return s.Json(
        "POST", "/api/notify/push",
        Serialize({{"userId", citizen.id}, {"subject", "Collection"}, {"message", "Tomorrow"}}),
        admin_);
  };
  // Three quick sends through A, the fourth through B: the limit is the same one.
  for (int i = 0; i < 3; ++i) EXPECT_EQ(send(*a_).status, 202) << i;
  HttpResult fourth = send(*b_);
  EXPECT_EQ(fourth.status, 429) << fourth.body;
  EXPECT_FALSE(fourth.Header("retry-after").empty());
  EXPECT_EQ(fourth.Header("content-type"), "application/problem+json");
}

// The AI's model registry across instances (not named Cluster*: TSan runs those, and the
// AI is 100 times slower under it): a model registered and promoted through one
// instance runs on the other within seconds, from the shared bucket, without a restart.
TEST(ModelsAcrossInstancesTest, AModelPromotedThroughOneInstanceRunsOnTheOther) {
  if (!BackendAvailable("postgres")) GTEST_SKIP() << "no PostgreSQL test server";
  const char* endpoint = std::getenv("CLEANAI_TEST_S3_ENDPOINT");
  if (!endpoint) GTEST_SKIP() << "no S3 server (run under scripts/with-swift.sh)";
  const std::string dir = MakeTempDir();
  const std::string py = "/usr/bin/python3 " + std::string(CLEANAI_SOURCE_DIR) + "/ai/";
  ASSERT_EQ(std::system((py + "make_test_model.py " + dir + "/taco-test.onnx").c_str()), 0);
  std::ofstream(dir + "/taco-test.mapping") << "bottle = plastic\ncan = metal\nglass = glass\n";
  ServerOptions o;
  o.backend = "postgres";
  o.env = {
      {"CLEANAI_STORAGE_SECRETS_DIR", MakeTempDir()},
      {"CLEANAI_AI_MODEL", dir + "/taco-test.onnx"},
      {"CLEANAI_STORAGE_MEDIA_URL", std::string("s3://") + std::getenv("CLEANAI_TEST_S3_BUCKET") +
                                        "/" + UniqueName("models") + "/"},
      {"CLEANAI_STORAGE_S3_ENDPOINT", endpoint},
      {"CLEANAI_STORAGE_S3_ACCESS_KEY", std::getenv("CLEANAI_TEST_S3_ACCESS_KEY")},
      {"CLEANAI_STORAGE_S3_SECRET_KEY", std::getenv("CLEANAI_TEST_S3_SECRET_KEY")}};
  auto a = TestServer::Start(o);
  ASSERT_TRUE(a);
  o.env["CLEANAI_DATABASE_URL"] = a->database_url();
  auto b = TestServer::Start(o);
  ASSERT_TRUE(b);
  const std::string admin = a->Login("admin", a->admin_password());

  std::ifstream onnx(dir + "/taco-test.onnx", std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(onnx)), std::istreambuf_iterator<char>());
  auto [type, body] = Multipart({{"names", "bottle\npaper\ncan\nglass\n"},
                                 {"mapping", "bottle = plastic\ncan = metal\nglass = glass\n"},
                                 {"card", R"({"name": "city-week-49"})"}},
                                {{"model", "model.onnx", "application/octet-stream", bytes}});
  HttpResult reg = a->Request("POST", "/api/ai/models", body,
                              {{"Content-Type", type}, {"Authorization", "Bearer " + admin}});
  ASSERT_EQ(reg.status, 201) << reg.body;
  ASSERT_EQ(a->Json("POST", "/api/ai/models/1/promote", "", admin).status, 200);
  auto status_on_b = [&] { return b->Json("GET", "/api/ai/status", "", admin).Json(); };
  ASSERT_TRUE(Eventually([&] { return Str(status_on_b(), "model") == "city-week-49"; }, 30))
      << boost::json::serialize(status_on_b());
  EXPECT_EQ(status_on_b().at("version").to_number<int64_t>(), 1);
  // B loaded it from the bucket: it analyses with it.
  auto [ptype, pbody] =
      Multipart({}, {{"photo", "p.jpg", "image/jpeg", MakeImage("jpeg", 320, 240)}});
  HttpResult analysed = b->Request("POST", "/api/ai/analyze", pbody,
                                   {{"Content-Type", ptype}, {"Authorization", "Bearer " + admin}});
  ASSERT_EQ(analysed.status, 200) << analysed.body;
  EXPECT_EQ(Str(analysed.Json(), "model"), "city-week-49");
}

}  // namespace
}  // namespace cleanai::testing
