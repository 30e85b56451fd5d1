// SPDX-License-Identifier: AGPL-3.0-or-later
// Crash consistency, tested by killing the real process: submissions retried with their
// Idempotency-Key after a kill -9, a migration killed part way, and a full disk.
#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "storage/database.h"
#include "testing/report_fixtures.h"

namespace cleanai::testing {
namespace {

namespace fs = std::filesystem;

class CrashTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!BackendAvailable(GetParam())) GTEST_SKIP() << GetParam() << " not available";
  }
};

// The media keys (hex content hashes) of every photo file under `dir`.
std::set<std::string> StoredKeys(const std::string& dir) {
  std::set<std::string> keys;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (it->is_regular_file() && name.size() == 68 && name.substr(64) == ".jpg")
      keys.insert(name.substr(0, 64));
  }
  return keys;
}

TEST_P(CrashTest, KilledDuringSubmissionsEveryKeyIsOneReportWithItsPhoto) {
  ServerOptions o;
  o.backend = GetParam();
  // Orphans are swept quickly here; long enough that no in-flight upload looks orphaned.
  o.env = {{"CLEANAI_STORAGE_ORPHAN_GRACE_SECONDS", "4"},
           {"CLEANAI_STORAGE_SWEEP_INTERVAL_SECONDS", "1"}};
  auto first = TestServer::Start(o);
  ASSERT_TRUE(first);
  Account a = RegisterCitizen(*first, "crash");

  // 24 different photos, each with its own key, sent by four clients at once.
  constexpr int kReports = 24;
  std::vector<std::string> photos;
  for (int i = 0; i < kReports; ++i) photos.push_back(MakeImage("jpeg", 300 + i, 200));
  auto fields = [](int i) {
    return std::vector<std::pair<std::string, std::string>>{
        {"wasteType", "plastic"}, {"lat", std::to_string(31.5 + i * 0.001)}, {"lng", "74.35"}};
  };
  auto key = [](int i) {
    return std::map<std::string, std::string>{{"Idempotency-Key", "crash-" + std::to_string(i)}};
  };
  std::vector<std::string> first_ids(kReports);
  std::atomic<int> answered{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < 4; ++c) {
    clients.emplace_back([&, c] {
      for (int i = c; i < kReports; i += 4) {
        HttpResult r = SubmitReport(*first, a.access_token, fields(i), photos[i], "p.jpg", key(i));
        if (r.status == 201) first_ids[i] = Str(r.Json(), "id");
        ++answered;
      }
    });
  }
  // Killed part way: some submissions committed, some in flight, some never sent.
  while (answered < 6) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  first->Kill();
  for (auto& t : clients) t.join();

  // A file a killed process half-wrote, and a photo no report references.
  std::string media = first->data_dir() + "/media";
  fs::create_directories(media + "/ab/cd");
  std::string orphan = media + "/ab/cd/" + std::string(64, 'a').replace(0, 4, "abcd") + ".jpg";
  std::ofstream(orphan) << "not referenced";
  std::ofstream(orphan + ".tmp-0193a1b2") << "half written";

  ServerOptions again = o;
  again.env["CLEANAI_DATABASE_URL"] = first->database_url();
  again.env["CLEANAI_STORAGE_DATA_DIR"] = first->data_dir();
  auto second = TestServer::Start(again);
  ASSERT_TRUE(second);
  // Every client retries every key: each is exactly one report, the same one it was.
  std::set<std::string> ids;
  for (int i = 0; i < kReports; ++i) {
    HttpResult r = SubmitReport(*second, a.access_token, fields(i), photos[i], "p.jpg", key(i));
    ASSERT_EQ(r.status, 201) << i << ": " << r.body;
    std::string id = Str(r.Json(), "id");
    if (!first_ids[i].empty()) {
      EXPECT_EQ(id, first_ids[i]) << "key " << i << " made a second report";
    }
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), static_cast<size_t>(kReports));
  HttpResult mine =
      second->Json("GET", "/api/reports/user/" + a.id + "?limit=100", "", a.access_token);
  ASSERT_EQ(mine.status, 200) << mine.body;
  boost::json::value listed = mine.Json();
  const auto& items = listed.at("items").as_array();
  EXPECT_EQ(items.size(), static_cast<size_t>(kReports));
  std::set<std::string> referenced;
  for (const auto& item : items) {
    // Every report has its photo, readable.
    std::string image = MediaKeyOf(item, "imageUrl");
    ASSERT_FALSE(image.empty());
    EXPECT_EQ(second->Json("GET", "/media/" + image + ".jpg", "", a.access_token).status, 200)
        << image;
    referenced.insert(image);
    referenced.insert(MediaKeyOf(item, "thumbnailUrl"));
  }
  // Once the sweeper has run, no photo file is left without a report.
  bool clean = false;
  for (int i = 0; i < 300 && !clean; ++i) {
    std::set<std::string> stored = StoredKeys(media);
    clean = !fs::exists(orphan) && !fs::exists(orphan + ".tmp-0193a1b2") &&
            std::includes(referenced.begin(), referenced.end(), stored.begin(), stored.end());
    if (!clean) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(clean) << "unreferenced photo files are left after the sweeper ran";
  for (const std::string& k : referenced) {
    EXPECT_TRUE(StoredKeys(media).count(k)) << "a referenced photo was swept: " << k;
  }
}

