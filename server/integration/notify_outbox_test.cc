// SPDX-License-Identifier: AGPL-3.0-or-later
// Email through the outbox to a real SMTP server (Debian's python3-aiosmtpd, on loopback,
// writing a Maildir the test reads): delivered with a stable Message-ID, retried then
// dead when the server is away, and exactly once across a kill -9 before delivery.

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "testing/local_peer.h"
#include "testing/report_fixtures.h"
#include "testing/stub_http_server.h"

namespace cleanai::testing {
namespace {

// aiosmtpd with its Mailbox handler: every message becomes a file in maildir/new.
class SmtpSink {
 public:
  SmtpSink()
      : port_(FreeLoopbackPort()),
        dir_(MakeTempDir() + "/maildir"),
        peer_({"/usr/bin/python3", "-m", "aiosmtpd", "-n", "-l",
               "127.0.0.1:" + std::to_string(port_), "-c", "aiosmtpd.handlers.Mailbox", dir_},
              port_) {}
  bool up() const { return peer_.up(); }
  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }

  // Messages received so far whose text contains `needle`.
  std::vector<std::string> Messages(const std::string& needle) const {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir_ + "/new", ec)) {
      std::ifstream in(e.path());
      std::stringstream ss;
      ss << in.rdbuf();
      if (ss.str().find(needle) != std::string::npos) out.push_back(ss.str());
    }
    return out;
  }
  std::vector<std::string> WaitFor(const std::string& needle, size_t count, int timeout_ms) const {
    auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    std::vector<std::string> found;
    while (std::chrono::steady_clock::now() < end) {
      found = Messages(needle);
      if (found.size() >= count) return found;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return found;
  }

 private:
  int port_;
  std::string dir_;
  LocalPeer peer_;
};

class NotifyOutboxTest : public BackendTest {
 protected:
  std::map<std::string, std::string> Env(const std::string& smtp_url, int interval_ms) {
    return {{"CLEANAI_NOTIFY_SMTP_URL", smtp_url},
            {"CLEANAI_NOTIFY_SMTP_FROM", "CleanAI <noreply@clean.example.org>"},
            {"CLEANAI_NOTIFY_SMTP_STARTTLS", "false"},
            {"CLEANAI_NOTIFY_SMTP_TIMEOUT_SECONDS", "3"},
            {"CLEANAI_NOTIFY_WORKER_INTERVAL_MS", std::to_string(interval_ms)},
            {"CLEANAI_NOTIFY_MAX_ATTEMPTS", "2"},
            {"CLEANAI_NOTIFY_RETRY_BASE_SECONDS", "1"},
            {"CLEANAI_SERVER_PUBLIC_URL", "https://clean.example.org"}};
  }
  // A server of this test's backend with `env`.
  std::unique_ptr<TestServer> Serve(std::map<std::string, std::string> env) {
    ServerOptions o;
    o.backend = GetParam();
    o.env = std::move(env);
    return TestServer::Start(o);
  }
  // The notification "Report received" of the citizen's newest report, with its deliveries.
  boost::json::value Received(const TestServer& s, const Account& a) {
    auto v = s.Json("GET", "/api/notify/history", "", a.access_token).Json();
    for (const auto& item : v.at("items").as_array()) {
      if (Str(item, "kind") == "report.received") return item;
    }
    return nullptr;
  }
};

