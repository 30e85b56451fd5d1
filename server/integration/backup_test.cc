// SPDX-License-Identifier: AGPL-3.0-or-later
// `cleanai backup` and `cleanai restore` through the real binary, on both backends: a
// backup taken while reports are being written restores into an empty target with every
// report, its audit trail and every photo byte for byte; a damaged, unfinished or
// tampered backup is refused and nothing is restored; a target with data is refused
// unless --force, and never under a running server.
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <thread>

#include "storage/database.h"
#include "testing/report_fixtures.h"

namespace cleanai::testing {
namespace {

namespace fs = std::filesystem;

// The command line for `cleanai ARGS` on this database and data directory.
std::string Cli(const std::string& database_url, const std::string& data_dir,
                const std::string& args) {
  return "env CLEANAI_DATABASE_URL='" + database_url + "' CLEANAI_STORAGE_DATA_DIR='" + data_dir +
         "' " + CleanaiBinary() + " " + args;
}

int64_t TableCount(const std::string& database_url) {
  if (database_url.rfind("sqlite:///", 0) == 0) {
    return fs::exists(database_url.substr(10)) ? 1 : 0;
  }
  auto db = Database::Open(database_url, 1);
  if (!db) return -1;
  auto r = (*db)->Execute(
      "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = current_schema()");
  return r ? r->rows[0].Int("n") : -1;
}

size_t FilesUnder(const std::string& dir) {
  size_t n = 0;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
    n += it->is_regular_file() ? 1 : 0;
  return n;
}

class BackupTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!BackendAvailable(GetParam())) GTEST_SKIP() << GetParam() << " not available";
  }
};

