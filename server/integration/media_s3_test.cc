// SPDX-License-Identifier: AGPL-3.0-or-later
// Photos in S3-compatible object storage, against a real S3 server that checks every
// signature: OpenStack Swift with s3api, started by scripts/with-swift.sh (make test).
#include <chrono>
#include <cstdlib>
#include <set>
#include <thread>

#include "media/s3.h"
#include "testing/local_peer.h"
#include "testing/report_fixtures.h"

namespace cleanai::testing {
namespace {

std::string EnvOr(const char* name, const std::string& fallback = "") {
  const char* v = std::getenv(name);
  return v ? v : fallback;
}

class MediaS3Test : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (EnvOr("CLEANAI_TEST_S3_ENDPOINT").empty()) {
      if (EnvOr("CLEANAI_REQUIRE_S3") == "1")
        FAIL() << "CLEANAI_TEST_S3_ENDPOINT is not set (scripts/with-swift.sh)";
      GTEST_SKIP() << "no S3 server (run under scripts/with-swift.sh)";
    }
    if (!BackendAvailable(GetParam())) GTEST_SKIP() << GetParam() << " not available";
    prefix_ = UniqueName("t") + "/";
  }

  // A server whose photos go to s3://bucket/<this test's prefix>.
  ServerOptions S3Server(const std::string& secret = EnvOr("CLEANAI_TEST_S3_SECRET_KEY"),
                         const std::string& endpoint = EnvOr("CLEANAI_TEST_S3_ENDPOINT")) {
    ServerOptions o;
    o.backend = GetParam();
    o.env = {
        {"CLEANAI_STORAGE_MEDIA_URL", "s3://" + EnvOr("CLEANAI_TEST_S3_BUCKET") + "/" + prefix_},
        {"CLEANAI_STORAGE_S3_ENDPOINT", endpoint},
        {"CLEANAI_STORAGE_S3_ACCESS_KEY", EnvOr("CLEANAI_TEST_S3_ACCESS_KEY")},
        {"CLEANAI_STORAGE_S3_SECRET_KEY", secret}};
    return o;
  }

  // What is in the bucket under this test's prefix, read with our own client.
  std::set<std::string> Objects() {
    S3Client client(Location());
    std::set<std::string> names;
    Status st = client.List([&](const std::string& name, int64_t) { names.insert(name); });
    EXPECT_TRUE(st.ok()) << st.message();
    return names;
  }
  S3Location Location() {
    S3Location where;
    where.endpoint = EnvOr("CLEANAI_TEST_S3_ENDPOINT");
    where.bucket = EnvOr("CLEANAI_TEST_S3_BUCKET");
    where.prefix = prefix_;
    where.credentials = {EnvOr("CLEANAI_TEST_S3_ACCESS_KEY"), EnvOr("CLEANAI_TEST_S3_SECRET_KEY"),
                         "us-east-1", "s3"};
    return where;
  }

  std::string prefix_;
};

