// SPDX-License-Identifier: AGPL-3.0-or-later
// Start-up, configuration errors, secrets, slow clients and graceful shutdown.
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include "core/crypto.h"
#include "storage/migrations.h"
#include "testing/fixtures.h"

namespace cleanai::testing {
namespace {

std::string Binary() { return CleanaiBinary(); }

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
  o.args = {"--demo-accounts"};
  auto s = TestServer::Start(o);
  ASSERT_TRUE(s);
  EXPECT_FALSE(s->admin_password().empty());
  EXPECT_FALSE(s->PrintedPassword("citizen").empty());
  EXPECT_FALSE(s->PrintedPassword("driver").empty());
  EXPECT_FALSE(s->Login("driver", s->PrintedPassword("driver")).empty());
  struct stat st {};
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

TEST(LifecycleTest, UnderAServiceManagerTheAdminPasswordGoesToAPrivateFileNotTheLog) {
  std::string dir = MakeTempDir();
  ServerOptions o;
  o.env["CLEANAI_STORAGE_DATA_DIR"] = dir;
  o.env["CLEANAI_DATABASE_URL"] = "sqlite:///" + dir + "/db.sqlite";
  o.env["CLEANAI_SERVER_INITIAL_ADMIN_PASSWORD_FILE"] = dir + "/initial-admin-password";
  auto s = TestServer::Start(o);
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->PrintedPassword("admin", 500).empty()) << "printed to the terminal";
  std::ifstream in(dir + "/initial-admin-password");
  std::string user_line, password_line;
  std::getline(in, user_line);
  std::getline(in, password_line);
  ASSERT_EQ(user_line, "username: admin");
  ASSERT_EQ(password_line.rfind("password: ", 0), 0u) << password_line;
  std::string password = password_line.substr(10);
  EXPECT_FALSE(s->Login("admin", password).empty());
  struct stat st {};
  ASSERT_EQ(stat((dir + "/initial-admin-password").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  for (const auto& line : s->LogLines()) EXPECT_EQ(line.find(password), std::string::npos) << line;
  EXPECT_EQ(s->Stop(), 0);
  s.reset();

  // A file already there (left from a first start, or planted) is never overwritten: no
  // admin is made, and the log says why.
  std::string dir2 = MakeTempDir();
  std::ofstream(dir2 + "/initial-admin-password") << "someone else's\n";
  o.env["CLEANAI_STORAGE_DATA_DIR"] = dir2;
  o.env["CLEANAI_DATABASE_URL"] = "sqlite:///" + dir2 + "/db.sqlite";
  o.env["CLEANAI_SERVER_INITIAL_ADMIN_PASSWORD_FILE"] = dir2 + "/initial-admin-password";
  auto t = TestServer::Start(o);
  ASSERT_TRUE(t);
  bool said = false;
  for (const auto& line : t->LogLines())
    said =
        said || line.find("cannot create server.initial_admin_password_file") != std::string::npos;
  EXPECT_TRUE(said);
  std::ifstream again(dir2 + "/initial-admin-password");
  std::string content((std::istreambuf_iterator<char>(again)), std::istreambuf_iterator<char>());
  EXPECT_EQ(content, "someone else's\n");
}

// systemd's Type=notify: the server sends READY=1 on $NOTIFY_SOCKET once it has migrated
// and listens, so that `systemctl start` returns only when requests can be served.
TEST(LifecycleTest, TellsTheServiceManagerItIsReadyOnceItServes) {
  std::string dir = MakeTempDir();
  std::string socket_path = dir + "/notify.sock";
  int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(fd, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", socket_path.c_str());
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ServerOptions o;
  o.env["NOTIFY_SOCKET"] = socket_path;
  auto s = TestServer::Start(o);
  ASSERT_TRUE(s);
  std::string messages;
  pollfd p{fd, POLLIN, 0};
  while (messages.find("READY=1") == std::string::npos && ::poll(&p, 1, 30000) == 1) {
    char buf[512];
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n > 0) messages.append(buf, static_cast<size_t>(n));
  }
  EXPECT_NE(messages.find("READY=1"), std::string::npos) << messages;
  EXPECT_NE(messages.find("STATUS=serving on port " + std::to_string(s->port())), std::string::npos)
      << messages;
  // Ready means ready: the schema is there and requests are answered.
  EXPECT_EQ(s->Request("GET", "/readyz").status, 200);
  EXPECT_EQ(s->Stop(), 0);
  ::close(fd);
}

// The "kid" in an access token's header: which key signed it.
std::string KeyIdOf(const std::string& token) {
  std::string header;
  if (!Base64UrlDecode(token.substr(0, token.find('.')), &header)) return "";
  boost::json::value v = boost::json::parse(header);
  const auto* kid = v.as_object().if_contains("kid");
  return kid ? std::string(kid->as_string()) : "";
}

TEST(LifecycleTest, ARotatedJwtKeyHonoursOldTokensUntilTheyExpireAndNowEndsThemAll) {
  std::string dir = MakeTempDir();
  ServerOptions o;
  o.env["CLEANAI_STORAGE_DATA_DIR"] = dir;
  o.env["CLEANAI_DATABASE_URL"] = "sqlite:///" + dir + "/db.sqlite";
  auto s = TestServer::Start(o);
  ASSERT_TRUE(s);
  const std::string password = s->admin_password();
  const std::string before = s->Login("admin", password);
  const std::string old_kid = KeyIdOf(before);
  ASSERT_EQ(old_kid.size(), 16u);
  int status = 0;
  const std::string cli = "env CLEANAI_STORAGE_DATA_DIR=" + dir + " " + Binary();
  std::string out = RunShell(cli + " rotate-jwt-key", &status);
  ASSERT_EQ(status, 0) << out;
  EXPECT_NE(out.find("honoured for 900 s"), std::string::npos) << out;
  // The running server picks the new key up by itself (no restart).
  std::string after;
  for (int i = 0; i < 300; ++i) {
    after = s->Login("admin", password);
    if (KeyIdOf(after) != old_kid) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_NE(KeyIdOf(after), old_kid) << "the server never signed with the new key";
  EXPECT_EQ(s->Json("GET", "/api/auth/me", "", before).status, 200) << "grace period";
  EXPECT_EQ(s->Json("GET", "/api/auth/me", "", after).status, 200);

  // A leaked key: --now honours neither the old key nor the one before.
  out = RunShell(cli + " rotate-jwt-key --now", &status);
  ASSERT_EQ(status, 0) << out;
  int refused = 0;
  for (int i = 0; i < 300 && refused != 401; ++i) {
    refused = s->Json("GET", "/api/auth/me", "", after).status;
    if (refused != 401) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(refused, 401);
  EXPECT_EQ(s->Json("GET", "/api/auth/me", "", before).status, 401);
  const std::string fresh = s->Login("admin", password);
  EXPECT_EQ(s->Json("GET", "/api/auth/me", "", fresh).status, 200);
  EXPECT_FALSE(std::filesystem::exists(dir + "/secrets/jwt.key.previous"));
  struct stat st {};
  ASSERT_EQ(stat((dir + "/secrets/jwt.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(LifecycleTest, TheLogLevelDropsLinesBelowIt) {
  std::string dir = MakeTempDir();
  int status = 0;
  std::string info =
      RunShell("env CLEANAI_STORAGE_DATA_DIR=" + dir + "/a " + Binary() + " migrate", &status);
  EXPECT_EQ(status, 0) << info;
  EXPECT_NE(info.find("\"level\":\"info\""), std::string::npos) << info;
  std::string warn = RunShell(
      "env CLEANAI_LOG_LEVEL=warn CLEANAI_STORAGE_DATA_DIR=" + dir + "/b " + Binary() + " migrate",
      &status);
  EXPECT_EQ(status, 0) << warn;
  EXPECT_NE(warn.find("applied "), std::string::npos) << warn;
  EXPECT_EQ(warn.find("\"level\":\"info\""), std::string::npos) << warn;
  std::string bad = RunShell("env CLEANAI_LOG_LEVEL=loud " + Binary() + " migrate", &status);
  EXPECT_EQ(status, 2) << bad;
  EXPECT_NE(bad.find("CLEANAI_LOG_LEVEL"), std::string::npos) << bad;
}

TEST(LifecycleTest, APublicUrlNamingThisMachineIsWarnedAboutWhenLinksLeaveIt) {
  auto warned = [](const TestServer& s) {
    for (const auto& line : s.LogLines()) {
      if (line.find("server.public_url names this machine") != std::string::npos) return true;
    }
    return false;
  };
  ServerOptions mail;
  mail.env["CLEANAI_SERVER_PUBLIC_URL"] = "http://localhost:8080";
  mail.env["CLEANAI_NOTIFY_SMTP_URL"] = "smtp://127.0.0.1:9";
  auto a = TestServer::Start(mail);
  ASSERT_TRUE(a);
  EXPECT_TRUE(warned(*a));
  ServerOptions fine;
  fine.env["CLEANAI_SERVER_PUBLIC_URL"] = "https://clean.example.org";
  fine.env["CLEANAI_NOTIFY_SMTP_URL"] = "smtp://127.0.0.1:9";
  auto b = TestServer::Start(fine);
  ASSERT_TRUE(b);
  EXPECT_FALSE(warned(*b));
}

TEST(LifecycleTest, CommandsRefuseUnknownOptionsAndStrayArguments) {
  std::string dir = MakeTempDir();
  std::string env = "env CLEANAI_STORAGE_DATA_DIR=" + dir + " ";
  int status = 0;
  // --password is not an option: it must not silently fall back to a generated password.
  std::string out = RunShell(env + Binary() +
                                 " create-admin --username ops --email ops@city.example "
                                 "--password hunter2hunter2 </dev/null",
                             &status);
  EXPECT_EQ(status, 2) << out;
  EXPECT_NE(out.find("unknown option '--password'"), std::string::npos) << out;
  EXPECT_NE(out.find("usage: cleanai"), std::string::npos) << out;
  EXPECT_EQ(out.find("created admin"), std::string::npos) << out;
  for (std::string bad :
       {" migrate extra", " migrate --demo", " serve --nope", " frobnicate", " migrate --config",
        " create-admin --username a --username b", " demo --per-city 0", " demo --per-city lots",
        " serve --demo --reset", ""}) {
    out = RunShell(env + Binary() + bad + " </dev/null", &status);
    EXPECT_EQ(status, 2) << bad << ": " << out;
    EXPECT_NE(out.find("usage: cleanai"), std::string::npos) << bad << ": " << out;
  }
  // --name=value is accepted too.
  out = RunShell(env + Binary() + " migrate --config=/nonexistent/cleanai.toml", &status);
  EXPECT_NE(status, 0);
  EXPECT_EQ(out.find("usage:"), std::string::npos) << out;
}

TEST(LifecycleTest, MigrateCheckTellsADeployPipelineWhetherAMigrationIsPending) {
  std::string dir = MakeTempDir();
  std::string env = "env CLEANAI_STORAGE_DATA_DIR=" + dir + " CLEANAI_DATABASE_URL=sqlite:///" +
                    dir + "/check.db ";
  int status = 0;
  // A new database: every migration is pending, and --check applies none of them.
  std::string out = RunShell(env + Binary() + " migrate --check 2>&1", &status);
  EXPECT_EQ(status, 1) << out;
  EXPECT_NE(out.find(std::to_string(AllMigrations().size()) + " migration(s) pending: 1 2 3"),
            std::string::npos)
      << out;
  out = RunShell(env + Binary() + " migrate --check 2>&1", &status);
  EXPECT_EQ(status, 1) << out;
  out = RunShell(env + Binary() + " migrate 2>&1", &status);
  EXPECT_EQ(status, 0) << out;
  out = RunShell(env + Binary() + " migrate --check 2>&1", &status);
  EXPECT_EQ(status, 0) << out;
  EXPECT_NE(out.find("schema up to date"), std::string::npos) << out;
  // A database it cannot open is an error (2), not "pending".
  out = RunShell("env CLEANAI_STORAGE_DATA_DIR=" + dir +
                     " CLEANAI_DATABASE_URL=postgresql://nobody@127.0.0.1:1/none " + Binary() +
                     " migrate --check 2>&1",
                 &status);
  EXPECT_NE(status, 0) << out;
  EXPECT_NE(status, 1) << out;
}

TEST(LifecycleTest, CommandAnswersAloneOnStdoutLogsOnStderr) {
  std::string dir = MakeTempDir();
  std::string env = "env CLEANAI_STORAGE_DATA_DIR=" + dir + " ";
  int status = 0;
  std::string out = RunShell(env + Binary() + " migrate", &status, /*stdout_only=*/true);
  EXPECT_EQ(status, 0) << out;
  EXPECT_EQ(out.rfind("applied ", 0), 0u) << out;
  EXPECT_EQ(out.find("\"msg\""), std::string::npos) << "a log line on stdout: " << out;
  out = RunShell("echo 'ops passphrase 1' | " + env + Binary() +
                     " create-admin --username ops --email ops@city.example",
                 &status, /*stdout_only=*/true);
  EXPECT_EQ(status, 0) << out;
  EXPECT_EQ(out.rfind("created admin ops (", 0), 0u) << out;
  EXPECT_EQ(out.find("\"msg\""), std::string::npos) << "a log line on stdout: " << out;
}

TEST(LifecycleTest, UnfinishedUploadsOfADeadProcessAreRemovedAtStart) {
  std::string dir = MakeTempDir();
  std::filesystem::create_directories(dir + "/tmp");
  for (std::string name : {"upload-0193a1b2-dead", "upload-0193a1b2-beef"}) {
    std::ofstream(dir + "/tmp/" + name) << std::string(100000, 'x');
  }
  std::ofstream(dir + "/tmp/keep.txt") << "not ours";
  ServerOptions o;
  o.env["CLEANAI_STORAGE_DATA_DIR"] = dir;
  o.env["CLEANAI_DATABASE_URL"] = "sqlite:///" + dir + "/db.sqlite";
  auto s = TestServer::Start(o);
  ASSERT_TRUE(s);
  EXPECT_FALSE(std::filesystem::exists(dir + "/tmp/upload-0193a1b2-dead"));
  EXPECT_FALSE(std::filesystem::exists(dir + "/tmp/upload-0193a1b2-beef"));
  EXPECT_TRUE(std::filesystem::exists(dir + "/tmp/keep.txt"));
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
                     " create-admin --username ops --email ops@city.example",
                 &status);
  EXPECT_EQ(status, 0) << out;
  out = RunShell("echo 'ops passphrase 1' | " + env + Binary() +
                     " create-admin --username OPS --email other@city.example",
                 &status);
  EXPECT_NE(status, 0) << "duplicate admin accepted: " << out;

  ServerOptions o;
  o.env["CLEANAI_STORAGE_DATA_DIR"] = dir;
  o.env["CLEANAI_DATABASE_URL"] = "sqlite:///" + dir + "/cleanai.db";
  auto s = TestServer::Start(o);
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->PrintedPassword("admin", 500).empty())
      << "an admin existed; none should be generated";
  std::string token = s->Login("ops", "ops passphrase 1");
  EXPECT_EQ(s->Json("GET", "/api/users", "", token).status, 200);
}

TEST(LifecycleTest, SlowClientIsCutOffAndDoesNotBlockOthers) {
  ServerOptions o;
  o.env["CLEANAI_HTTP_READ_TIMEOUT_SECONDS"] = "1";
  auto s = TestServer::Start(o);
  ASSERT_TRUE(s);
  // Half a head, then silence: answered 408 and closed at the read timeout (1 s here),
  // long before the client's own 30 s patience runs out.
  auto slow = std::async(std::launch::async, [&] {
    bool closed = false;
    std::string answer =
        s->RawExchange("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ", 30000, &closed);
    return std::make_pair(answer, closed);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(s->Json("GET", "/healthz").status, 200);  // served while the slow one waits
  auto [answer, closed] = slow.get();
  EXPECT_TRUE(closed) << "the slow connection was not cut off";
  EXPECT_EQ(answer.rfind("HTTP/1.1 408 ", 0), 0u) << answer;
  EXPECT_NE(answer.find("application/problem+json"), std::string::npos) << answer;

  // An idle keep-alive connection that sent nothing is closed quietly, without a 408.
  bool idle_closed = false;
  std::string idle = s->RawExchange("", 30000, &idle_closed);
  EXPECT_TRUE(idle_closed);
  EXPECT_EQ(idle, "");

  // A body that never arrives is cut off too.
  bool body_closed = false;
  s->RawExchange(
      "POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: 100\r\n\r\n{\"user",
      30000, &body_closed);
  EXPECT_TRUE(body_closed) << "the slow body was not cut off";
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
  for (const auto& line : s->LogLines())
    stopped |= line.find("server stopped") != std::string::npos;
  EXPECT_TRUE(stopped);
}

TEST(LifecycleTest, PostgresOutageMakesReadyzFailNotCrash) {
  // With an unreachable database the server refuses to start, with a clear message.
  int status = 0;
  std::string out = RunShell(
      "env CLEANAI_DATABASE_URL='postgresql://nobody@127.0.0.1:1/none?connect_timeout=2' " +
          Binary() + " serve",
      &status);
  EXPECT_NE(status, 0);
  EXPECT_NE(out.find("PostgreSQL"), std::string::npos) << out;
}

}  // namespace
}  // namespace cleanai::testing