// The schema as the database describes it, to compare two databases.
std::vector<std::string> Schema(const std::string& url, const std::string& backend) {
  auto db = Database::Open(url, 1);
  EXPECT_TRUE(db);
  if (!db) return {};
  std::string sql =
      backend == "sqlite"
          ? "SELECT type || ' ' || name || ' ' || COALESCE(sql, '') AS d FROM sqlite_master "
            "WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
          : "SELECT table_name || '.' || column_name || ' ' || data_type AS d FROM "
            "information_schema.columns WHERE table_schema = current_schema() UNION ALL "
            "SELECT indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname = "
            "current_schema() "
            "ORDER BY 1";
  auto r = (*db)->Execute(sql, {});
  EXPECT_TRUE(r);
  std::vector<std::string> out;
  if (r)
    for (const Row& row : r->rows) out.push_back(row.Text("d"));
  auto versions = (*db)->Execute("SELECT version FROM schema_migrations ORDER BY version", {});
  if (versions)
    for (const Row& row : versions->rows) out.push_back("v" + std::to_string(row.Int("version")));
  return out;
}

int RunMigrate(const std::string& url, const std::string& dir, int kill_after_ms) {
  // Everything the child needs is made before fork(): a forked child of a threaded process
  // may only call async-signal-safe functions (no malloc, no setenv).
  const std::string binary = CleanaiBinary();
  std::vector<std::string> vars{"CLEANAI_DATABASE_URL=" + url, "CLEANAI_STORAGE_DATA_DIR=" + dir};
  for (char** e = environ; *e; ++e) {
    if (std::strncmp(*e, "CLEANAI_", 8) != 0) vars.emplace_back(*e);
  }
  std::vector<char*> envp;
  for (auto& v : vars) envp.push_back(v.data());
  envp.push_back(nullptr);
  pid_t pid = fork();
  if (pid == 0) {
    int null = ::open("/dev/null", O_WRONLY);
    dup2(null, 1);
    dup2(null, 2);
    execle(binary.c_str(), binary.c_str(), "migrate", static_cast<char*>(nullptr), envp.data());
    _exit(127);
  }
  if (kill_after_ms >= 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(kill_after_ms));
    kill(pid, SIGKILL);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST_P(CrashTest, AMigrationKilledPartWayIsFinishedByTheNextRunWithNothingHalfApplied) {
  std::string dir = MakeTempDir();
  std::string clean_url = FreshDatabaseUrl(GetParam(), dir + "/clean");
  fs::create_directories(dir + "/clean");
  ASSERT_EQ(RunMigrate(clean_url, dir + "/clean", -1), 0);
  std::vector<std::string> expected = Schema(clean_url, GetParam());
  ASSERT_GT(expected.size(), 20u);

  // Killed at several points of the run; each time the next run completes it.
  for (int delay : {2, 10, 25, 50, 100, 200}) {
    std::string sub = dir + "/k" + std::to_string(delay);
    fs::create_directories(sub);
    std::string url = FreshDatabaseUrl(GetParam(), sub);
    RunMigrate(url, sub, delay);
    RunMigrate(url, sub, delay / 2);  // and killed again, earlier, on the half-done database
    EXPECT_EQ(RunMigrate(url, sub, -1), 0) << "after a kill at " << delay << " ms";
    EXPECT_EQ(Schema(url, GetParam()), expected) << "after a kill at " << delay << " ms";
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, CrashTest, ::testing::ValuesIn(TestBackends()), BackendName);

// A data directory on a 48 MB tmpfs, filled up: writes are refused with 507 and nothing
// half-written, reads go on, and writes work again once space returns. Needs root (mount).
TEST(FullDiskTest, WritesAreRefusedReadsContinueAndItRecovers) {
  std::string dir = MakeTempDir();
  if (geteuid() != 0 || mount("tmpfs", dir.c_str(), "tmpfs", 0, "size=48m,mode=0700") != 0) {
    GTEST_SKIP() << "mounting a tmpfs needs root";
  }
  struct Unmount {
    std::string dir;
    ~Unmount() { umount2(dir.c_str(), MNT_DETACH); }
  } unmount{dir};
  ServerOptions o;
  o.env["CLEANAI_STORAGE_DATA_DIR"] = dir;
  o.env["CLEANAI_DATABASE_URL"] = "sqlite:///" + dir + "/cleanai.db";
  auto s = TestServer::Start(o);
  ASSERT_TRUE(s);
  Account a = RegisterCitizen(*s, "full");
  std::string before = FileReport(*s, a.access_token, 31.5, 74.3);
  ASSERT_FALSE(before.empty());

  // Fill the disk to the last byte.
  std::string filler = dir + "/filler";
  {
    std::ofstream out(filler, std::ios::binary);
    std::string block(1 << 20, 'x');
    while (out.write(block.data(), block.size())) {
    }
  }
  {
    std::ofstream out(filler + "2", std::ios::binary);
    while (out.put('x')) {
    }
  }
  std::string photo = MakeImage("jpeg", 1200, 900);
  auto fields = std::vector<std::pair<std::string, std::string>>{
      {"wasteType", "glass"}, {"lat", "31.6"}, {"lng", "74.4"}};
  std::set<std::string> stored_before = StoredKeys(dir + "/media");
  for (int i = 0; i < 3; ++i) {
    HttpResult r = SubmitReport(*s, a.access_token, fields, photo);
    EXPECT_TRUE(r.status == 507 || r.status == 503) << r.status << " " << r.body;
    EXPECT_EQ(r.Header("content-type"), "application/problem+json") << r.body;
    HttpResult reg = s->Json("POST", "/api/auth/register",
                             Serialize({{"username", UniqueName("fullreg")},
                                        {"email", UniqueName("fullreg") + "@example.org"},
                                        {"password", "a long passphrase"}}));
    EXPECT_TRUE(reg.status == 507 || reg.status == 503) << reg.status << " " << reg.body;
  }
  // Reads go on.
  EXPECT_EQ(s->Json("GET", "/healthz").status, 200);
  HttpResult list = s->Json("GET", "/api/reports/user/" + a.id, "", a.access_token);
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.Json().at("items").as_array().size(), 1u) << "a refused report was half-saved";
  EXPECT_EQ(StoredKeys(dir + "/media"), stored_before) << "a refused photo was kept";
  EXPECT_TRUE(s->Running());

  // Space returns: writes work again without a restart.
  fs::remove(filler);
  fs::remove(filler + "2");
  HttpResult after = SubmitReport(*s, a.access_token, fields, photo);
  EXPECT_EQ(after.status, 201) << after.body;
  EXPECT_EQ(s->Json("GET", "/api/reports/user/" + a.id, "", a.access_token)
                .Json()
                .at("items")
                .as_array()
                .size(),
            2u);
  s->Stop();
}

}  // namespace
}  // namespace cleanai::testing