TEST_P(BackupTest, ABackupTakenDuringWritesRestoresEveryReportItsTrailAndEveryPhoto) {
  ServerOptions o;
  o.backend = GetParam();
  auto source = TestServer::Start(o);
  ASSERT_TRUE(source);
  const std::string admin = source->Login("admin", source->admin_password());
  Account citizen = RegisterCitizen(*source, "bak");
  std::vector<std::string> before;
  for (int i = 0; i < 10; ++i) {
    HttpResult r = SubmitReport(*source, citizen.access_token,
                                {{"wasteType", i % 2 ? "plastic" : "organic"},
                                 {"lat", std::to_string(24.86 + i * 0.001)},
                                 {"lng", "67.01"}},
                                MakeImage("jpeg", 320 + i, 240));
    ASSERT_EQ(r.status, 201) << r.body;
    before.push_back(Str(r.Json(), "id"));
    if (i % 3 == 0) {  // an audit trail to carry over
      HttpResult s = source->Json("PATCH", "/api/reports/" + before.back() + "/status",
                                  Serialize({{"status", "acknowledged"}}), admin);
      ASSERT_EQ(s.status, 200) << s.body;
    }
  }

  // A citizen keeps filing while the backup runs.
  std::atomic<bool> stop{false};
  std::atomic<int> written{0};
  std::thread writer([&] {
    for (int i = 0; !stop && i < 200; ++i) {
      HttpResult r = SubmitReport(
          *source, citizen.access_token,
          {{"wasteType", "metal"}, {"lat", std::to_string(24.90 + i * 0.0005)}, {"lng", "67.05"}},
          MakeImage("jpeg", 200 + i % 50, 160 + i / 50));
      if (r.status == 201) ++written;
    }
  });
  while (written < 2) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  const std::string backup = MakeTempDir() + "/backup";
  int status = 0;
  std::string out =
      RunShell(Cli(source->database_url(), source->data_dir(), "backup --to " + backup), &status);
  stop = true;
  writer.join();
  ASSERT_EQ(status, 0) << out;
  EXPECT_NE(out.find("backup of the"), std::string::npos) << out;
  EXPECT_TRUE(fs::exists(backup + "/manifest.json"));
  EXPECT_EQ(fs::status(backup).permissions() & fs::perms::others_all, fs::perms::none);

  // Into an empty target: a new database and a new data directory.
  const std::string target_dir = MakeTempDir();
  const std::string target_db = FreshDatabaseUrl(GetParam(), target_dir);
  out = RunShell(Cli(target_db, target_dir, "restore --from " + backup), &status);
  ASSERT_EQ(status, 0) << out;
  ServerOptions restored_options = o;
  restored_options.env["CLEANAI_DATABASE_URL"] = target_db;
  restored_options.env["CLEANAI_STORAGE_DATA_DIR"] = target_dir;
  auto restored = TestServer::Start(restored_options);
  ASSERT_TRUE(restored);
  // The keys came back too: a session of the source goes on working.
  HttpResult listed = restored->Json("GET", "/api/reports?limit=100", "", admin);
  ASSERT_EQ(listed.status, 200) << listed.body;
  boost::json::value listed_json = listed.Json();
  const auto& items = listed_json.at("items").as_array();
  std::set<std::string> ids;
  for (const auto& item : items) ids.insert(Str(item, "id"));
  for (const auto& id : before) EXPECT_TRUE(ids.count(id)) << id << " was filed before the backup";
  EXPECT_GE(ids.size(), before.size());
  EXPECT_LE(ids.size(), before.size() + static_cast<size_t>(written));
  for (const auto& id : ids) {
    HttpResult a = source->Json("GET", "/api/reports/" + id, "", admin);
    HttpResult b = restored->Json("GET", "/api/reports/" + id, "", admin);
    ASSERT_EQ(b.status, 200) << b.body;
    EXPECT_EQ(a.Json(), b.Json()) << id;
    HttpResult ea = source->Json("GET", "/api/reports/" + id + "/events", "", admin);
    HttpResult eb = restored->Json("GET", "/api/reports/" + id + "/events", "", admin);
    ASSERT_EQ(eb.status, 200) << eb.body;
    EXPECT_EQ(ea.Json(), eb.Json()) << id << ": the audit trail differs";
    for (const char* field : {"imageUrl", "thumbnailUrl"}) {
      std::string key = MediaKeyOf(b.Json(), field);
      ASSERT_FALSE(key.empty()) << id << " " << field;
      HttpResult pa = source->Json("GET", "/media/" + key + ".jpg", "", admin);
      HttpResult pb = restored->Json("GET", "/media/" + key + ".jpg", "", admin);
      ASSERT_EQ(pb.status, 200) << id << " " << field;
      EXPECT_EQ(pa.body, pb.body) << id << " " << field << ": not byte-identical";
    }
  }
}

