// Start-up, configuration errors, secrets, slow clients and graceful shutdown.
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <future>
#include <thread>

#include "testing/fixtures.h"

namespace cleanai::testing {
namespace {

std::string RunShell(const std::string& cmd, int* status) {
  std::string out;
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int rc = pclose(p);
  *status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  return out;
}

std::string Binary() {
  const char* b = std::getenv("CLEANAI_BINARY");
  return b ? b : "./cleanai";
}

TEST(LifecycleTest, InvalidConfigurationStopsStartupNamingTheKey) {
  int status = 0;
  std::string out = RunShell("env CLEANAI_SERVER_PORT=eighty " + Binary() + " serve", &status);
  EXPECT_NE(status, 0);
  EXPECT_NE(out.find("CLEANAI_SERVER_PORT"), std::string::npos) << out;

  std::string dir = MakeTempDir();
  std::string file = dir + "/bad.toml";
  FILE* f = fopen(file.c_str(), "w");
  fputs("[database]\nurl = \"mysql://nope\"\n", f);
  fclose(f);
  out = RunShell(Binary() + " serve --config " + file, &status);
  EXPECT_NE(status, 0);
  EXPECT_NE(out.find("database.url"), std::string::npos) << out;
}

TEST(LifecycleTest, SecretsAreGeneratedOncePrivateAndAdminPrintedOnce) {
  std::string dir = MakeTempDir();
  ServerOptions o;
  o.env["CLEANAI_STORAGE_DATA_DIR"] = dir;
  o.env["CLEANAI_DATABASE_URL"] = "sqlite:///" + dir + "/db.sqlite";
  o.args = {"--demo"};
  auto s = TestServer::Start(o);
  ASSERT_TRUE(s);
  EXPECT_FALSE(s->admin_password().empty());
  EXPECT_FALSE(s->PrintedPassword("citizen").empty());
  EXPECT_FALSE(s->PrintedPassword("driver").empty());
  EXPECT_FALSE(s->Login("driver", s->PrintedPassword("driver")).empty());
  struct stat st{};
  ASSERT_EQ(stat((dir + "/secrets/jwt.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  for (const auto& line : s->LogLines()) {
    EXPECT_EQ(line.find("\"msg\"") != std::string::npos &&
                  line.find(s->admin_password()) != std::string::npos,
              false)
        << "admin password in a JSON log line";
  }
  std::string admin_pw = s->admin_password();
  EXPECT_EQ(s->Stop(), 0);
  s.reset();

  // Second start on the same data: same key (old tokens stay valid), nothing printed.
  auto again = TestServer::Start(o);
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->PrintedPassword("admin", 500).empty());
  EXPECT_FALSE(again->Login("admin", admin_pw).empty());
}

TEST(LifecycleTest, MigrateAndCreateAdminCommands) {
  std::string dir = MakeTempDir();
  std::string env = "env CLEANAI_STORAGE_DATA_DIR=" + dir + " ";
  int status = 0;
  std::string out = RunShell(env + Binary() + " migrate", &status);
  EXPECT_EQ(status, 0) << out;
  EXPECT_NE(out.find("applied "), std::string::npos) << out;
  EXPECT_EQ(out.find("applied 0 "), std::string::npos) << out;
  out = RunShell(env + Binary() + " migrate", &status);
  EXPECT_NE(out.find("applied 0 migration(s)"), std::string::npos) << out;
  out = RunShell("echo 'ops passphrase 1' | " + env + Binary() +
                " create-admin --username ops --email ops@city.example", &status);
  EXPECT_EQ(status, 0) << out;
  out = RunShell("echo 'ops passphrase 1' | " + env + Binary() +
                " create-admin --username OPS --email other@city.example", &status);
  EXPECT_NE(status, 0) << "duplicate admin accepted: " << out;

  ServerOptions o;
  o.env["CLEANAI_STORAGE_DATA_DIR"] = dir;
  o.env["CLEANAI_DATABASE_URL"] = "sqlite:///" + dir + "/cleanai.db";
  auto s = TestServer::Start(o);
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->PrintedPassword("admin", 500).empty()) << "an admin existed; none should be generated";
  std::string token = s->Login("ops", "ops passphrase 1");
  EXPECT_EQ(s->Json("GET", "/api/users", "", token).status, 200);
}

TEST(LifecycleTest, SlowClientIsCutOffAndDoesNotBlockOthers) {
  ServerOptions o;
  o.env["CLEANAI_HTTP_READ_TIMEOUT_SECONDS"] = "1";
  auto s = TestServer::Start(o);
  ASSERT_TRUE(s);
  auto slow = std::async(std::launch::async, [&] {
    auto start = std::chrono::steady_clock::now();
    // Half a request line, then silence.
    s->RawExchange("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ", 10000);
    return std::chrono::steady_clock::now() - start;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(s->Json("GET", "/healthz").status, 200);  // served while the slow one waits
  auto held = slow.get();
  EXPECT_LT(held, std::chrono::seconds(4)) << "the slow connection was not cut off";

  // A body that never arrives is cut off too.
  auto start = std::chrono::steady_clock::now();
  s->RawExchange("POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 "Content-Length: 100\r\n\r\n{\"user",
                 10000);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(4));
  EXPECT_TRUE(s->Running());
}

TEST(LifecycleTest, SigtermLetsInFlightRequestsFinish) {
  auto s = TestServer::Start();
  ASSERT_TRUE(s);
  std::string pw = s->admin_password();
  // Logging in takes tens of milliseconds of Argon2id: SIGTERM lands mid-request.
  auto in_flight = std::async(std::launch::async, [&] {
    return s->Json("POST", "/api/auth/login", Serialize({{"username", "admin"}, {"password", pw}}));
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(15));
  int code = s->Stop();
  HttpResult r = in_flight.get();
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(code, 0);
  bool stopped = false;
  for (const auto& line : s->LogLines()) stopped |= line.find("server stopped") != std::string::npos;
  EXPECT_TRUE(stopped);
}

TEST(LifecycleTest, PostgresOutageMakesReadyzFailNotCrash) {
  // With an unreachable database the server refuses to start, with a clear message.
  int status = 0;
  std::string out = RunShell("env CLEANAI_DATABASE_URL='postgresql://nobody@127.0.0.1:1/none?connect_timeout=2' " +
                            Binary() + " serve",
                        &status);
  EXPECT_NE(status, 0);
  EXPECT_NE(out.find("PostgreSQL"), std::string::npos) << out;
}

}  // namespace
}  // namespace cleanai::testing
