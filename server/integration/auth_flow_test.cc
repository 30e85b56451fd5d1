// SPDX-License-Identifier: AGPL-3.0-or-later
// The whole auth flow through HTTP against the real server, on every backend.
#include <cctype>
#include <fstream>
#include <functional>
#include <sstream>

#include "auth/credentials.h"
#include "core/crypto.h"
#include "testing/report_fixtures.h"

namespace cleanai::testing {
namespace {

class AuthFlowTest : public BackendTest {};

std::string Field(const HttpResult& r, const char* name) {
  auto v = r.Json();
  if (!v.is_object() || !v.as_object().contains(name)) return "";
  return std::string(v.at(name).as_string());
}

TEST_P(AuthFlowTest, RegisterLoginMeRefreshLogout) {
  TestServer& s = server();
  Account a = RegisterCitizen(s);
  ASSERT_FALSE(a.access_token.empty());

  HttpResult me = s.Json("GET", "/api/auth/me", "", a.access_token);
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.Json().at("username").as_string(), a.username);
  EXPECT_EQ(me.Json().at("role").as_string(), "citizen");
  EXPECT_FALSE(me.Json().as_object().contains("passwordHash"));
  EXPECT_EQ(me.body.find("argon2"), std::string::npos);

  // Login by email, in another case.
  std::string upper_email = a.email;
  for (auto& c : upper_email) c = static_cast<char>(std::toupper(c));
  HttpResult login = s.Json("POST", "/api/auth/login",
                            Serialize({{"username", upper_email}, {"password", a.password}}));
  ASSERT_EQ(login.status, 200) << login.body;
  EXPECT_FALSE(login.Json().at("user").at("lastLogin").is_null());
  EXPECT_EQ(login.Header("cache-control"), "no-store");

  std::string refresh = Field(login, "refreshToken");
  HttpResult rotated = s.Json("POST", "/api/auth/refresh", Serialize({{"refreshToken", refresh}}));
  ASSERT_EQ(rotated.status, 200) << rotated.body;
  std::string access2 = Field(rotated, "accessToken");
  EXPECT_NE(Field(rotated, "refreshToken"), refresh);
  EXPECT_EQ(s.Json("GET", "/api/auth/me", "", access2).status, 200);

