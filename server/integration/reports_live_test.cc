// SPDX-License-Identifier: AGPL-3.0-or-later
// Live updates over SSE (/api/events) and "still there" confirmations.
#include <chrono>
#include <memory>
#include <thread>

#include "testing/event_stream_client.h"
#include "testing/report_fixtures.h"

namespace cleanai::testing {
namespace {

class ReportLiveTest : public BackendTest {};

std::unique_ptr<EventStreamClient> Stream(const TestServer& s, const std::string& token,
                                          const std::map<std::string, std::string>& headers = {}) {
  auto h = headers;
  h["Authorization"] = "Bearer " + token;
  return std::make_unique<EventStreamClient>(s.port(), "/api/events", h);
}

auto ForReport(const std::string& id, const std::string& type) {
  return [id, type](const SseEvent& e) {
    return e.type == type && e.data.find(id) != std::string::npos;
  };
}

// How fast the event arrives is measured in bench/ (a busy machine must not fail a test);
// here it must arrive, with a generous wait.
TEST_P(ReportLiveTest, AdminSeesANewReportLive) {
  TestServer& s = server();
  Staff st = MakeStaff(s);
  Account citizen = RegisterCitizen(s, "live");
  auto admin_stream = Stream(s, st.admin);
  ASSERT_EQ(admin_stream->status(), 200);
  EXPECT_NE(admin_stream->raw_head().find("text/event-stream"), std::string::npos);

  std::string id = FileReport(s, citizen.access_token, 31.6, 74.4);
  SseEvent e = admin_stream->WaitFor(ForReport(id, "report.created"), 15000);
  ASSERT_FALSE(e.id.empty()) << "no report.created event";
  auto data = boost::json::parse(e.data);
  EXPECT_EQ(Str(data.at("report"), "status"), "submitted");
  EXPECT_EQ(Str(data.at("report").at("reporter"), "username"), citizen.username);  // admin view

  // A status change follows on the same stream.
  ASSERT_EQ(
      s.Json("PATCH", "/api/reports/" + id + "/status", R"({"status":"acknowledged"})", st.admin)
          .status,
      200);
  EXPECT_FALSE(admin_stream->WaitFor(ForReport(id, "report.status_changed"), 3000).id.empty());
}

TEST_P(ReportLiveTest, CitizensAndDriversSeeOnlyWhatConcernsThem) {
  TestServer& s = server();
  Staff st = MakeStaff(s);
  Account a = RegisterCitizen(s, "livea");
  Account b = RegisterCitizen(s, "liveb");
  auto a_stream = Stream(s, a.access_token);
  auto b_stream = Stream(s, b.access_token);
  // EventSource in browsers cannot send headers: the token may come in the query.
  EventStreamClient driver_stream(s.port(), "/api/events?accessToken=" + st.driver_token);
  ASSERT_EQ(driver_stream.status(), 200);

  std::string id = FileReport(s, a.access_token, 31.61, 74.41);
  ASSERT_EQ(s.Json("PATCH", "/api/fleet/" + st.vehicle_id + "/assign",
                   Serialize({{"reportId", id}}), st.admin)
                .status,
            200);
  EXPECT_FALSE(a_stream->WaitFor(ForReport(id, "report.created"), 3000).id.empty());
  SseEvent dispatched = a_stream->WaitFor(ForReport(id, "report.dispatched"), 3000);
  ASSERT_FALSE(dispatched.id.empty());
  EXPECT_EQ(Str(boost::json::parse(dispatched.data).at("report"), "status"), "dispatched");
  SseEvent job = driver_stream.WaitFor(ForReport(id, "report.dispatched"), 3000);
  ASSERT_FALSE(job.id.empty()) << "the driver did not get the assignment";
  EXPECT_EQ(job.data.find(a.username), std::string::npos) << "driver saw who filed it";
  // B hears nothing of A's report.
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  for (const auto& e : b_stream->Events()) EXPECT_EQ(e.data.find(id), std::string::npos);
}

TEST_P(ReportLiveTest, ResumingWithLastEventIdDeliversWhatWasMissed) {
  TestServer& s = server();
  Staff st = MakeStaff(s);
  Account a = RegisterCitizen(s, "resume");
  auto first = Stream(s, a.access_token);
  std::string id = FileReport(s, a.access_token, 31.62, 74.42);
  SseEvent created = first->WaitFor(ForReport(id, "report.created"), 3000);
  ASSERT_FALSE(created.id.empty());
  first->Close();

  // While disconnected: two changes.
  ASSERT_EQ(
      s.Json("PATCH", "/api/reports/" + id + "/status", R"({"status":"acknowledged"})", st.admin)
          .status,
      200);
  ASSERT_EQ(s.Json("PATCH", "/api/reports/" + id + "/status",
                   R"({"status":"rejected","reason":"private land"})", st.admin)
                .status,
            200);

  auto again = Stream(s, a.access_token, {{"Last-Event-ID", created.id}});
  ASSERT_EQ(again->status(), 200);
  SseEvent rejected = again->WaitFor(
      [&](const SseEvent& e) {
        return e.data.find("\"rejected\"") != std::string::npos &&
               e.data.find(id) != std::string::npos;
      },
      3000);
  ASSERT_FALSE(rejected.id.empty());
  auto events = again->Events();
  ASSERT_GE(events.size(), 2u);
  EXPECT_GT(std::stoll(events[0].id), std::stoll(created.id));
  for (const auto& e : events) EXPECT_NE(e.id, created.id) << "an event delivered twice";
  EXPECT_NE(events[0].data.find("acknowledged"), std::string::npos)
      << "missed event not replayed first";

  EXPECT_EQ(Stream(s, a.access_token, {{"Last-Event-ID", "yesterday"}})->status(), 422);
  EXPECT_EQ(EventStreamClient(s.port(), "/api/events").status(), 401);
}

TEST_P(ReportLiveTest, ManyOpenStreamsDoNotStarveOtherRequests) {
  TestServer& s = server();
  Account a = RegisterCitizen(s, "many");
  std::vector<std::unique_ptr<EventStreamClient>> streams;
  for (int i = 0; i < 40; ++i) {
    streams.push_back(Stream(s, a.access_token));
    ASSERT_EQ(streams.back()->status(), 200);
  }
  // Every request is answered while the streams stay open (each has the client's 20 s).
  for (int i = 0; i < 20; ++i) EXPECT_EQ(s.Json("GET", "/healthz").status, 200);
  std::string id = FileReport(s, a.access_token, 31.63, 74.43);
  for (auto& st : streams)
    EXPECT_FALSE(st->WaitFor(ForReport(id, "report.created"), 3000).id.empty());
}

TEST_P(ReportLiveTest, StillThereConfirmations) {
  TestServer& s = server();
  Staff st = MakeStaff(s);
  Account reporter = RegisterCitizen(s, "conf");
  std::string id = FileReport(s, reporter.access_token, -1.2921, 36.8219);
  auto confirm = [&](const std::string& token, const std::string& kind) {
    return s.Json("POST", "/api/reports/" + id + "/confirm", Serialize({{"kind", kind}}), token);
  };
  EXPECT_EQ(confirm(reporter.access_token, "still_there").status, 409);
  std::vector<Account> neighbours;
  for (int i = 0; i < 3; ++i) neighbours.push_back(RegisterCitizen(s, "nb"));
  HttpResult one = confirm(neighbours[0].access_token, "still_there");
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(one.Json().at("confirmations").as_int64(), 1);
  EXPECT_FALSE(one.Json().as_object().contains("reporter"));
  EXPECT_EQ(Str(one.Json(), "priority"), "medium");
  // Answering again replaces the answer rather than counting twice.
  EXPECT_EQ(confirm(neighbours[0].access_token, "more").Json().at("confirmations").as_int64(), 1);
  confirm(neighbours[1].access_token, "still_there");
  HttpResult third = confirm(neighbours[2].access_token, "more");
  EXPECT_EQ(third.Json().at("confirmations").as_int64(), 3);
  EXPECT_EQ(Str(third.Json(), "priority"), "high");
  EXPECT_EQ(confirm(neighbours[2].access_token, "maybe").status, 422);
  EXPECT_EQ(confirm(st.admin, "still_there").status, 403);
  // Confirming subscribed them: they hear when it is acknowledged.
  ASSERT_EQ(
      s.Json("PATCH", "/api/reports/" + id + "/status", R"({"status":"acknowledged"})", st.admin)
          .status,
      200);
  auto kinds = NotificationKinds(s, neighbours[1].access_token);
  EXPECT_EQ(kinds, std::vector<std::string>{"report.acknowledged"});
  // Closed reports take no confirmations.
  ASSERT_EQ(s.Json("PATCH", "/api/reports/" + id + "/status",
                   R"({"status":"rejected","reason":"done"})", st.admin)
                .status,
            200);
  EXPECT_EQ(confirm(neighbours[0].access_token, "cleaned").status, 404);
  HttpResult trail = s.Json("GET", "/api/reports/" + id + "/events", "", st.admin);
  int confirmations = 0;
  auto trail_json = trail.Json();
  for (const auto& e : trail_json.at("items").as_array())
    confirmations += Str(e, "type") == "report.confirmed";
  EXPECT_EQ(confirmations, 4);
}

INSTANTIATE_TEST_SUITE_P(Backends, ReportLiveTest, ::testing::ValuesIn(TestBackends()),
                         BackendName);

}  // namespace
}  // namespace cleanai::testing
