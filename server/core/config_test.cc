// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/config.h"

#include <gtest/gtest.h>

#include <fstream>
#include <utility>
#include <vector>

namespace cleanai {
namespace {

std::string WriteFile(const std::string& text) {
  std::string path = "/tmp/cleanai-config-test-" + std::to_string(::getpid()) + ".toml";
  std::ofstream(path) << text;
  return path;
}

TEST(ConfigTest, DefaultsWithoutFileOrEnvironment) {
  auto c = LoadConfig("", {});
  ASSERT_TRUE(c) << c.error().message();
  EXPECT_EQ(c->port, 8080);
  EXPECT_EQ(c->max_json_body_bytes, 64 * 1024);
  EXPECT_EQ(c->access_token_ttl_seconds, 900);
  EXPECT_FALSE(c->tls_enabled());
}

TEST(ConfigTest, FileThenEnvironmentOverride) {
  std::string path = WriteFile(
      "[server]\nport = 9000\nlisten = \"0.0.0.0\"\n[http]\ncors_origins = "
      "[\"https://city.example\"]\nmax_json_body_bytes = 2048\n[auth]\n"
      "access_token_ttl_seconds = 60\n");
  auto c = LoadConfig(path, {{"CLEANAI_SERVER_PORT", "9100"},
                             {"CLEANAI_HTTP_CORS_ORIGINS", "https://a.example,https://b.example"}});
  ASSERT_TRUE(c) << c.error().message();
  EXPECT_EQ(c->port, 9100);
  EXPECT_EQ(c->listen_address, "0.0.0.0");
  EXPECT_EQ(c->max_json_body_bytes, 2048);
  EXPECT_EQ(c->access_token_ttl_seconds, 60);
  ASSERT_EQ(c->cors_origins.size(), 2u);
  EXPECT_EQ(c->cors_origins[1], "https://b.example");
}

TEST(ConfigTest, NumbersWithFractions) {
  auto c =
      LoadConfig(WriteFile("[ai]\nconfidence = 0.4\n"), {{"CLEANAI_AI_LARGE_COVERAGE", "0.5"}});
  ASSERT_TRUE(c) << c.error().message();
  EXPECT_DOUBLE_EQ(c->ai_confidence, 0.4);
  EXPECT_DOUBLE_EQ(c->ai_large_coverage, 0.5);
  for (const char* bad : {"[ai]\niou = 1\n", "[ai]\niou = \"x\"\n"}) {
    auto b = LoadConfig(WriteFile(bad), {});
    ASSERT_FALSE(b) << bad;
    EXPECT_NE(b.error().message().find("ai.iou"), std::string::npos) << b.error().message();
  }
  for (const char* bad : {"0.5x", "nan", ""}) {
    EXPECT_FALSE(LoadConfig("", {{"CLEANAI_AI_CONFIDENCE", bad}})) << bad;
  }
  EXPECT_FALSE(LoadConfig("", {{"CLEANAI_AI_THREADS", "65"}}));
  EXPECT_FALSE(LoadConfig("", {{"CLEANAI_AI_QUEUE", "0"}}));
}

TEST(ConfigTest, PushServicesAreHostNames) {
  auto c = LoadConfig("", {{"CLEANAI_NOTIFY_PUSH_HOSTS", "fcm.googleapis.com,127.0.0.1"}});
  ASSERT_TRUE(c) << c.error().message();
  EXPECT_EQ(c->notify_push_hosts.size(), 2u);
  for (const char* bad : {"https://fcm.googleapis.com", "fcm.googleapis.com:443", "a b"}) {
    auto b = LoadConfig("", {{"CLEANAI_NOTIFY_PUSH_HOSTS", bad}});
    ASSERT_FALSE(b) << bad;
    EXPECT_NE(b.error().message().find("CLEANAI_NOTIFY_PUSH_HOSTS"), std::string::npos)
        << b.error().message();
  }
  EXPECT_FALSE(
      LoadConfig("", {{"CLEANAI_NOTIFY_PUSH_SUBJECT", "ops@city.example"}}));  // no mailto:
}

TEST(ConfigTest, AReadReplicaIsAPostgresUrlAndSecretsMayLiveApart) {
  auto c = LoadConfig("", {{"CLEANAI_DATABASE_READ_URL", "postgresql://r@10.0.0.2/cleanai"},
                           {"CLEANAI_DATABASE_READ_POOL_SIZE", "8"},
                           {"CLEANAI_STORAGE_SECRETS_DIR", "/etc/cleanai/secrets"}});
  ASSERT_TRUE(c) << c.error().message();
  EXPECT_EQ(c->database_read_pool_size, 8);
  EXPECT_EQ(c->SecretsDir(), "/etc/cleanai/secrets");
  EXPECT_EQ(LoadConfig("", {})->SecretsDir(), "var/secrets");  // beside the data by default
  EXPECT_EQ(LoadConfig("", {{"CLEANAI_LOG_LEVEL", "warn"}})->log_level, "warn");
  for (auto [key, bad] : std::vector<std::pair<std::string, std::string>>{
           {"CLEANAI_DATABASE_READ_URL", "sqlite:///replica.db"},
           {"CLEANAI_DATABASE_READ_POOL_SIZE", "0"},
           {"CLEANAI_LOG_LEVEL", "verbose"}}) {
    auto b = LoadConfig("", {{key, bad}});
    ASSERT_FALSE(b) << key << "=" << bad;
    EXPECT_NE(b.error().message().find(key), std::string::npos) << b.error().message();
  }
}

TEST(ConfigTest, UnknownKeyIsNamed) {
  auto c = LoadConfig(WriteFile("[server]\nprot = 80\n"), {});
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message().find("server.prot"), std::string::npos) << c.error().message();
}

TEST(ConfigTest, WrongTypeIsNamed) {
  auto c = LoadConfig(WriteFile("[server]\nport = \"eighty\"\n"), {});
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message().find("server.port"), std::string::npos);
}