  HttpResult out = s.Json("POST", "/api/auth/logout", "", access2);
  EXPECT_EQ(out.status, 204) << out.body;
  EXPECT_NE(out.Header("set-cookie").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(s.Json("GET", "/api/auth/me", "", access2).status, 401);
  EXPECT_EQ(s.Json("POST", "/api/auth/refresh",
                   Serialize({{"refreshToken", Field(rotated, "refreshToken")}}))
                .status,
            401);
  // The registration session is separate and still alive.
  EXPECT_EQ(s.Json("GET", "/api/auth/me", "", a.access_token).status, 200);
}

// Session checks come from memory, yet every change applies to the very next request:
// the cache lives an hour here, so only the announced invalidation can explain a refusal.
TEST_P(AuthFlowTest, CachedSessionsFollowEveryChangeAtOnce) {
  ServerOptions o;
  o.backend = GetParam();
  o.env["CLEANAI_AUTH_SESSION_CACHE_SECONDS"] = "3600";
  auto s = TestServer::Start(o);
  ASSERT_TRUE(s);
  const std::string admin = s->Login("admin", s->admin_password());
  auto me = [&](const std::string& token) { return s->Json("GET", "/api/auth/me", "", token); };
  auto metric = [&](const std::string& name) {
    std::string body = s->Request("GET", "/metrics").body;
    size_t at = body.find("\n" + name + " ");
    return at == std::string::npos ? -1.0
                                   : std::strtod(body.c_str() + at + name.size() + 2, nullptr);
  };
  Account a = RegisterCitizen(*s, "cache");
  ASSERT_EQ(me(a.access_token).status, 200);
  const double hits = metric("cleanai_session_cache_hits_total");
  ASSERT_EQ(me(a.access_token).status, 200);
  EXPECT_GT(metric("cleanai_session_cache_hits_total"), hits) << "answered from memory";

  // A role change: the next request has the new role.
  ASSERT_EQ(s->Json("PATCH", "/api/users/" + a.id, Serialize({{"role", "driver"}}), admin).status,
            200);
  EXPECT_EQ(Str(me(a.access_token).Json(), "role"), "driver");
  // Logout: refused at once.
  ASSERT_EQ(s->Json("POST", "/api/auth/logout", "", a.access_token).status, 204);
  EXPECT_EQ(me(a.access_token).status, 401);
  // Deactivation ends every session at once.
  std::string second = s->Login(a.username, a.password);
  ASSERT_EQ(me(second).status, 200);
  ASSERT_EQ(me(second).status, 200);
  ASSERT_EQ(s->Json("PATCH", "/api/users/" + a.id, Serialize({{"isActive", false}}), admin).status,
            200);
  EXPECT_EQ(me(second).status, 401);
  // A password change ends the other sessions at once.
  Account b = RegisterCitizen(*s, "cache2");
  std::string other = s->Login(b.username, b.password);
  ASSERT_EQ(me(other).status, 200);
  ASSERT_EQ(me(other).status, 200);
  ASSERT_EQ(s->Json("PUT", "/api/auth/password",
                    Serialize({{"currentPassword", b.password},
                               {"newPassword", "another long passphrase"}}),
                    b.access_token)
                .status,
            204);
  EXPECT_EQ(me(other).status, 401);
  EXPECT_EQ(me(b.access_token).status, 200);
  // A stolen refresh token used twice revokes its family, its access token included.
  Account c = RegisterCitizen(*s, "cache3");
  ASSERT_EQ(me(c.access_token).status, 200);
  ASSERT_EQ(me(c.access_token).status, 200);
  ASSERT_EQ(
      s->Json("POST", "/api/auth/refresh", Serialize({{"refreshToken", c.refresh_token}})).status,
      200);
  ASSERT_EQ(
      s->Json("POST", "/api/auth/refresh", Serialize({{"refreshToken", c.refresh_token}})).status,
      401);
  EXPECT_EQ(me(c.access_token).status, 401);
}

TEST_P(AuthFlowTest, ReusingARotatedRefreshTokenRevokesTheFamily) {
  TestServer& s = server();
  Account a = RegisterCitizen(s);
  HttpResult r1 =
      s.Json("POST", "/api/auth/refresh", Serialize({{"refreshToken", a.refresh_token}}));
  ASSERT_EQ(r1.status, 200);
  // The thief replays the old token:
  HttpResult replay =
      s.Json("POST", "/api/auth/refresh", Serialize({{"refreshToken", a.refresh_token}}));
  EXPECT_EQ(replay.status, 401);
  EXPECT_EQ(replay.Header("content-type"), "application/problem+json");
  // ...and now the legitimate newer token and its access token are dead too.
  EXPECT_EQ(
      s.Json("POST", "/api/auth/refresh", Serialize({{"refreshToken", Field(r1, "refreshToken")}}))
          .status,
      401);
  EXPECT_EQ(s.Json("GET", "/api/auth/me", "", Field(r1, "accessToken")).status, 401);
  EXPECT_EQ(s.Json("GET", "/api/auth/me", "", a.access_token).status, 401);
}

TEST_P(AuthFlowTest, RefreshCookieIsHttpOnlyStrictAndNeedsOurOrigin) {
  TestServer& s = server();
  Account a = RegisterCitizen(s);
  HttpResult login = s.Json("POST", "/api/auth/login",
                            Serialize({{"username", a.username}, {"password", a.password}}));
  std::string cookie = login.Header("set-cookie");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_NE(cookie.find("Path=/api/auth"), std::string::npos);
  std::string pair = cookie.substr(0, cookie.find(';'));

  HttpResult no_origin = s.Request("POST", "/api/auth/refresh", "", {{"Cookie", pair}});
  EXPECT_EQ(no_origin.status, 403) << no_origin.body;
  HttpResult evil = s.Request("POST", "/api/auth/refresh", "",
                              {{"Cookie", pair}, {"Origin", "https://evil.example"}});
  EXPECT_EQ(evil.status, 403);
  HttpResult ok = s.Request("POST", "/api/auth/refresh", "",
                            {{"Cookie", pair}, {"Origin", "http://localhost:8080"}});
  EXPECT_EQ(ok.status, 200) << ok.body;
  // The page's own origin (the Host it was served from) is accepted too.
  std::string pair2 = ok.Header("set-cookie").substr(0, ok.Header("set-cookie").find(';'));
  std::string self = "http://127.0.0.1:" + std::to_string(s.port());
  HttpResult same =
      s.Request("POST", "/api/auth/refresh", "", {{"Cookie", pair2}, {"Origin", self}});
  EXPECT_EQ(same.status, 200) << same.body;
  HttpResult other_port = s.Request("POST", "/api/auth/refresh", "",
                                    {{"Cookie", pair2}, {"Origin", "http://127.0.0.1:1"}});
  EXPECT_EQ(other_port.status, 403);
  EXPECT_NE(ok.Header("set-cookie").find("cleanai_refresh="), std::string::npos);
}

TEST_P(AuthFlowTest, PasswordChangeRevokesOtherSessions) {
  TestServer& s = server();
  Account a = RegisterCitizen(s);
  std::string other = s.Login(a.username, a.password);

  HttpResult wrong = s.Json("PUT", "/api/auth/password",
                            Serialize({{"currentPassword", "not my password"},
                                       {"newPassword", "a brand new passphrase"}}),
                            a.access_token);
  EXPECT_EQ(wrong.status, 422);
  EXPECT_NE(wrong.body.find("currentPassword"), std::string::npos);
  HttpResult weak = s.Json("PUT", "/api/auth/password",
                           Serialize({{"currentPassword", a.password}, {"newPassword", "short"}}),
                           a.access_token);
  EXPECT_EQ(weak.status, 422);
  EXPECT_NE(weak.body.find("newPassword"), std::string::npos);

  HttpResult ok = s.Json(
      "PUT", "/api/auth/password",
      Serialize({{"currentPassword", a.password}, {"newPassword", "a brand new passphrase"}}),
      a.access_token);
  ASSERT_EQ(ok.status, 204) << ok.body;
  EXPECT_EQ(s.Json("GET", "/api/auth/me", "", a.access_token).status, 200);
  EXPECT_EQ(s.Json("GET", "/api/auth/me", "", other).status, 401);
  EXPECT_EQ(s.Json("POST", "/api/auth/login",
                   Serialize({{"username", a.username}, {"password", a.password}}))
                .status,
            401);
  EXPECT_EQ(s.Json("POST", "/api/auth/login",
                   Serialize({{"username", a.username}, {"password", "a brand new passphrase"}}))
                .status,
            200);
}

TEST_P(AuthFlowTest, RegistrationRulesAndCaseInsensitiveUniqueness) {
  TestServer& s = server();
  Account a = RegisterCitizen(s);
  std::string upper = a.username;
  for (auto& c : upper) c = static_cast<char>(std::toupper(c));
  HttpResult dup = s.Json(
      "POST", "/api/auth/register",
      Serialize(
          {{"username", upper}, {"email", "x" + a.email}, {"password", "a sensible passphrase"}}));
  EXPECT_EQ(dup.status, 409) << dup.body;
  EXPECT_NE(dup.body.find("\"field\":\"username\""), std::string::npos);

  HttpResult bad = s.Json(
      "POST", "/api/auth/register",
      Serialize({{"username", "a b"}, {"email", "nope"}, {"password", "a b"}, {"phone", "123"}}));
  EXPECT_EQ(bad.status, 422);
  for (const char* f : {"username", "email", "password", "phone"}) {
    EXPECT_NE(bad.body.find(std::string("\"field\":\"") + f + "\""), std::string::npos) << f;
  }
  std::string name = UniqueName("samepw");
  HttpResult same =
      s.Json("POST", "/api/auth/register",
             Serialize({{"username", name}, {"email", name + "@example.org"}, {"password", name}}));
  EXPECT_EQ(same.status, 422);
}

TEST_P(AuthFlowTest, LoginFailuresAreUniformThenRateLimited) {
  TestServer& s = server();
  Account a = RegisterCitizen(s);
  HttpResult unknown =
      s.Json("POST", "/api/auth/login",
             Serialize({{"username", UniqueName("ghost")}, {"password", "whatever it is"}}));
  HttpResult wrong = s.Json("POST", "/api/auth/login",
                            Serialize({{"username", a.username}, {"password", "whatever it is"}}));
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(unknown.Json().at("detail"), wrong.Json().at("detail"));
  EXPECT_EQ(wrong.Json().at("detail").as_string(), "invalid credentials");
  for (int i = 0; i < 4; ++i) {
    s.Json("POST", "/api/auth/login",
           Serialize({{"username", a.username}, {"password", "still wrong!"}}));
  }
  HttpResult limited = s.Json("POST", "/api/auth/login",
                              Serialize({{"username", a.username}, {"password", a.password}}));
  EXPECT_EQ(limited.status, 429) << limited.body;
  EXPECT_FALSE(limited.Header("retry-after").empty());
}

// The value of cookie `name` among the Set-Cookie headers ("" when absent).
std::string CookieValue(const HttpResult& r, const std::string& name) {
  std::string all = r.Header("set-cookie");
  size_t at = all.find(name + "=");
  if (at == std::string::npos) return "";
  at += name.size() + 1;
  return all.substr(at, all.find(';', at) - at);
}

std::string Upper(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

// Each test of the failure limits signs in from a loopback address of its own (127.0.0.x
// from its name), so the per-address count, shared by every test on a shared server, stays
// out of its way.
HttpResult TryLogin(TestServer& s, const std::string& login, const std::string& password,
                    const std::string& device = "") {
  const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = test ? std::string(test->test_suite_name()) + "." + test->name() : "";
  std::string address = "127.0.0." + std::to_string(2 + std::hash<std::string>{}(name) % 250);
  std::map<std::string, std::string> headers{{"Content-Type", "application/json"}};
  if (!device.empty()) headers["Cookie"] = "cleanai_device=" + device;
  return s.RequestFrom(address, "POST", "/api/auth/login",
                       Serialize({{"username", login}, {"password", password}}), headers);
}

TEST_P(AuthFlowTest, FailuresCountPerAccountWhicheverNameOrEmailIsTyped) {
  TestServer& s = server();
  Account a = RegisterCitizen(s);
  // Five failures spread over the username, the e-mail address and other spellings ...
  for (std::string login : {a.username, a.email, Upper(a.username), Upper(a.email), a.username}) {
    EXPECT_EQ(TryLogin(s, login, "still wrong!").status, 401);
  }
  // ... hold back the account under every spelling, even with the right password.
  for (std::string login : {a.username, a.email}) {
    HttpResult r = TryLogin(s, login, a.password);
    EXPECT_EQ(r.status, 429) << login << ": " << r.body;
    int retry = std::atoi(r.Header("retry-after").c_str());
    EXPECT_GE(retry, 1);
    EXPECT_LE(retry, 31) << "the first wait is login_throttle_seconds (30 s)";
  }
}

TEST_P(AuthFlowTest, AStrangerCannotLockOutAUserOnADeviceTheyUsedBefore) {
  TestServer& s = server();
  Account a = RegisterCitizen(s);
  HttpResult first = TryLogin(s, a.username, a.password);
  ASSERT_EQ(first.status, 200) << first.body;
  std::string device = CookieValue(first, "cleanai_device");
  ASSERT_FALSE(device.empty());
  EXPECT_NE(first.Header("set-cookie").find("cleanai_device=" + device + "; Path=/api/auth"),
            std::string::npos);
  // A stranger fails over and over: the account is throttled for everyone else ...
  for (int i = 0; i < 8; ++i) TryLogin(s, a.username, "guessing " + std::to_string(i));
  EXPECT_EQ(TryLogin(s, a.username, a.password).status, 429);
  // ... but the owner's browser gets in, and keeps its device token.
  HttpResult owner = TryLogin(s, a.username, a.password, device);
  ASSERT_EQ(owner.status, 200) << owner.body;
  EXPECT_EQ(CookieValue(owner, "cleanai_device"), device);
  // Signing in cleared the account's count: any device may sign in again.
  EXPECT_EQ(TryLogin(s, a.email, a.password).status, 200);

  // A device token is good only for the account it was issued to, and cannot be forged.
  Account b = RegisterCitizen(s);
  for (int i = 0; i < 5; ++i) TryLogin(s, b.username, "guessing " + std::to_string(i));
  EXPECT_EQ(TryLogin(s, b.username, b.password, device).status, 429);
  std::string forged = device;
  forged[forged.size() - 2] = forged[forged.size() - 2] == 'A' ? 'B' : 'A';
  EXPECT_EQ(TryLogin(s, a.username, a.password, forged).status, 200)
      << "a bad device token is ignored, not an error";

  // The device has a limit of its own: five wrong passwords from it, then it waits too.
  Account c = RegisterCitizen(s);
  std::string cdev = CookieValue(TryLogin(s, c.username, c.password), "cleanai_device");
  ASSERT_FALSE(cdev.empty());
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(TryLogin(s, c.username, "wrong " + std::to_string(i), cdev).status, 401);
  EXPECT_EQ(TryLogin(s, c.username, c.password, cdev).status, 429);
}

TEST_P(AuthFlowTest, LogoutRevokesARefreshTokenEvenWithoutAValidAccessToken) {
  TestServer& s = server();
  Account a = RegisterCitizen(s);
  // RFC 7009 style: the body names the refresh token; no (or an expired) access token.
  HttpResult out =
      s.Json("POST", "/api/auth/logout", Serialize({{"refreshToken", a.refresh_token}}));
  EXPECT_EQ(out.status, 204) << out.body;
  EXPECT_EQ(
      s.Json("POST", "/api/auth/refresh", Serialize({{"refreshToken", a.refresh_token}})).status,
      401);
  EXPECT_EQ(s.Json("GET", "/api/auth/me", "", a.access_token).status, 401) << "the session is over";
  // Again, and an unknown token: still 204 (revocation is idempotent, reveals nothing).
  EXPECT_EQ(
      s.Json("POST", "/api/auth/logout", Serialize({{"refreshToken", a.refresh_token}})).status,
      204);
  EXPECT_EQ(
      s.Json("POST", "/api/auth/logout", Serialize({{"refreshToken", "no-such-token"}})).status,
      204);
  // A garbage access token alongside a refresh token still revokes the refresh token.
  Account b = RegisterCitizen(s);
  EXPECT_EQ(s.Json("POST", "/api/auth/logout", Serialize({{"refreshToken", b.refresh_token}}),
                   "not.a.jwt")
                .status,
            204);
  EXPECT_EQ(
      s.Json("POST", "/api/auth/refresh", Serialize({{"refreshToken", b.refresh_token}})).status,
      401);
  // Nothing to revoke at all is a 401; bad fields are 422.
  EXPECT_EQ(s.Json("POST", "/api/auth/logout").status, 401);
  EXPECT_EQ(s.Json("POST", "/api/auth/logout", "", "not.a.jwt").status, 401);
  EXPECT_EQ(s.Json("POST", "/api/auth/logout", Serialize({{"refreshToken", 42}})).status, 422);
  EXPECT_EQ(s.Json("POST", "/api/auth/logout", Serialize({{"other", "x"}})).status, 422);
}

TEST_P(AuthFlowTest, RefreshWithoutAnyTokenIsAQuiet401) {
  TestServer& s = server();
  HttpResult r = s.Json("POST", "/api/auth/refresh");
  EXPECT_EQ(r.status, 401) << r.body;
  EXPECT_EQ(r.Header("content-type"), "application/problem+json");
  // A session response sets the visible hint beside the HttpOnly refresh cookie.
  Account a = RegisterCitizen(s);
  HttpResult login = TryLogin(s, a.username, a.password);
  EXPECT_EQ(CookieValue(login, "cleanai_signed_in"), "1");
  EXPECT_NE(login.Header("set-cookie").find("cleanai_signed_in=1; Path=/; Max-Age="),
            std::string::npos);
}

TEST_P(AuthFlowTest, DeactivatedUsersCannotUseOrRenewSessions) {
  TestServer& s = server();
  std::string admin = s.Login("admin", s.admin_password());
  Account a = RegisterCitizen(s);
  HttpResult patch = s.Json("PATCH", "/api/users/" + a.id, Serialize({{"isActive", false}}), admin);
  ASSERT_EQ(patch.status, 200) << patch.body;
  EXPECT_FALSE(patch.Json().at("isActive").as_bool());
  EXPECT_EQ(s.Json("GET", "/api/auth/me", "", a.access_token).status, 401);
  EXPECT_EQ(
      s.Json("POST", "/api/auth/refresh", Serialize({{"refreshToken", a.refresh_token}})).status,
      401);
  HttpResult login = s.Json("POST", "/api/auth/login",
                            Serialize({{"username", a.username}, {"password", a.password}}));
  EXPECT_EQ(login.status, 401);
  EXPECT_EQ(login.Json().at("detail").as_string(), "invalid credentials");
}

TEST_P(AuthFlowTest, ForgedExpiredAndTamperedTokensAreRefused) {
  ASSERT_TRUE(InitCrypto());
  TestServer& s = server();
  Account a = RegisterCitizen(s);
  std::ifstream in(s.data_dir() + "/secrets/jwt.key");
  std::stringstream key;
  key << in.rdbuf();
  ASSERT_GE(key.str().size(), 32u);

  std::string sid;  // read the session id from the real token
  {
    std::string t = a.access_token, payload;
    ASSERT_TRUE(
        Base64UrlDecode(t.substr(t.find('.') + 1, t.rfind('.') - t.find('.') - 1), &payload));
    sid = std::string(boost::json::parse(payload).at("sid").as_string());
  }
  SystemTime now = SystemClock().Now();
  AccessClaims expired{a.id, "citizen", sid, now - std::chrono::hours(2),
                       now - std::chrono::hours(1)};
  HttpResult r1 = s.Json("GET", "/api/auth/me", "", SignAccessToken(expired, "cleanai", key.str()));
  EXPECT_EQ(r1.status, 401);
  EXPECT_NE(r1.body.find("expired"), std::string::npos);

  AccessClaims wrong_key{a.id, "admin", sid, now, now + std::chrono::hours(1)};
  EXPECT_EQ(s.Json("GET", "/api/users", "", SignAccessToken(wrong_key, "cleanai", "guess")).status,
            401);

  // A validly signed token claiming admin still gets the role stored for the user.
  AccessClaims elevated{a.id, "admin", sid, now, now + std::chrono::hours(1)};
  EXPECT_EQ(s.Json("GET", "/api/users", "", SignAccessToken(elevated, "cleanai", key.str())).status,
            403);

  AccessClaims ghost_session{a.id, "citizen", NewUuidV7(), now, now + std::chrono::hours(1)};
  EXPECT_EQ(s.Json("GET", "/api/auth/me", "", SignAccessToken(ghost_session, "cleanai", key.str()))
                .status,
            401);

  std::string tampered = a.access_token;
  tampered[tampered.size() - 3] = tampered[tampered.size() - 3] == 'A' ? 'B' : 'A';
  EXPECT_EQ(s.Json("GET", "/api/auth/me", "", tampered).status, 401);
  std::string payload = a.access_token.substr(a.access_token.find('.') + 1);
  payload = payload.substr(0, payload.find('.'));
  std::string none = Base64UrlEncode(R"({"alg":"none","typ":"JWT"})") + "." + payload + ".";
  EXPECT_EQ(s.Json("GET", "/api/auth/me", "", none).status, 401);
  EXPECT_EQ(s.Request("GET", "/api/auth/me", "", {{"Authorization", "Basic YWxpOnB3"}}).status,
            401);
}

TEST_P(AuthFlowTest, AdminListsAndChangesUsers) {
  TestServer& s = server();
  std::string admin = s.Login("admin", s.admin_password());
  Account a = RegisterCitizen(s, "listme");
  Account b = RegisterCitizen(s, "listme");

  HttpResult page = s.Json("GET", "/api/users?q=listme&limit=1", "", admin);
  ASSERT_EQ(page.status, 200) << page.body;
  ASSERT_EQ(page.Json().at("items").as_array().size(), 1u);
  std::string cursor(page.Json().at("nextCursor").as_string());
  HttpResult page2 = s.Json("GET", "/api/users?q=listme&limit=1&cursor=" + cursor, "", admin);
  ASSERT_EQ(page2.status, 200);
  EXPECT_NE(page2.Json().at("items").at(0).at("id"), page.Json().at("items").at(0).at("id"));

  HttpResult promoted =
      s.Json("PATCH", "/api/users/" + b.id, Serialize({{"role", "driver"}}), admin);
  ASSERT_EQ(promoted.status, 200) << promoted.body;
  EXPECT_EQ(promoted.Json().at("role").as_string(), "driver");
  // The role applies to the existing session at once.
  EXPECT_EQ(s.Json("GET", "/api/auth/me", "", b.access_token).Json().at("role").as_string(),
            "driver");
  HttpResult drivers = s.Json("GET", "/api/users?role=driver&q=listme", "", admin);
  EXPECT_EQ(drivers.Json().at("items").as_array().size(), 1u);

  EXPECT_EQ(s.Json("PATCH", "/api/users/not-a-uuid", Serialize({{"role", "driver"}}), admin).status,
            404);
  EXPECT_EQ(
      s.Json("PATCH", "/api/users/" + NewUuidV7(), Serialize({{"role", "driver"}}), admin).status,
      404);
  EXPECT_EQ(s.Json("PATCH", "/api/users/" + a.id, Serialize({{"role", "king"}}), admin).status,
            422);
  EXPECT_EQ(s.Json("PATCH", "/api/users/" + a.id, "{}", admin).status, 422);
  std::string admin_id(s.Json("GET", "/api/auth/me", "", admin).Json().at("id").as_string());
  EXPECT_EQ(
      s.Json("PATCH", "/api/users/" + admin_id, Serialize({{"isActive", false}}), admin).status,
      422);
  // Search text is literal: a bare '%' matches no one rather than everyone.
  HttpResult percent = s.Json("GET", "/api/users?q=%25", "", admin);
  ASSERT_EQ(percent.status, 200);
  EXPECT_EQ(percent.Json().at("items").as_array().size(), 0u);
  EXPECT_EQ(s.Json("GET", "/api/users?limit=0", "", admin).status, 422);
  EXPECT_EQ(s.Json("GET", "/api/users?role=king", "", admin).status, 422);
  EXPECT_EQ(s.Json("GET", "/api/users?cursor=x'%20OR%201=1", "", admin).status, 422);
}

INSTANTIATE_TEST_SUITE_P(Backends, AuthFlowTest, ::testing::ValuesIn(TestBackends()), BackendName);

}  // namespace
}  // namespace cleanai::testing
