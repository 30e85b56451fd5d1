// SPDX-License-Identifier: AGPL-3.0-or-later
// Bad input for every endpoint gets a 4xx problem+json, and the server keeps serving.
#include "testing/fixtures.h"

namespace cleanai::testing {
namespace {

class BadInputTest : public BackendTest {
 protected:
  void ExpectProblem(const HttpResult& r, const std::string& what, int lo = 400, int hi = 499) {
    EXPECT_GE(r.status, lo) << what << ": " << r.body;
    EXPECT_LE(r.status, hi) << what << ": " << r.body;
    EXPECT_EQ(r.Header("content-type"), "application/problem+json") << what;
    auto v = r.Json();
    ASSERT_TRUE(v.is_object()) << what << ": " << r.body;
    EXPECT_TRUE(v.as_object().contains("title")) << what;
    EXPECT_EQ(v.at("status").as_int64(), r.status) << what;
  }
};

TEST_P(BadInputTest, EveryJsonEndpointRefusesBadBodies) {
  TestServer& s = server();
  std::string admin = s.Login("admin", s.admin_password());
  Account a = RegisterCitizen(s, "badin");
  struct Endpoint {
    std::string method, target, token;
  };
  std::vector<Endpoint> endpoints = {
      {"POST", "/api/auth/register", ""},     {"POST", "/api/auth/login", ""},
      {"POST", "/api/auth/refresh", ""},      {"PUT", "/api/auth/password", a.access_token},
      {"PATCH", "/api/users/" + a.id, admin},
  };
  std::vector<std::pair<std::string, std::string>> bodies = {
      {"malformed", "{\"username\": "},
      {"array", "[1,2,3]"},
      {"string", "\"hello\""},
      {"wrong types", R"({"username": 5, "email": [], "password": {}, "refreshToken": 1,
                          "currentPassword": true, "newPassword": 1.5, "role": 7, "isActive": "yes"})"},
      {"unknown field only", R"({"favouriteColour": "green"})"},
      {"invalid utf-8", "{\"username\": \"\xc3\x28\xff\"}"},
      {"nul byte", std::string("{\"username\": \"a\\u0000b\", \"password\": \"x\"}")},
      {"deep nesting", "{\"a\":" + std::string(200, '[') + std::string(200, ']') + "}"},
  };
  for (const auto& e : endpoints) {
    for (const auto& [name, body] : bodies) {
      std::map<std::string, std::string> headers{{"Content-Type", "application/json"}};
      if (!e.token.empty()) headers["Authorization"] = "Bearer " + e.token;
      ExpectProblem(s.Request(e.method, e.target, body, headers), e.target + " / " + name);
    }
    std::map<std::string, std::string> text{{"Content-Type", "text/plain"}};
    if (!e.token.empty()) text["Authorization"] = "Bearer " + e.token;
    ExpectProblem(s.Request(e.method, e.target, "username=x", text), e.target + " / text/plain");
    // Oversize: past the 64 KiB JSON limit.
    std::string huge = "{\"username\":\"" + std::string(70 * 1024, 'a') + "\"}";
    HttpResult big =
        s.Request(e.method, e.target, huge,
                  {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + e.token}});
    EXPECT_EQ(big.status, 413) << e.target;
    ExpectProblem(big, e.target + " / oversize");
  }
  // Over-long strings inside a small body are field errors, not crashes.
  HttpResult long_name = s.Json("POST", "/api/auth/register",
                                Serialize({{"username", std::string(5000, 'a')},
                                           {"email", "x@example.org"},
                                           {"password", std::string(129, 'p')}}));
  EXPECT_EQ(long_name.status, 422);
  // Nothing was half-created by all of that.
  EXPECT_EQ(s.Json("GET", "/api/users?q=favourite", "", admin).Json().at("items").as_array().size(),
            0u);
  EXPECT_EQ(s.Json("GET", "/healthz").status, 200);
}

TEST_P(BadInputTest, ProtocolLevelGarbage) {
  TestServer& s = server();
  // Huge header block.
  std::string huge =
      "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(64 * 1024, 'h') + "\r\n\r\n";
  HttpResult r = ParseHttpResponse(s.RawExchange(huge));
  EXPECT_EQ(r.status, 431);
  ExpectProblem(r, "huge headers");
  // Not HTTP at all.
  HttpResult junk = ParseHttpResponse(s.RawExchange("\x16\x03\x01 hello there\r\n\r\n"));
  EXPECT_EQ(junk.status, 400);
  // A target that is not a path, and a bad escape in it.
  EXPECT_EQ(ParseHttpResponse(s.RawExchange("GET healthz HTTP/1.1\r\nHost: x\r\n\r\n")).status,
            400);
  EXPECT_EQ(
      ParseHttpResponse(s.RawExchange("GET /api/users/%zz HTTP/1.1\r\nHost: x\r\n\r\n")).status,
      400);
  // RFC 9112 §3.2: an HTTP/1.1 request without exactly one Host is a 400.
  HttpResult no_host = ParseHttpResponse(s.RawExchange("GET /healthz HTTP/1.1\r\n\r\n"));
  EXPECT_EQ(no_host.status, 400);
  ExpectProblem(no_host, "no Host");
  EXPECT_EQ(ParseHttpResponse(s.RawExchange("GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"))
                .status,
            400);
  // HTTP/1.0 has no Host requirement.
  EXPECT_EQ(ParseHttpResponse(s.RawExchange("GET /healthz HTTP/1.0\r\n\r\n")).status, 200);
  // RFC 9112 §5.2: obsolete line folding is rejected with a 400, in any header.
  for (std::string fold : {"X-Folded: one\r\n two\r\n", "X-Folded: one\r\n\ttwo\r\n"}) {
    HttpResult folded = ParseHttpResponse(
        s.RawExchange("GET /healthz HTTP/1.1\r\nHost: x\r\n" + fold + "Connection: close\r\n\r\n"));
    EXPECT_EQ(folded.status, 400) << fold;
    ExpectProblem(folded, "obs-fold");
  }
  // A body may contain CRLF + space freely: only the head is checked.
  HttpResult body_ok = ParseHttpResponse(
      s.RawExchange("POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    "Connection: close\r\nContent-Length: 19\r\n\r\n{\"username\":\r\n \"a\"}"));
  EXPECT_EQ(body_ok.status, 422) << body_ok.body;
  EXPECT_TRUE(s.Running());
  EXPECT_EQ(s.Json("GET", "/healthz").status, 200);
}

INSTANTIATE_TEST_SUITE_P(Backends, BadInputTest, ::testing::ValuesIn(TestBackends()), BackendName);

}  // namespace
}  // namespace cleanai::testing
