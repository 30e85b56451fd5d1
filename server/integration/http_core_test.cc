// SPDX-License-Identifier: AGPL-3.0-or-later
// The server core through real sockets: probes, metrics, errors, headers, request ids,
// logs, keep-alive, CORS, the general rate limiter and native TLS.
#include <filesystem>
#include <fstream>
#include <thread>

#include "testing/fixtures.h"

namespace cleanai::testing {
namespace {

class HttpCoreTest : public BackendTest {};

TEST_P(HttpCoreTest, ProbesAndOpenApi) {
  TestServer& s = server();
  HttpResult h = s.Json("GET", "/healthz");
  EXPECT_EQ(h.status, 200);
  EXPECT_EQ(h.Json().at("status").as_string(), "ok");
  HttpResult r = s.Json("GET", "/readyz");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.Json().at("checks").at("database").as_string(), "ok");
  HttpResult doc = s.Json("GET", "/api/openapi.json");
  EXPECT_EQ(doc.status, 200);
  EXPECT_EQ(doc.Json().at("openapi").as_string(), "3.1.0");
}

TEST_P(HttpCoreTest, MetricsCountRequestsByRouteAndStatus) {
  TestServer& s = server();
  s.Json("GET", "/healthz");
  s.Json("GET", "/api/no/such/thing");
  HttpResult m = s.Json("GET", "/metrics");
  ASSERT_EQ(m.status, 200);
  EXPECT_NE(m.Header("content-type").find("text/plain"), std::string::npos);
  EXPECT_NE(
      m.body.find("cleanai_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"}"),
      std::string::npos)
      << m.body;
  EXPECT_NE(m.body.find("route=\"unmatched\",status=\"404\""), std::string::npos);
  EXPECT_NE(m.body.find("cleanai_http_request_duration_seconds_bucket{le=\"+Inf\"}"),
            std::string::npos);
  EXPECT_NE(m.body.find("cleanai_db_pool_connections{state=\"idle\"}"), std::string::npos);
  // What deploy/prometheus/cleanai-rules.yml watches, with the values a healthy, idle
  // server has.
  for (const char* line :
       {"\ncleanai_database_up 1\n", "\ncleanai_notify_backlog ", "\ncleanai_ai_backlog 0\n",
        "\ncleanai_notify_oldest_undelivered_seconds ", "\ncleanai_leader 1\n",
        "\ncleanai_alerts_last_round_timestamp_seconds ", "\ncleanai_build_info{version=\""}) {
    EXPECT_NE(m.body.find(line), std::string::npos) << line;
  }
}

TEST_P(HttpCoreTest, ErrorsAreProblemJson) {
  TestServer& s = server();
  HttpResult nf = s.Json("GET", "/api/nothing-here");
  EXPECT_EQ(nf.status, 404);
  EXPECT_EQ(nf.Header("content-type"), "application/problem+json");
  EXPECT_EQ(nf.Json().at("status").as_int64(), 404);
  HttpResult na = s.Json("DELETE", "/api/auth/me");
  EXPECT_EQ(na.status, 405);
  EXPECT_EQ(na.Header("allow"), "GET");
  EXPECT_EQ(na.Header("content-type"), "application/problem+json");
}

TEST_P(HttpCoreTest, SecurityHeadersOnEveryResponse) {
  TestServer& s = server();
  for (const char* path : {"/healthz", "/nope", "/api/auth/me"}) {
    HttpResult r = s.Json("GET", path);
    EXPECT_NE(r.Header("content-security-policy").find("default-src 'self'"), std::string::npos)
        << path;
    EXPECT_NE(r.Header("content-security-policy").find("frame-ancestors 'none'"),
              std::string::npos);
    EXPECT_EQ(r.Header("x-content-type-options"), "nosniff");
    EXPECT_EQ(r.Header("x-xss-protection"), "0");  // OWASP: the old auditor off; the CSP protects
    EXPECT_FALSE(r.Header("referrer-policy").empty());
  }
}

TEST_P(HttpCoreTest, RequestIdsAreEchoedOrMintedAndLoggedAsJson) {
  TestServer& s = server();
  HttpResult given = s.Request("GET", "/healthz", "", {{"X-Request-Id", "trace-abc.123"}});
  EXPECT_EQ(given.Header("x-request-id"), "trace-abc.123");
  HttpResult bad = s.Request("GET", "/healthz", "", {{"X-Request-Id", "evil\"id with spaces"}});
  EXPECT_EQ(bad.Header("x-request-id").size(), 36u);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  bool found = false;
  for (const auto& line : s.LogLines()) {
    if (line.find("trace-abc.123") == std::string::npos) continue;
    auto v = boost::json::parse(line);
    EXPECT_EQ(v.at("msg").as_string(), "request");
    EXPECT_EQ(v.at("status").as_int64(), 200);
    EXPECT_EQ(v.at("route").as_string(), "/healthz");
    EXPECT_TRUE(v.as_object().contains("durationMs"));
    found = true;
  }
  EXPECT_TRUE(found) << "no access log line for the request";
}

TEST_P(HttpCoreTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  TestServer& s = server();
  std::string two =
      "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  std::string raw = s.RawExchange(two);
  size_t first = raw.find("HTTP/1.1 200");
  ASSERT_NE(first, std::string::npos) << raw;
  EXPECT_NE(raw.find("HTTP/1.1 200", first + 1), std::string::npos) << raw;
  EXPECT_NE(raw.find("\"ready\""), std::string::npos);
}

TEST_P(HttpCoreTest, NoSecretsInLogs) {
  TestServer& s = server();
  Account a = RegisterCitizen(s, "logcheck");
  s.Json("GET", "/api/auth/me?token=" + a.refresh_token, "", a.access_token);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  for (const auto& line : s.LogLines()) {
    EXPECT_EQ(line.find(a.password), std::string::npos) << line;
    EXPECT_EQ(line.find(a.access_token), std::string::npos) << line;
    EXPECT_EQ(line.find(a.refresh_token), std::string::npos) << line;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, HttpCoreTest, ::testing::ValuesIn(TestBackends()), BackendName);

// ---- servers with their own configuration ----

TEST(HttpConfigTest, CorsAllowListAndPreflight) {
  ServerOptions o;
  o.env["CLEANAI_HTTP_CORS_ORIGINS"] = "https://city.example";
  auto s = TestServer::Start(o);
  ASSERT_TRUE(s);
  HttpResult pre =
      s->Request("OPTIONS", "/api/auth/login", "",
                 {{"Origin", "https://city.example"}, {"Access-Control-Request-Method", "POST"}});
  EXPECT_EQ(pre.status, 204);
  EXPECT_EQ(pre.Header("access-control-allow-origin"), "https://city.example");
  EXPECT_NE(pre.Header("access-control-allow-headers").find("Authorization"), std::string::npos);
  EXPECT_EQ(pre.Header("access-control-allow-credentials"), "true");
  HttpResult simple = s->Request("GET", "/healthz", "", {{"Origin", "https://city.example"}});
  EXPECT_EQ(simple.Header("access-control-allow-origin"), "https://city.example");
  EXPECT_NE(simple.Header("vary").find("Origin"), std::string::npos);

  HttpResult evil_pre =
      s->Request("OPTIONS", "/api/auth/login", "",
                 {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "POST"}});
  EXPECT_EQ(evil_pre.status, 403);
  EXPECT_EQ(evil_pre.Header("access-control-allow-origin"), "");
  HttpResult evil = s->Request("GET", "/healthz", "", {{"Origin", "https://evil.example"}});
  EXPECT_EQ(evil.Header("access-control-allow-origin"), "");
}

TEST(HttpConfigTest, ServesTheWebAppWithCachingAndClientRoutes) {
  std::string root = MakeTempDir();
  std::filesystem::create_directories(root + "/assets");
  std::ofstream(root + "/index.html") << "<!doctype html><div id=root></div>";
  std::ofstream(root + "/assets/app-1a2b3c.js") << "console.log(1)";
  ServerOptions o;
  o.env["CLEANAI_WEB_ROOT"] = root;
  auto s = TestServer::Start(o);
  ASSERT_TRUE(s);
  HttpResult index = s->Request("GET", "/");
  EXPECT_EQ(index.status, 200);
  EXPECT_NE(index.Header("content-type").find("text/html"), std::string::npos);
  EXPECT_EQ(index.Header("cache-control"), "no-cache");
  EXPECT_NE(index.Header("content-security-policy").find("default-src 'self'"), std::string::npos);
  // The default map tiles' origin, and only it, is allowed for images.
  EXPECT_NE(index.Header("content-security-policy")
                .find("img-src 'self' data: blob: https://tile.openstreetmap.org;"),
            std::string::npos)
      << index.Header("content-security-policy");
  HttpResult cfg = s->Json("GET", "/api/client-config");
  EXPECT_EQ(cfg.status, 200);
  EXPECT_NE(cfg.body.find("{z}/{x}/{y}"), std::string::npos);
  HttpResult js = s->Request("GET", "/assets/app-1a2b3c.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_NE(js.Header("content-type").find("text/javascript"), std::string::npos);
  EXPECT_NE(js.Header("cache-control").find("immutable"), std::string::npos);
  // Client-side routes get the app; missing files and API paths do not.
  HttpResult route = s->Request("GET", "/user-dashboard");
  EXPECT_EQ(route.status, 200);
  EXPECT_EQ(route.body, index.body);
  EXPECT_EQ(s->Request("GET", "/assets/missing.js").status, 404);
  HttpResult api = s->Request("GET", "/api/nope");
  EXPECT_EQ(api.status, 404);
  EXPECT_EQ(api.Header("content-type"), "application/problem+json");
  EXPECT_EQ(s->Request("POST", "/user-dashboard").status, 404);
  // No way out of the web root.
  EXPECT_EQ(s->Request("GET", "/%2e%2e/%2e%2e/etc/passwd").status, 404);
  EXPECT_EQ(s->Request("GET", "/.hidden").status, 404);
  EXPECT_EQ(ParseHttpResponse(
                s->RawExchange(
                    "GET /../secrets/jwt.key HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                .status,
            404);
  std::filesystem::remove_all(root);
}

TEST(HttpConfigTest, PrecompressedAssetsGoToBrowsersThatAcceptThem) {
  std::string root = MakeTempDir();
  std::filesystem::create_directories(root + "/assets");
  std::ofstream(root + "/index.html") << "<!doctype html>plain";
  std::ofstream(root + "/index.html.gz") << "GZIP-INDEX";
  std::ofstream(root + "/assets/app-1a2b3c.js") << "console.log('plain')";
  std::ofstream(root + "/assets/app-1a2b3c.js.br") << "BROTLI-JS";
  std::ofstream(root + "/assets/app-1a2b3c.js.gz") << "GZIP-JS";
  std::ofstream(root + "/assets/logo.svg") << "<svg/>";  // no compressed copy
  ServerOptions o;
  o.env["CLEANAI_WEB_ROOT"] = root;
  auto s = TestServer::Start(o);
  ASSERT_TRUE(s);
  const std::string js = "/assets/app-1a2b3c.js";
  HttpResult br = s->Request("GET", js, "", {{"Accept-Encoding", "gzip, deflate, br, zstd"}});
  EXPECT_EQ(br.status, 200);
  EXPECT_EQ(br.body, "BROTLI-JS");
  EXPECT_EQ(br.Header("content-encoding"), "br");
  EXPECT_EQ(br.Header("vary"), "Accept-Encoding");
  EXPECT_NE(br.Header("content-type").find("text/javascript"), std::string::npos);
  EXPECT_NE(br.Header("cache-control").find("immutable"), std::string::npos);
  HttpResult gz = s->Request("GET", js, "", {{"Accept-Encoding", "gzip"}});
  EXPECT_EQ(gz.body, "GZIP-JS");
  EXPECT_EQ(gz.Header("content-encoding"), "gzip");
  // br;q=0 refuses brotli.
  HttpResult no_br = s->Request("GET", js, "", {{"Accept-Encoding", "br;q=0, gzip;q=0.5"}});
  EXPECT_EQ(no_br.body, "GZIP-JS");
  HttpResult plain = s->Request("GET", js);
  EXPECT_EQ(plain.body, "console.log('plain')");
  EXPECT_EQ(plain.Header("content-encoding"), "");
  EXPECT_EQ(plain.Header("vary"), "Accept-Encoding");
  // A client route gets the compressed app page too; Origin is added to Vary, not instead.
  HttpResult route =
      s->Request("GET", "/dashboard", "",
                 {{"Accept-Encoding", "gzip, br"}, {"Origin", "http://elsewhere.test"}});
  EXPECT_EQ(route.body, "GZIP-INDEX");
  EXPECT_EQ(route.Header("content-encoding"), "gzip");
  EXPECT_EQ(route.Header("vary"), "Accept-Encoding, Origin");
  HttpResult svg = s->Request("GET", "/assets/logo.svg", "", {{"Accept-Encoding", "br"}});
  EXPECT_EQ(svg.body, "<svg/>");
  EXPECT_EQ(svg.Header("content-encoding"), "");
  EXPECT_EQ(svg.Header("vary"), "");
  std::filesystem::remove_all(root);
}

TEST(HttpConfigTest, GeneralRateLimiterAnswers429WithRetryAfter) {
  ServerOptions o;
  o.env["CLEANAI_HTTP_RATE_LIMIT_PER_MINUTE"] = "60";  // burst of 16
  auto s = TestServer::Start(o);
  ASSERT_TRUE(s);
  int limited = 0;
  HttpResult last;
  for (int i = 0; i < 30; ++i) {
    HttpResult r = s->Json("GET", "/api/openapi.json");
    if (r.status == 429) {
      ++limited;
      last = r;
    }
  }
  EXPECT_GE(limited, 10);
  EXPECT_FALSE(last.Header("retry-after").empty());
  EXPECT_EQ(last.Header("content-type"), "application/problem+json");
  // Probes are never limited, so an orchestrator does not kill a busy server.
  EXPECT_EQ(s->Json("GET", "/healthz").status, 200);
}

TEST(HttpConfigTest, SmallerBodyLimitIsConfigurable) {
  ServerOptions o;
  o.env["CLEANAI_HTTP_MAX_JSON_BODY_BYTES"] = "1024";
  auto s = TestServer::Start(o);
  ASSERT_TRUE(s);
  std::string body = "{\"username\":\"" + std::string(2000, 'a') + "\",\"password\":\"x\"}";
  EXPECT_EQ(s->Json("POST", "/api/auth/login", body).status, 413);
}

TEST(HttpConfigTest, NativeTlsWithSelfSignedCertificate) {
  ServerOptions o;
  o.tls = true;
  auto s = TestServer::Start(o);
  ASSERT_TRUE(s);
  HttpResult r = s->Json("GET", "/healthz");
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.Header("strict-transport-security").find("max-age="), std::string::npos);
  // Logging in over TLS marks the refresh cookie Secure.
  HttpResult login = s->Json("POST", "/api/auth/login",
                             Serialize({{"username", "admin"}, {"password", s->admin_password()}}));
  EXPECT_EQ(login.status, 200);
  EXPECT_NE(login.Header("set-cookie").find("Secure"), std::string::npos);
}

}  // namespace
}  // namespace cleanai::testing