TEST(ConfigTest, OutOfRangeEnvironmentValueIsNamed) {
  auto c = LoadConfig("", {{"CLEANAI_SERVER_PORT", "70000"}});
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message().find("CLEANAI_SERVER_PORT"), std::string::npos);
  auto d = LoadConfig("", {{"CLEANAI_HTTP_MAX_JSON_BODY_BYTES", "12abc"}});
  ASSERT_FALSE(d);
  EXPECT_NE(d.error().message().find("CLEANAI_HTTP_MAX_JSON_BODY_BYTES"), std::string::npos);
}

TEST(ConfigTest, BadDatabaseUrlAndCorsOrigin) {
  EXPECT_FALSE(LoadConfig("", {{"CLEANAI_DATABASE_URL", "mysql://x"}}));
  EXPECT_FALSE(LoadConfig("", {{"CLEANAI_HTTP_CORS_ORIGINS", "city.example"}}));
}

TEST(ConfigTest, TlsNeedsBothFiles) {
  auto c = LoadConfig("", {{"CLEANAI_TLS_CERT_FILE", "/tmp/cert.pem"}});
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message().find("tls."), std::string::npos);
}

// Found by fuzz/config_fuzz (twice): toml++ 3.3 reached __builtin_unreachable() on these.
TEST(ConfigTest, NonAsciiIsRefusedBeforeTheParserSeesIt) {
  for (std::string bad :
       {"\xEF\xBB\xB0\x07", "[server]\n\xC2\xA1port = 1\n", "[server]\nport =\xE3\x80\x81 1\n",
        "[server]\nport = \"eighty\"\n[[x]]\ny = 19\x03-05'\x04''[-2\xCB\xAB"
        "07:32:00Z\n",
        "# \xD8\xB4\xDB\x81\xD8\xB1\n"}) {
    auto c = LoadConfig(WriteFile(bad), {});
    ASSERT_FALSE(c);
    EXPECT_NE(c.error().message().find("must be ASCII"), std::string::npos) << c.error().message();
  }
  // Other characters as escapes in strings, or in the environment.
  auto ok = LoadConfig(
      WriteFile("[notify]\nsmtp_from = \"CleanAI \\u06a9\\u0631\\u0627 <noreply@city.example>\"\n"),
      {});
  ASSERT_TRUE(ok) << ok.error().message();
  EXPECT_EQ(ok->notify_smtp_from, "CleanAI \xDA\xA9\xD8\xB1\xD8\xA7 <noreply@city.example>");
  auto env = LoadConfig("", {{"CLEANAI_NOTIFY_SMTP_FROM",
                              "CleanAI \xDA\xA9\xD8\xB1\xD8\xA7 <noreply@city.example>"}});
  EXPECT_TRUE(env) << env.error().message();
}

TEST(ConfigTest, AnS3PhotoStoreNeedsItsKeys) {
  auto missing = LoadConfig("", {{"CLEANAI_STORAGE_MEDIA_URL", "s3://photos/cleanai"}});
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message().find("storage.media_url"), std::string::npos);
  auto scheme = LoadConfig("", {{"CLEANAI_STORAGE_MEDIA_URL", "ftp://photos"}});
  ASSERT_FALSE(scheme);
  EXPECT_NE(scheme.error().message().find("CLEANAI_STORAGE_MEDIA_URL"), std::string::npos);
  auto endpoint = LoadConfig("", {{"CLEANAI_STORAGE_S3_ENDPOINT", "127.0.0.1:9000"}});
  ASSERT_FALSE(endpoint);
  auto ok = LoadConfig("", {{"CLEANAI_STORAGE_MEDIA_URL", "s3://photos/cleanai"},
                            {"CLEANAI_STORAGE_S3_ENDPOINT", "https://s3.example.org"},
                            {"CLEANAI_STORAGE_S3_ACCESS_KEY", "AKIA"},
                            {"CLEANAI_STORAGE_S3_SECRET_KEY", "secret"}});
  ASSERT_TRUE(ok) << ok.error().message();
  EXPECT_EQ(ok->media_url, "s3://photos/cleanai");
}