TEST_P(MediaS3Test, PhotosGoToTheBucketAndAreServedThroughCleanai) {
  auto s = TestServer::Start(S3Server());
  ASSERT_TRUE(s);
  HttpResult ready = s->Json("GET", "/readyz");
  EXPECT_EQ(ready.status, 200) << ready.body;
  EXPECT_EQ(Str(ready.Json().at("checks"), "media"), "ok");
  Account a = RegisterCitizen(*s, "s3");
  std::string photo = MakeImage("jpeg", 640, 480);
  HttpResult filed = SubmitReport(
      *s, a.access_token, {{"wasteType", "plastic"}, {"lat", "31.5"}, {"lng", "74.3"}}, photo);
  ASSERT_EQ(filed.status, 201) << filed.body;
  boost::json::value report = filed.Json();
  std::string image = MediaKeyOf(report, "imageUrl"), thumb = MediaKeyOf(report, "thumbnailUrl");
  std::set<std::string> stored = Objects();
  EXPECT_TRUE(stored.count(image + ".jpg")) << "the photo is not in the bucket";
  EXPECT_TRUE(stored.count(thumb + ".jpg")) << "the thumbnail is not in the bucket";
  EXPECT_EQ(CountFiles(s->data_dir() + "/media"), 0) << "a photo was written to the local disk";
  // Served through cleanai (the bucket stays private), with the same bytes as stored.
  HttpResult served = s->Json("GET", "/media/" + image + ".jpg");
  ASSERT_EQ(served.status, 200);
  EXPECT_EQ(served.Header("content-type"), "image/jpeg");
  auto direct = S3Client(Location()).Get(image + ".jpg");
  ASSERT_TRUE(direct) << direct.error().message();
  EXPECT_EQ(served.body, *direct);
  EXPECT_EQ(
      s->Request("GET", "/media/" + image + ".jpg", "", {{"If-None-Match", "\"" + image + "\""}})
          .status,
      304);
  EXPECT_EQ(s->Json("GET", "/media/" + std::string(64, 'f') + ".jpg").status, 404);
  // The same photo again: one object, two reports.
  HttpResult again = SubmitReport(
      *s, a.access_token, {{"wasteType", "glass"}, {"lat", "31.6"}, {"lng", "74.3"}}, photo);
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(MediaKeyOf(again.Json(), "imageUrl"), image);
  // The AI and the after photo read the same store: an admin resolves with an after photo.
  EXPECT_EQ(Objects().size(), 2u);
}

TEST_P(MediaS3Test, AWrongSecretIsRefusedSubmissionsAre503AndNothingIsHalfWritten) {
  auto s = TestServer::Start(S3Server("not-the-secret"));
  ASSERT_TRUE(s);
  HttpResult ready = s->Json("GET", "/readyz");
  EXPECT_EQ(ready.status, 503) << ready.body;
  EXPECT_NE(Str(ready.Json().at("checks"), "media").find("unavailable"), std::string::npos)
      << ready.body;
  Account a = RegisterCitizen(*s, "s3bad");
  HttpResult filed =
      SubmitReport(*s, a.access_token, {{"wasteType", "plastic"}, {"lat", "31.5"}, {"lng", "74.3"}},
                   MakeImage("jpeg", 320, 240));
  EXPECT_EQ(filed.status, 503) << filed.body;
  EXPECT_EQ(filed.Header("content-type"), "application/problem+json");
  HttpResult mine = s->Json("GET", "/api/reports/user/" + a.id, "", a.access_token);
  EXPECT_EQ(mine.Json().at("items").as_array().size(), 0u)
      << "a report without its photo was saved";
  EXPECT_TRUE(Objects().empty());
  bool logged_secret = false;
  for (const auto& line : s->LogLines())
    logged_secret |= line.find("not-the-secret") != std::string::npos;
  EXPECT_FALSE(logged_secret) << "the secret key reached the log";
}

TEST_P(MediaS3Test, AnUnreachableStoreIs503AndReadsGoOn) {
  auto s = TestServer::Start(S3Server(EnvOr("CLEANAI_TEST_S3_SECRET_KEY"),
                                      "http://127.0.0.1:" + std::to_string(FreeLoopbackPort())));
  ASSERT_TRUE(s);
  Account a = RegisterCitizen(*s, "s3down");
  HttpResult filed =
      SubmitReport(*s, a.access_token, {{"wasteType", "plastic"}, {"lat", "31.5"}, {"lng", "74.3"}},
                   MakeImage("jpeg", 320, 240));
  EXPECT_EQ(filed.status, 503) << filed.body;
  EXPECT_EQ(s->Json("GET", "/api/reports/user/" + a.id, "", a.access_token).status, 200);
  EXPECT_EQ(s->Json("GET", "/media/" + std::string(64, 'a') + ".jpg").status, 503);
}