TEST_P(NotifyOutboxTest, EmailArrivesWithAStableMessageId) {
  SmtpSink smtp;
  ASSERT_TRUE(smtp.up()) << "aiosmtpd did not start (make setup-test installs python3-aiosmtpd)";
  auto s = Serve(Env(smtp.url(), 200));
  ASSERT_TRUE(s);
  Account a = RegisterCitizen(*s);
  const std::string report_id = FileReport(*s, a.access_token, 31.52, 74.35);
  auto item = Received(*s, a);
  ASSERT_TRUE(item.is_object());
  const std::string id = Str(item, "id");
  auto mails = smtp.WaitFor("<" + id + "@clean.example.org>", 1, 8000);
  ASSERT_EQ(mails.size(), 1u);
  const std::string& m = mails[0];
  EXPECT_NE(m.find("To: <" + a.email + ">"), std::string::npos) << m;
  EXPECT_NE(m.find("Subject: Report received"), std::string::npos);
  EXPECT_NE(m.find("multipart/alternative"), std::string::npos);
  EXPECT_NE(m.find("Content-Type: text/html"), std::string::npos);
  // The link opens the report itself, on the public address (not the server's own).
  EXPECT_NE(m.find("https://clean.example.org/reports/" + report_id), std::string::npos) << m;
  EXPECT_NE(m.find("List-Unsubscribe: <https://clean.example.org/settings/notifications>"),
            std::string::npos);
  // The history shows it sent.
  for (int i = 0; i < 50; ++i) {
    item = Received(*s, a);
    if (Str(item.at("deliveries").at(0), "status") == "sent") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(Str(item.at("deliveries").at(0), "channel"), "email");
  EXPECT_EQ(Str(item.at("deliveries").at(0), "status"), "sent");
  EXPECT_EQ(item.at("deliveries").at(0).at("attempts").as_int64(), 1);
}

TEST_P(NotifyOutboxTest, AnAbsentServerIsRetriedThenDeadAndNeverBlocksTheApi) {
  ServerOptions o;
  o.backend = GetParam();
  o.env = Env("smtp://127.0.0.1:" + std::to_string(FreeLoopbackPort()), 200);  // nobody listens
  auto s = TestServer::Start(o);
  ASSERT_TRUE(s);
  Account a = RegisterCitizen(*s);
  // The report is accepted although the mail server is unreachable (the delivery waits in
  // the outbox); how fast is measured in bench/, not asserted here.
  EXPECT_FALSE(FileReport(*s, a.access_token, 31.52, 74.35).empty());
  boost::json::value item;
  std::string status;
  for (int i = 0; i < 100 && status != "dead"; ++i) {
    item = Received(*s, a);
    status = Str(item.at("deliveries").at(0), "status");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(status, "dead");  // two attempts, a second or so apart
  EXPECT_EQ(item.at("deliveries").at(0).at("attempts").as_int64(), 2);
  EXPECT_FALSE(Str(item.at("deliveries").at(0), "response").empty());
}

TEST_P(NotifyOutboxTest, KilledBeforeDeliveryTheMailArrivesOnceAfterRestart) {
  SmtpSink smtp;
  ASSERT_TRUE(smtp.up());
  ServerOptions first;
  first.backend = GetParam();
  first.env = Env(smtp.url(), 600000);  // its outbox will not run again before the kill
  auto a_server = TestServer::Start(first);
  ASSERT_TRUE(a_server);
  Account a = RegisterCitizen(*a_server);
  FileReport(*a_server, a.access_token, 31.52, 74.35);
  const std::string id = Str(Received(*a_server, a), "id");
  ASSERT_FALSE(id.empty());
  a_server->Kill();  // committed, not delivered
  EXPECT_TRUE(smtp.Messages(id).empty());

  ServerOptions second;
  second.backend = GetParam();
  second.env = Env(smtp.url(), 200);
  second.env["CLEANAI_DATABASE_URL"] = a_server->database_url();
  second.env["CLEANAI_STORAGE_DATA_DIR"] = a_server->data_dir();
  auto b_server = TestServer::Start(second);
  ASSERT_TRUE(b_server);
  auto mails = smtp.WaitFor("<" + id + "@clean.example.org>", 1, 8000);
  EXPECT_EQ(mails.size(), 1u);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // and no second copy
  EXPECT_EQ(smtp.Messages("<" + id + "@clean.example.org>").size(), 1u);
}

TEST_P(NotifyOutboxTest, AdminsMessageAUserOrEveryoneWithARole) {
  SmtpSink smtp;
  ASSERT_TRUE(smtp.up());
  auto s = Serve(Env(smtp.url(), 200));
  ASSERT_TRUE(s);
  Staff st = MakeStaff(*s);  // the one driver on this server
  Account c = RegisterCitizen(*s);
  auto send = [&](const std::string& channel, const boost::json::object& body,
                  const std::string& token) {
    return s->Json("POST", "/api/notify/" + channel, Serialize(body), token);
  };
  HttpResult one = send("email",
                        {{"userId", c.id},
                         {"subject", "Collection moves to Friday"},
                         {"message", "This week the truck comes on Friday."}},
                        st.admin);
  ASSERT_EQ(one.status, 202) << one.body;
  EXPECT_EQ(one.Json().at("queued").as_int64(), 1);
  auto mails = smtp.WaitFor("Subject: Collection moves to Friday", 1, 8000);
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_NE(mails[0].find("To: <" + c.email + ">"), std::string::npos);
  HttpResult drivers = send("email",
                            {{"role", "driver"},
                             {"subject", "Depot closed tomorrow"},
                             {"message", "Unload at the north depot."}},
                            st.admin);
  ASSERT_EQ(drivers.status, 202) << drivers.body;
  EXPECT_EQ(drivers.Json().at("queued").as_int64(), 1);
  mails = smtp.WaitFor("Subject: Depot closed tomorrow", 1, 8000);
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_NE(mails[0].find("To: <" + st.driver.email + ">"), std::string::npos);
  // A hazardous report (high priority) reaches the admin by email too.
  Account filer = RegisterCitizen(*s);
  FileReport(*s, filer.access_token, 31.54, 74.37, "hazardous");
  auto alerts = smtp.WaitFor("Subject: New high-priority report", 1, 8000);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_NE(alerts[0].find("To: <admin@cleanai.local>"), std::string::npos) << alerts[0];
  // Bad input, the unconfigured channel, and non-admins.
  EXPECT_EQ(
      send("email", {{"userId", c.id}, {"role", "driver"}, {"subject", "x"}, {"message", "y"}},
           st.admin)
          .status,
      422);
  EXPECT_EQ(send("email", {{"subject", "x"}, {"message", "y"}}, st.admin).status, 422);
  EXPECT_EQ(send("email", {{"role", "mayor"}, {"subject", "x"}, {"message", "y"}}, st.admin).status,
            422);
  EXPECT_EQ(send("email", {{"role", "driver"}, {"subject", ""}, {"message", "y"}}, st.admin).status,
            422);
  EXPECT_EQ(
      send("email",
           {{"userId", "01890a5d-ac96-774b-bcce-b302099a8057"}, {"subject", "x"}, {"message", "y"}},
           st.admin)
          .status,
      404);
  EXPECT_EQ(send("sms", {{"userId", c.id}, {"subject", "x"}, {"message", "y"}}, st.admin).status,
            409);
  EXPECT_EQ(
      send("email", {{"userId", c.id}, {"subject", "x"}, {"message", "y"}}, c.access_token).status,
      403);
  // A burst of three, then ten a minute: rapid sends run into 429 with a Retry-After.
  int accepted = 0;
  HttpResult limited;
  for (int i = 0; i < 6 && limited.status != 429; ++i) {
    HttpResult r =
        send("email", {{"userId", c.id}, {"subject", "Reminder"}, {"message", "z"}}, st.admin);
    if (r.status == 202) ++accepted;
    if (r.status == 429) limited = r;
  }
  EXPECT_EQ(limited.status, 429);
  EXPECT_FALSE(limited.Header("retry-after").empty());
  EXPECT_LE(accepted, 3);
}

TEST_P(NotifyOutboxTest, UsersChooseTheirChannelsPerKind) {
  SmtpSink smtp;
  ASSERT_TRUE(smtp.up());
  auto s = Serve(Env(smtp.url(), 200));
  ASSERT_TRUE(s);
  Account a = RegisterCitizen(*s);
  auto prefs = s->Json("GET", "/api/notify/preferences", "", a.access_token).Json();
  // Email and push are on until turned off; SMS is off until turned on.
  int sms = 0;
  for (const auto& p : prefs.at("items").as_array()) {
    const bool is_sms = Str(p, "channel") == "sms";
    sms += is_sms;
    EXPECT_EQ(p.at("enabled").as_bool(), !is_sms) << Str(p, "kind") << " " << Str(p, "channel");
  }
  EXPECT_GT(sms, 0);
  HttpResult off =
      s->Json("PUT", "/api/notify/preferences",
              R"({"items":[{"kind":"report.received","channel":"email","enabled":false}]})",
              a.access_token);
  ASSERT_EQ(off.status, 200) << off.body;
  FileReport(*s, a.access_token, 31.52, 74.35);
  auto item = Received(*s, a);
  ASSERT_TRUE(item.is_object());
  EXPECT_TRUE(item.at("deliveries").as_array().empty());  // in-app only
  HttpResult on = s->Json(
      "PUT", "/api/notify/preferences",
      R"({"items":[{"kind":"report.received","channel":"email","enabled":true}]})", a.access_token);
  ASSERT_EQ(on.status, 200) << on.body;
  FileReport(*s, a.access_token, 31.53, 74.36);
  item = Received(*s, a);
  ASSERT_EQ(item.at("deliveries").as_array().size(), 1u);
  EXPECT_EQ(smtp.WaitFor("<" + Str(item, "id") + "@", 1, 8000).size(), 1u);
  for (const char* bad :
       {R"({"items":[{"kind":"report.flying","channel":"email","enabled":false}]})",
        R"({"items":[{"kind":"report.received","channel":"pigeon","enabled":false}]})",
        R"({"items":[{"kind":"report.received","channel":"sms","enabled":"no"}]})",
        R"({"items":[]})", R"({"other":1})"}) {
    EXPECT_EQ(s->Json("PUT", "/api/notify/preferences", bad, a.access_token).status, 422) << bad;
  }
  EXPECT_EQ(s->Json("PUT", "/api/notify/preferences", "{nope", a.access_token).status, 400);
}

TEST_P(NotifyOutboxTest, SmsGoesThroughTwiliosMessagesApi) {
  // A stand-in for Twilio: numbers ending in 0 are refused (as Twilio does an invalid one).
  StubHttpServer twilio([](const StubRequest& req) {
    StubResponse r;
    if (req.body.find("To=%2B923000000000") != std::string::npos) {
      r.status = 400;
      r.body =
          R"({"code":21211,"message":"The 'To' number is not a valid phone number.","status":400})";
    } else {
      r.status = 201;
      r.body = R"({"sid":"SM0123456789abcdef","status":"queued"})";
    }
    return r;
  });
  ServerOptions o;
  o.backend = GetParam();
  o.env = Env("", 200);
  o.env.erase("CLEANAI_NOTIFY_SMTP_URL");
  o.env["CLEANAI_NOTIFY_TWILIO_ACCOUNT_SID"] = "ACtest";
  o.env["CLEANAI_NOTIFY_TWILIO_AUTH_TOKEN"] = "secret-token";
  o.env["CLEANAI_NOTIFY_TWILIO_FROM"] = "+15005550006";
  o.env["CLEANAI_NOTIFY_TWILIO_BASE_URL"] = twilio.url();
  auto s = TestServer::Start(o);
  ASSERT_TRUE(s);
  auto reg = [&](const std::string& name, const std::string& phone) {
    Account a;
    a.username = UniqueName(name);
    a.email = a.username + "@example.org";
    a.password = "a sensible passphrase";
    HttpResult r = s->Json("POST", "/api/auth/register",
                           Serialize({{"username", a.username},
                                      {"email", a.email},
                                      {"password", a.password},
                                      {"phone", phone}}));
    EXPECT_EQ(r.status, 201) << r.body;
    a.access_token = Str(r.Json(), "accessToken");
    return a;
  };
  Account good = reg("sms", "+923001234567"), bad = reg("nosms", "+923000000000");
  Account quiet = reg("quiet", "+923001112222");
  // SMS is off until the citizen turns it on.
  for (const Account* a : {&good, &bad}) {
    HttpResult on =
        s->Json("PUT", "/api/notify/preferences",
                R"({"items":[{"kind":"report.received","channel":"sms","enabled":true}]})",
                a->access_token);
    ASSERT_EQ(on.status, 200) << on.body;
  }
  FileReport(*s, quiet.access_token, 31.54, 74.37);
  FileReport(*s, good.access_token, 31.52, 74.35);
  FileReport(*s, bad.access_token, 31.53, 74.36);
  auto status_of = [&](const Account& a, const std::string& want) {
    boost::json::value item;
    for (int i = 0; i < 80; ++i) {
      item = Received(*s, a);
      if (item.is_object() && !item.at("deliveries").as_array().empty() &&
          Str(item.at("deliveries").at(0), "status") == want) {
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return item;
  };
  auto sent = status_of(good, "sent");
  EXPECT_EQ(Str(sent.at("deliveries").at(0), "channel"), "sms");
  EXPECT_EQ(Str(sent.at("deliveries").at(0), "status"), "sent");
  EXPECT_EQ(Str(sent.at("deliveries").at(0), "response"), "Twilio SM0123456789abcdef queued");
  auto refused = status_of(bad, "dead");
  EXPECT_EQ(Str(refused.at("deliveries").at(0), "status"), "dead");
  EXPECT_NE(Str(refused.at("deliveries").at(0), "response").find("not a valid phone number"),
            std::string::npos);
  // The request as Twilio documents it: form fields, basic auth with SID and token.
  bool seen = false;
  for (const auto& r : twilio.Requests()) {
    if (r.body.find("To=%2B923001234567") == std::string::npos) continue;
    seen = true;
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.target, "/2010-04-01/Accounts/ACtest/Messages.json");
    EXPECT_EQ(r.headers.at("content-type"), "application/x-www-form-urlencoded");
    EXPECT_EQ(r.headers.at("authorization"),
              "Basic QUN0ZXN0OnNlY3JldC10b2tlbg==");  // ACtest:secret-token
    EXPECT_NE(r.body.find("From=%2B15005550006"), std::string::npos);
    EXPECT_NE(r.body.find("Body=Report%20received"), std::string::npos);
  }
  EXPECT_TRUE(seen);
  // The citizen who never turned SMS on got no text, only the in-app notice.
  for (const auto& r : twilio.Requests()) {
    EXPECT_EQ(r.body.find("To=%2B923001112222"), std::string::npos);
  }
  auto quiet_item = Received(*s, quiet);
  ASSERT_TRUE(quiet_item.is_object());
  EXPECT_TRUE(quiet_item.at("deliveries").as_array().empty());
  for (const auto& line : s->LogLines()) EXPECT_EQ(line.find("secret-token"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, NotifyOutboxTest, ::testing::Values("sqlite", "postgres"),
                         BackendName);

}  // namespace
}  // namespace cleanai::testing