TEST(ConfigTest, MalformedTomlReportsLine) {
  auto c = LoadConfig(WriteFile("[server]\nport = = 1\n"), {});
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message().find("line 2"), std::string::npos) << c.error().message();
}

}  // namespace
}  // namespace cleanai

namespace cleanai {
namespace {
TEST(ConfigTest, ExampleFileLoadsAndMatchesDefaults) {
  auto c = LoadConfig(std::string(CLEANAI_SOURCE_DIR) + "/config/cleanai.example.toml", {});
  ASSERT_TRUE(c) << c.error().message();
  Config d;
  EXPECT_EQ(c->port, d.port);
  EXPECT_EQ(c->max_json_body_bytes, d.max_json_body_bytes);
  EXPECT_EQ(c->refresh_token_ttl_seconds, d.refresh_token_ttl_seconds);
  EXPECT_EQ(c->rate_limit_per_minute, d.rate_limit_per_minute);
  EXPECT_FALSE(c->tls_enabled());
}
}  // namespace
}  // namespace cleanai

namespace cleanai {
namespace {

TEST(ConfigTest, OidcProvidersAreReadAndEachFieldIsChecked) {
  const char* good =
      "[[auth.oidc]]\nid = \"city-sso\"\ndisplay_name = \"City SSO\"\n"
      "issuer = \"https://id.city.example\"\nclient_id = \"cleanai\"\n"
      "scopes = [\"openid\", \"email\"]\nnew_account_role = \"driver\"\nallow_admins = true\n"
      "[[auth.oidc]]\nid = \"google\"\nissuer = \"https://accounts.google.com\"\n"
      "client_id = \"123.apps\"\nclient_secret = \"in-file\"\n";
  auto c = LoadConfig(WriteFile(good), {{"CLEANAI_AUTH_OIDC_CITY_SSO_CLIENT_SECRET", "from-env"}});
  ASSERT_TRUE(c) << c.error().message();
  ASSERT_EQ(c->oidc_providers.size(), 2u);
  EXPECT_EQ(c->oidc_providers[0].client_secret, "from-env");
  EXPECT_EQ(c->oidc_providers[0].new_account_role, "driver");
  EXPECT_TRUE(c->oidc_providers[0].allow_admins);
  EXPECT_EQ(c->oidc_providers[1].display_name, "google");  // defaults to the id
  EXPECT_EQ(c->oidc_providers[1].scopes.size(), 3u);       // openid email profile
  EXPECT_FALSE(c->oidc_providers[1].allow_admins);

  const std::string base =
      "issuer = \"https://id.example\"\nclient_id = \"x\"\nclient_secret = \"s\"\n";
  for (auto [text, key] : std::vector<std::pair<std::string, std::string>>{
           {"[[auth.oidc]]\nid = \"City\"\n" + base, "auth.oidc[0].id"},
           {"[[auth.oidc]]\nid = \"a\"\n" + base + "[[auth.oidc]]\nid = \"a\"\n" + base,
            "auth.oidc.a.id"},
           {"[[auth.oidc]]\nid = \"a\"\nissuer = \"http://id.example\"\nclient_id = \"x\"\n"
            "client_secret = \"s\"\n",
            "auth.oidc.a.issuer"},
           {"[[auth.oidc]]\nid = \"a\"\nissuer = \"https://id.example\"\nclient_secret = \"s\"\n",
            "auth.oidc.a.client_id"},
           {"[[auth.oidc]]\nid = \"a\"\nissuer = \"https://id.example\"\nclient_id = \"x\"\n",
            "auth.oidc.a.client_secret"},
           {"[[auth.oidc]]\nid = \"a\"\n" + base + "new_account_role = \"admin\"\n",
            "auth.oidc.a.new_account_role"},
           {"[[auth.oidc]]\nid = \"a\"\n" + base + "scopes = [\"email\"]\n", "auth.oidc.a.scopes"},
           {"[[auth.oidc]]\nid = \"a\"\n" + base + "secret = \"typo\"\n", "auth.oidc[0].secret"},
           {"[auth]\noidc = \"x\"\n", "auth.oidc"}}) {
    auto b = LoadConfig(WriteFile(text), {});
    ASSERT_FALSE(b) << text;
    EXPECT_NE(b.error().message().find(key), std::string::npos) << b.error().message();
  }
  // Loopback issuers may be http (tests, a provider on the same machine).
  auto local = LoadConfig(
      WriteFile("[[auth.oidc]]\nid = \"t\"\nissuer = \"http://127.0.0.1:4000\"\nclient_id = "
                "\"x\"\nclient_secret = \"s\"\n"),
      {});
  EXPECT_TRUE(local) << local.error().message();
}

}  // namespace
}  // namespace cleanai