TEST_P(MediaS3Test, OrphanObjectsAreSweptReferencedOnesKept) {
  ServerOptions o = S3Server();
  o.env["CLEANAI_STORAGE_ORPHAN_GRACE_SECONDS"] = "2";
  o.env["CLEANAI_STORAGE_SWEEP_INTERVAL_SECONDS"] = "1";
  auto s = TestServer::Start(o);
  ASSERT_TRUE(s);
  Account a = RegisterCitizen(*s, "s3sweep");
  HttpResult filed =
      SubmitReport(*s, a.access_token, {{"wasteType", "metal"}, {"lat", "31.5"}, {"lng", "74.3"}},
                   MakeImage("jpeg", 400, 300));
  ASSERT_EQ(filed.status, 201) << filed.body;
  std::string image = MediaKeyOf(filed.Json(), "imageUrl");
  // What a crash between upload and commit leaves: an object no report references.
  S3Client client(Location());
  std::string orphan = std::string(60, 'b') + "0000";
  ASSERT_TRUE(client.Put(orphan + ".jpg", "orphan bytes", "image/jpeg").ok());
  bool gone = false;
  for (int i = 0; i < 200 && !gone; ++i) {
    gone = !Objects().count(orphan + ".jpg");
    if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(gone) << "the orphan object was not swept";
  EXPECT_TRUE(Objects().count(image + ".jpg")) << "a referenced photo was swept";
  EXPECT_EQ(s->Json("GET", "/media/" + image + ".jpg").status, 200);
}

TEST_P(MediaS3Test, MediaMigrateCopiesALocalStoreIntoTheBucketAndCanRunAgain) {
  // A city on local files with two reports.
  ServerOptions local;
  local.backend = GetParam();
  auto before = TestServer::Start(local);
  ASSERT_TRUE(before);
  Account a = RegisterCitizen(*before, "s3move");
  std::vector<std::string> images;
  for (int i = 0; i < 2; ++i) {
    HttpResult r = SubmitReport(*before, a.access_token,
                                {{"wasteType", "plastic"}, {"lat", "31.5"}, {"lng", "74.3"}},
                                MakeImage("jpeg", 500 + i, 300));
    ASSERT_EQ(r.status, 201) << r.body;
    images.push_back(MediaKeyOf(r.Json(), "imageUrl"));
  }
  std::string data_dir = before->data_dir(), db = before->database_url();
  std::string env = "env CLEANAI_STORAGE_DATA_DIR=" + data_dir + " CLEANAI_DATABASE_URL='" + db +
                    "' CLEANAI_STORAGE_S3_ENDPOINT=" + EnvOr("CLEANAI_TEST_S3_ENDPOINT") +
                    " CLEANAI_STORAGE_S3_ACCESS_KEY=" + EnvOr("CLEANAI_TEST_S3_ACCESS_KEY") +
                    " CLEANAI_STORAGE_S3_SECRET_KEY=" + EnvOr("CLEANAI_TEST_S3_SECRET_KEY") + " ";
  std::string to = " --to s3://" + EnvOr("CLEANAI_TEST_S3_BUCKET") + "/" + prefix_;
  std::string out = RunCommand(env + CleanaiBinary() + " media migrate" + to);
  EXPECT_NE(out.find("copied 4, already there 0, failed 0"), std::string::npos) << out;
  // Again (as after an interruption): nothing to copy.
  out = RunCommand(env + CleanaiBinary() + " media migrate" + to);
  EXPECT_NE(out.find("copied 0, already there 4, failed 0"), std::string::npos) << out;
  before->Stop();

  // The same city on the bucket serves the same photos.
  ServerOptions moved = S3Server();
  moved.env["CLEANAI_STORAGE_DATA_DIR"] = data_dir;
  moved.env["CLEANAI_DATABASE_URL"] = db;
  auto after = TestServer::Start(moved);
  ASSERT_TRUE(after);
  for (const auto& image : images)
    EXPECT_EQ(after->Json("GET", "/media/" + image + ".jpg").status, 200);
  EXPECT_EQ(Objects().size(), 4u);
}

// A city on a bucket: the backup holds the photos' bytes and their keys in the manifest;
// restored into a new database and a new prefix of the bucket, every photo is served.
TEST_P(MediaS3Test, ABackupOfABucketRestoresIntoAnEmptyPrefix) {
  ServerOptions o = S3Server();
  auto source = TestServer::Start(o);
  ASSERT_TRUE(source);
  Account a = RegisterCitizen(*source, "s3bak");
  std::vector<std::pair<std::string, std::string>> photos;  // key, bytes
  for (int i = 0; i < 3; ++i) {
    HttpResult r = SubmitReport(*source, a.access_token,
                                {{"wasteType", "glass"}, {"lat", "24.86"}, {"lng", "67.01"}},
                                MakeImage("jpeg", 400 + i, 300));
    ASSERT_EQ(r.status, 201) << r.body;
    std::string key = MediaKeyOf(r.Json(), "imageUrl");
    photos.emplace_back(key,
                        source->Json("GET", "/media/" + key + ".jpg", "", a.access_token).body);
  }
  auto env_for = [&](const std::string& db, const std::string& data_dir,
                     const std::string& prefix) {
    return "env CLEANAI_STORAGE_DATA_DIR=" + data_dir + " CLEANAI_DATABASE_URL='" + db +
           "' CLEANAI_STORAGE_MEDIA_URL=s3://" + EnvOr("CLEANAI_TEST_S3_BUCKET") + "/" + prefix +
           " CLEANAI_STORAGE_S3_ENDPOINT=" + EnvOr("CLEANAI_TEST_S3_ENDPOINT") +
           " CLEANAI_STORAGE_S3_ACCESS_KEY=" + EnvOr("CLEANAI_TEST_S3_ACCESS_KEY") +
           " CLEANAI_STORAGE_S3_SECRET_KEY=" + EnvOr("CLEANAI_TEST_S3_SECRET_KEY") + " ";
  };
  const std::string backup = MakeTempDir() + "/backup";
  std::string out = RunCommand(env_for(source->database_url(), source->data_dir(), prefix_) +
                               CleanaiBinary() + " backup --to " + backup + " 2>&1");
  ASSERT_NE(out.find("and 6 photos"), std::string::npos) << out;  // each photo and thumbnail
  std::string manifest = RunCommand("cat " + backup + "/manifest.json");
  EXPECT_NE(manifest.find("s3://" + EnvOr("CLEANAI_TEST_S3_BUCKET") + "/" + prefix_),
            std::string::npos)
      << manifest;
  for (const auto& [key, bytes] : photos) EXPECT_NE(manifest.find(key), std::string::npos);

  const std::string new_prefix = UniqueName("r") + "/";
  const std::string dir = MakeTempDir();
  const std::string db = FreshDatabaseUrl(GetParam(), dir);
  out = RunCommand(env_for(db, dir, new_prefix) + CleanaiBinary() + " restore --from " + backup +
                   " 2>&1");
  ASSERT_NE(out.find("restored the"), std::string::npos) << out;
  // The prefix now holds photos: a second restore there is refused.
  out = RunCommand(env_for(db, dir, new_prefix) + CleanaiBinary() + " restore --from " + backup +
                   " 2>&1");
  EXPECT_NE(out.find("already holds data"), std::string::npos) << out;
  ServerOptions restored = o;
  restored.env["CLEANAI_STORAGE_MEDIA_URL"] =
      "s3://" + EnvOr("CLEANAI_TEST_S3_BUCKET") + "/" + new_prefix;
  restored.env["CLEANAI_DATABASE_URL"] = db;
  restored.env["CLEANAI_STORAGE_DATA_DIR"] = dir;
  auto after = TestServer::Start(restored);
  ASSERT_TRUE(after);
  for (const auto& [key, bytes] : photos) {
    HttpResult got = after->Json("GET", "/media/" + key + ".jpg", "", a.access_token);
    EXPECT_EQ(got.status, 200) << key;
    EXPECT_EQ(got.body, bytes) << key << ": not byte-identical";
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, MediaS3Test, ::testing::ValuesIn(TestBackends()), BackendName);

}  // namespace
}  // namespace cleanai::testing