TEST_P(BackupTest, ADamagedUnfinishedOrTamperedBackupIsRefusedAndNothingIsRestored) {
  ServerOptions o;
  o.backend = GetParam();
  auto source = TestServer::Start(o);
  ASSERT_TRUE(source);
  Account citizen = RegisterCitizen(*source, "dmg");
  std::string id = FileReport(*source, citizen.access_token, 31.52, 74.35);
  const std::string backup = MakeTempDir() + "/backup";
  int status = 0;
  std::string out =
      RunShell(Cli(source->database_url(), source->data_dir(), "backup --to " + backup), &status);
  ASSERT_EQ(status, 0) << out;
  // A backup never goes into a directory that holds something.
  out = RunShell(Cli(source->database_url(), source->data_dir(), "backup --to " + backup), &status);
  EXPECT_EQ(status, 1) << out;
  EXPECT_NE(out.find("not empty"), std::string::npos) << out;

  std::string photo;
  for (const auto& e : fs::directory_iterator(backup + "/media")) photo = e.path().string();
  ASSERT_FALSE(photo.empty());
  const std::string db_file =
      backup + (GetParam() == "sqlite" ? "/database.sqlite" : "/database.pgdump");
  struct Damage {
    const char* what;
    std::function<void(const std::string& copy)> apply;
    const char* message;
  };
  const std::string photo_name = "media/" + fs::path(photo).filename().string();
  std::vector<Damage> damages{
      {"a photo with one byte changed",
       [&](const std::string& copy) {
         std::fstream f(copy + "/" + photo_name, std::ios::in | std::ios::out | std::ios::binary);
         f.seekp(200);
         f.put('\x5a');
       },
       "checksum does not match"},
      {"a truncated database",
       [&](const std::string& copy) {
         fs::resize_file(copy + "/" + fs::path(db_file).filename().string(),
                         fs::file_size(db_file) / 2);
       },
       "bytes, the manifest says"},
      {"an unfinished backup (no manifest)",
       [](const std::string& copy) { fs::remove(copy + "/manifest.json"); },
       "not a complete backup"},
      {"a missing photo", [&](const std::string& copy) { fs::remove(copy + "/" + photo_name); },
       "missing"},
      {"a manifest that names a path outside the backup",
       [&](const std::string& copy) {
         std::ifstream in(copy + "/manifest.json");
         std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
         size_t at = text.find(photo_name);
         text.replace(at, photo_name.size(), "media/../../../etc/passwd");
         std::ofstream(copy + "/manifest.json", std::ios::trunc) << text;
       },
       "not a name a backup uses"},
      {"a manifest that is not JSON",
       [](const std::string& copy) {
         std::ofstream(copy + "/manifest.json", std::ios::trunc) << "{\"format\": \"cleanai-b";
       },
       "damaged"},
  };
  for (const auto& damage : damages) {
    const std::string copy = MakeTempDir() + "/copy";
    fs::copy(backup, copy, fs::copy_options::recursive);
    damage.apply(copy);
    const std::string target_dir = MakeTempDir();
    const std::string target_db = FreshDatabaseUrl(GetParam(), target_dir);
    out = RunShell(Cli(target_db, target_dir, "restore --from " + copy), &status);
    EXPECT_EQ(status, 1) << damage.what << ": " << out;
    EXPECT_NE(out.find("restore refused"), std::string::npos) << damage.what << ": " << out;
    EXPECT_NE(out.find(damage.message), std::string::npos) << damage.what << ": " << out;
    EXPECT_NE(out.find("nothing was restored"), std::string::npos) << damage.what << ": " << out;
    EXPECT_EQ(TableCount(target_db), 0) << damage.what << ": the database was touched";
    EXPECT_EQ(FilesUnder(target_dir + "/media"), 0u) << damage.what << ": photos were written";
  }

  // A target with data: refused without --force; with it, never under a running server.
  out = RunShell(Cli(source->database_url(), source->data_dir(), "restore --from " + backup),
                 &status);
  EXPECT_EQ(status, 1) << out;
  EXPECT_NE(out.find("already holds data"), std::string::npos) << out;
  out = RunShell(
      Cli(source->database_url(), source->data_dir(), "restore --force --from " + backup), &status);
  EXPECT_EQ(status, 1) << out;
  EXPECT_NE(out.find("a server is running"), std::string::npos) << out;
  // Stopped, it is replaced by the backup: a report filed after the backup is gone.
  std::string later = FileReport(*source, citizen.access_token, 31.53, 74.36);
  const std::string db_url = source->database_url(), data_dir = source->data_dir();
  ASSERT_EQ(source->Stop(), 0);
  source.reset();
  out = RunShell(Cli(db_url, data_dir, "restore --force --from " + backup), &status);
  ASSERT_EQ(status, 0) << out;
  ServerOptions again = o;
  again.env["CLEANAI_DATABASE_URL"] = db_url;
  again.env["CLEANAI_STORAGE_DATA_DIR"] = data_dir;
  auto restarted = TestServer::Start(again);
  ASSERT_TRUE(restarted);
  EXPECT_EQ(restarted->Json("GET", "/api/reports/" + id, "", citizen.access_token).status, 200);
  EXPECT_EQ(restarted->Json("GET", "/api/reports/" + later, "", citizen.access_token).status, 404);
}

INSTANTIATE_TEST_SUITE_P(Backends, BackupTest, ::testing::ValuesIn(TestBackends()), BackendName);

}  // namespace
}  // namespace cleanai::testing
