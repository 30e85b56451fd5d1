// SPDX-License-Identifier: AGPL-3.0-or-later
// Web Push through the outbox to a push service on loopback (server/testing/push_endpoint.py,
// Debian's python3-cryptography): the VAPID signature checks out and the payload decrypts
// with the subscription's own keys; a subscription the service calls gone is removed;
// words follow the user's language; admins send and filter the history.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "testing/event_stream_client.h"
#include "testing/local_peer.h"
#include "testing/report_fixtures.h"

namespace cleanai::testing {
namespace {

// The push service and browser of push_endpoint.py: decrypted payloads land in files.
class PushEndpoint {
 public:
  PushEndpoint()
      : port_(FreeLoopbackPort()),
        dir_(MakeTempDir() + "/push"),
        peer_({"/usr/bin/python3",
               std::string(CLEANAI_SOURCE_DIR) + "/server/testing/push_endpoint.py",
               std::to_string(port_), dir_},
              port_) {
    boost::system::error_code ec;
    auto sub = boost::json::parse(Read(dir_ + "/subscription.json"), ec);
    if (!ec) {
      p256dh_ = Str(sub, "p256dh");
      auth_ = Str(sub, "auth");
    }
  }
  bool up() const { return peer_.up() && !p256dh_.empty(); }
  // A subscription body as the browser's PushSubscription.toJSON() gives it; `path` is
  // push/<name>, gone/<name> or fail/<name>.
  std::string Subscription(const std::string& path) const {
    return Serialize({{"endpoint", "http://127.0.0.1:" + std::to_string(port_) + "/" + path},
                      {"expirationTime", nullptr},
                      {"keys", {{"p256dh", p256dh_}, {"auth", auth_}}}});
  }
  // The decrypted payloads received for `name`, waiting up to `timeout_ms` for `count`.
  std::vector<boost::json::value> WaitFor(const std::string& name, size_t count,
                                          int timeout_ms) const {
    std::vector<boost::json::value> out;
    auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (true) {
      out.clear();
      for (size_t i = 1;; ++i) {
        std::string path = dir_ + "/" + name + "-" + std::to_string(i) + ".json";
        if (!std::filesystem::exists(path)) break;
        out.push_back(boost::json::parse(Read(path)));
      }
      if (out.size() >= count || std::chrono::steady_clock::now() > end) return out;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }

 private:
  static std::string Read(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  int port_;
  std::string dir_;
  LocalPeer peer_;
  std::string p256dh_, auth_;
};

class NotifyPushTest : public BackendTest {
 protected:
  std::unique_ptr<TestServer> Serve(std::map<std::string, std::string> extra = {}) {
    ServerOptions o;
    o.backend = GetParam();
    o.env = {{"CLEANAI_NOTIFY_WORKER_INTERVAL_MS", "200"},
             {"CLEANAI_NOTIFY_MAX_ATTEMPTS", "2"},
             {"CLEANAI_NOTIFY_RETRY_BASE_SECONDS", "1"},
             {"CLEANAI_NOTIFY_PUSH_SUBJECT", "mailto:ops@clean.example.org"},
             // The stand-in push service listens on loopback; real ones are allow-listed.
             {"CLEANAI_NOTIFY_PUSH_HOSTS", "fcm.googleapis.com,127.0.0.1"}};
    for (auto& [k, v] : extra) o.env[k] = v;
    return TestServer::Start(o);
  }
  // The newest notification of `kind` in the user's history, once its deliveries settled.
  boost::json::value Settled(const TestServer& s, const std::string& token,
                             const std::string& kind) {
    boost::json::value found;
    for (int i = 0; i < 80; ++i) {
      auto v = s.Json("GET", "/api/notify/history?kind=" + kind, "", token).Json();
      found = v.at("items").as_array().empty() ? boost::json::value() : v.at("items").at(0);
      bool settled = found.is_object();
      if (settled) {
        for (const auto& d : found.at("deliveries").as_array()) {
          settled &= Str(d, "status") == "sent" || Str(d, "status") == "dead";
        }
      }
      if (settled) return found;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return found;
  }
};

TEST_P(NotifyPushTest, EachDeviceGetsTheNotificationEncryptedForItsKeys) {
  PushEndpoint push;
  ASSERT_TRUE(push.up()) << "push_endpoint.py did not start (needs python3-cryptography)";
  auto s = Serve();
  ASSERT_TRUE(s);
  Account a = RegisterCitizen(*s);
  HttpResult key = s->Json("GET", "/api/notify/push/key", "", a.access_token);
  ASSERT_EQ(key.status, 200) << key.body;
  EXPECT_EQ(Str(key.Json(), "publicKey").size(), 87u);  // 65 bytes, base64url
  for (const char* device : {"push/phone", "push/laptop"}) {
    HttpResult sub = s->Json("POST", "/api/notify/push/subscriptions", push.Subscription(device),
                             a.access_token);
    ASSERT_EQ(sub.status, 204) << sub.body;
  }
  const std::string report_id = FileReport(*s, a.access_token, 31.52, 74.35);
  auto phone = push.WaitFor("phone", 1, 8000);
  auto laptop = push.WaitFor("laptop", 1, 8000);
  ASSERT_EQ(phone.size(), 1u);
  ASSERT_EQ(laptop.size(), 1u);
  EXPECT_EQ(Str(phone[0], "title"), "Report received");
  EXPECT_EQ(Str(phone[0], "kind"), "report.received");
  EXPECT_EQ(Str(phone[0], "url"), "/reports/" + report_id);  // the report's own page
  EXPECT_NE(Str(phone[0], "body").find("was received"), std::string::npos);
  auto item = Settled(*s, a.access_token, "report.received");
  ASSERT_TRUE(item.is_object());
  EXPECT_EQ(Str(phone[0], "id"), Str(item, "id"));  // the service worker's tag
  ASSERT_EQ(item.at("deliveries").as_array().size(), 2u);
  for (const auto& d : item.at("deliveries").as_array()) {
    EXPECT_EQ(Str(d, "channel"), "push");
    EXPECT_EQ(Str(d, "status"), "sent");
    EXPECT_EQ(Str(d, "response"), "push service HTTP 201");
  }
  // Unsubscribing one device stops its pushes; someone else cannot remove the other.
  Account other = RegisterCitizen(*s);
  const std::string laptop_endpoint =
      std::string(boost::json::parse(push.Subscription("push/laptop")).at("endpoint").as_string());
  EXPECT_EQ(s->Json("DELETE", "/api/notify/push/subscriptions",
                    Serialize({{"endpoint", laptop_endpoint}}), other.access_token)
                .status,
            404);
  EXPECT_EQ(s->Json("DELETE", "/api/notify/push/subscriptions",
                    Serialize({{"endpoint", laptop_endpoint}}), a.access_token)
                .status,
            204);
  FileReport(*s, a.access_token, 31.53, 74.36);
  EXPECT_EQ(push.WaitFor("phone", 2, 8000).size(), 2u);
  EXPECT_EQ(push.WaitFor("laptop", 2, 500).size(), 1u);
}

TEST_P(NotifyPushTest, NotificationsSpeakTheUsersLanguage) {
  PushEndpoint push;
  ASSERT_TRUE(push.up());
  auto s = Serve();
  ASSERT_TRUE(s);
  Account a = RegisterCitizen(*s);
  HttpResult lang =
      s->Json("PUT", "/api/notify/preferences", R"({"language":"ur"})", a.access_token);
  ASSERT_EQ(lang.status, 200) << lang.body;
  EXPECT_EQ(Str(lang.Json(), "language"), "ur");
  ASSERT_EQ(s->Json("POST", "/api/notify/push/subscriptions", push.Subscription("push/ur"),
                    a.access_token)
                .status,
            204);
  FileReport(*s, a.access_token, 31.52, 74.35);
  auto got = push.WaitFor("ur", 1, 8000);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(Str(got[0], "title"), "رپورٹ موصول ہو گئی");
  EXPECT_NE(Str(got[0], "body").find("پلاسٹک"), std::string::npos) << Str(got[0], "body");
  auto item = Settled(*s, a.access_token, "report.received");
  EXPECT_EQ(Str(item, "title"), "رپورٹ موصول ہو گئی");  // in-app too
  for (const char* bad :
       {R"({"language":"fr"})", R"({"language":5})", R"({})", R"({"language":"ur","x":1})"}) {
    EXPECT_EQ(s->Json("PUT", "/api/notify/preferences", bad, a.access_token).status, 422) << bad;
  }
  EXPECT_EQ(Str(s->Json("GET", "/api/notify/preferences", "", a.access_token).Json(), "language"),
            "ur");
}

TEST_P(NotifyPushTest, AGoneSubscriptionIsRemovedAndAFailingServiceRetried) {
  PushEndpoint push;
  ASSERT_TRUE(push.up());
  auto s = Serve();
  ASSERT_TRUE(s);
  Account gone = RegisterCitizen(*s), failing = RegisterCitizen(*s);
  ASSERT_EQ(s->Json("POST", "/api/notify/push/subscriptions", push.Subscription("gone/x"),
                    gone.access_token)
                .status,
            204);
  ASSERT_EQ(s->Json("POST", "/api/notify/push/subscriptions", push.Subscription("fail/y"),
                    failing.access_token)
                .status,
            204);
  FileReport(*s, gone.access_token, 31.52, 74.35);
  FileReport(*s, failing.access_token, 31.53, 74.36);
  auto item = Settled(*s, gone.access_token, "report.received");
  ASSERT_EQ(item.at("deliveries").as_array().size(), 1u);
  const auto& d = item.at("deliveries").at(0);
  EXPECT_EQ(Str(d, "status"), "dead");
  EXPECT_EQ(d.at("attempts").as_int64(), 1);  // not retried: the device is gone
  EXPECT_NE(Str(d, "response").find("410"), std::string::npos) << Str(d, "response");
  const std::string endpoint =
      std::string(boost::json::parse(push.Subscription("gone/x")).at("endpoint").as_string());
  EXPECT_EQ(s->Json("DELETE", "/api/notify/push/subscriptions", Serialize({{"endpoint", endpoint}}),
                    gone.access_token)
                .status,
            404);  // already removed
  auto retried = Settled(*s, failing.access_token, "report.received");
  const auto& f = retried.at("deliveries").at(0);
  EXPECT_EQ(Str(f, "status"), "dead");
  EXPECT_EQ(f.at("attempts").as_int64(), 2);  // 500: tried again, then given up
}

TEST_P(NotifyPushTest, SubscriptionsAreCheckedAndPushCanBeOff) {
  auto s = Serve();
  ASSERT_TRUE(s);
  Account a = RegisterCitizen(*s);
  const std::string p256dh =
      "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
  auto body = [&](const std::string& endpoint, const std::string& key, const std::string& auth) {
    return Serialize({{"endpoint", endpoint}, {"keys", {{"p256dh", key}, {"auth", auth}}}});
  };
  auto post = [&](const std::string& b) {
    return s->Json("POST", "/api/notify/push/subscriptions", b, a.access_token).status;
  };
  EXPECT_EQ(post(body("https://fcm.googleapis.com/fcm/send/1", p256dh, "BTBZMqHH6r4Tts7J_aSIgg")),
            204);
  EXPECT_EQ(post(body("http://fcm.googleapis.com/fcm/send/1", p256dh, "BTBZMqHH6r4Tts7J_aSIgg")),
            422);
  // Not a push service: the server would call into its own network for anyone.
  EXPECT_EQ(post(body("https://push.example.net/send/1", p256dh, "BTBZMqHH6r4Tts7J_aSIgg")), 422);
  EXPECT_EQ(post(body("https://169.254.169.254/latest", p256dh, "BTBZMqHH6r4Tts7J_aSIgg")), 422);
  EXPECT_EQ(post(body("ftp://push.example.net/1", p256dh, "BTBZMqHH6r4Tts7J_aSIgg")), 422);
  EXPECT_EQ(post(body("https://fcm.googleapis.com/" + std::string(1100, 'a'), p256dh,
                      "BTBZMqHH6r4Tts7J_aSIgg")),
            422);
  std::string off_curve = p256dh;
  off_curve[40] = off_curve[40] == 'A' ? 'B' : 'A';
  EXPECT_EQ(post(body("https://fcm.googleapis.com/send/2", off_curve, "BTBZMqHH6r4Tts7J_aSIgg")),
            422);
  EXPECT_EQ(post(body("https://fcm.googleapis.com/send/2", p256dh, "short")), 422);
  EXPECT_EQ(post(R"({"endpoint":"https://push.example.net/send/3"})"), 422);
  EXPECT_EQ(post(R"({"endpoint":"https://push.example.net/send/3","keys":"x","more":1})"), 422);
  EXPECT_EQ(post("[1]"), 400);
  EXPECT_EQ(s->Json("POST", "/api/notify/push/subscriptions",
                    body("https://fcm.googleapis.com/send/1", p256dh, "BTBZMqHH6r4Tts7J_aSIgg"), "")
                .status,
            401);
  EXPECT_EQ(s->Json("DELETE", "/api/notify/push/subscriptions",
                    R"({"endpoint":"https://push.example.net/none"})", a.access_token)
                .status,
            404);

  auto off = Serve({{"CLEANAI_NOTIFY_PUSH", "false"}});
  ASSERT_TRUE(off);
  Account b = RegisterCitizen(*off);
  EXPECT_EQ(off->Json("GET", "/api/notify/push/key", "", b.access_token).status, 409);
  EXPECT_EQ(off->Json("POST", "/api/notify/push/subscriptions",
                      body("https://fcm.googleapis.com/send/1", p256dh, "BTBZMqHH6r4Tts7J_aSIgg"),
                      b.access_token)
                .status,
            409);
}

TEST_P(NotifyPushTest, AdminsPushToARoleAndFilterTheHistory) {
  PushEndpoint push;
  ASSERT_TRUE(push.up());
  auto s = Serve();
  ASSERT_TRUE(s);
  Staff st = MakeStaff(*s);
  ASSERT_EQ(s->Json("POST", "/api/notify/push/subscriptions", push.Subscription("push/driver"),
                    st.driver.access_token)
                .status,
            204);
  HttpResult sent = s->Json("POST", "/api/notify/push",
                            Serialize({{"role", "driver"},
                                       {"subject", "Depot closed"},
                                       {"message", "Unload at the north depot today."}}),
                            st.admin);
  ASSERT_EQ(sent.status, 202) << sent.body;
  auto got = push.WaitFor("driver", 1, 8000);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(Str(got[0], "title"), "Depot closed");
  EXPECT_EQ(Str(got[0], "kind"), "admin.message");
  // A dispatch reaches the driver's phone with the driver's page to open.
  Account c = RegisterCitizen(*s);
  const std::string report = FileReport(*s, c.access_token, 31.52, 74.35);
  ASSERT_EQ(s->Json("PATCH", "/api/fleet/" + st.vehicle_id + "/assign",
                    Serialize({{"reportId", report}}), st.admin)
                .status,
            200);
  got = push.WaitFor("driver", 2, 8000);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(Str(got[1], "kind"), "assignment.new");
  EXPECT_EQ(Str(got[1], "url"), "/driver");
  Settled(*s, st.driver.access_token, "assignment.new");

  auto count = [&](const std::string& query, const std::string& token) -> int {
    HttpResult h = s->Json("GET", "/api/notify/history?" + query, "", token);
    EXPECT_EQ(h.status, 200) << query << " " << h.body;
    return h.status == 200 ? static_cast<int>(h.Json().at("items").as_array().size()) : -1;
  };
  const std::string driver = "userId=" + st.driver.id;
  EXPECT_EQ(count(driver, st.admin), 2);
  EXPECT_EQ(count(driver + "&kind=admin.message", st.admin), 1);
  EXPECT_EQ(count(driver + "&channel=push&status=sent", st.admin), 2);
  EXPECT_EQ(count(driver + "&channel=email", st.admin), 0);
  EXPECT_EQ(count(driver + "&status=dead", st.admin), 0);
  EXPECT_EQ(count("userId=all&kind=report.received", st.admin), 1);
  EXPECT_EQ(count(driver + "&from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z", st.admin), 0);
  EXPECT_EQ(count(driver + "&from=2000-01-01T00:00:00Z", st.admin), 2);
  EXPECT_EQ(count("kind=assignment.new", st.driver.access_token), 1);  // their own
  for (const char* bad : {"kind=report.flying", "channel=pigeon", "status=lost", "from=yesterday",
                          "to=2024-13-01T00:00:00Z"}) {
    EXPECT_EQ(s->Json("GET", std::string("/api/notify/history?") + bad, "", st.admin).status, 422)
        << bad;
  }
  EXPECT_EQ(s->Json("GET", "/api/notify/history?" + driver, "", c.access_token).status, 422);
  EXPECT_EQ(
      s->Json("POST", "/api/notify/push",
              Serialize({{"role", "driver"}, {"subject", "x"}, {"message", "y"}}), c.access_token)
          .status,
      403);
}

TEST_P(NotifyPushTest, EachNotificationReachesItsUserOnTheLiveStreamOnly) {
  auto s = Serve();
  ASSERT_TRUE(s);
  Account a = RegisterCitizen(*s), b = RegisterCitizen(*s);
  EventStreamClient mine(s->port(), "/api/events?accessToken=" + a.access_token);
  EventStreamClient theirs(s->port(), "/api/events?accessToken=" + b.access_token);
  ASSERT_EQ(mine.status(), 200);
  ASSERT_EQ(theirs.status(), 200);
  const std::string id = FileReport(*s, a.access_token, 31.52, 74.35);
  SseEvent e =
      mine.WaitFor([](const SseEvent& e) { return e.type == "notification.created"; }, 5000);
  ASSERT_FALSE(e.id.empty());
  auto v = boost::json::parse(e.data);
  EXPECT_EQ(Str(v, "kind"), "report.received");
  EXPECT_EQ(Str(v, "title"), "Report received");
  EXPECT_EQ(Str(v, "reportId"), id);
  EXPECT_TRUE(
      theirs.WaitFor([](const SseEvent& e) { return e.type == "notification.created"; }, 800)
          .id.empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, NotifyPushTest, ::testing::Values("sqlite", "postgres"),
                         BackendName);

}  // namespace
}  // namespace cleanai::testing
