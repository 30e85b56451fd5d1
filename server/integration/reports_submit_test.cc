// SPDX-License-Identifier: AGPL-3.0-or-later
// Submitting reports: the photo pipeline, location sources, validation, idempotency.
#include <algorithm>

#include "testing/report_fixtures.h"

namespace cleanai::testing {
namespace {

class ReportSubmitTest : public BackendTest {};

TEST_P(ReportSubmitTest, ExifPositionIsUsedThenStrippedFromTheStoredPhoto) {
  TestServer& s = server();
  Account a = RegisterCitizen(s, "exif");
  std::string photo = WithExifGps(MakeImage("jpeg", 1600, 1200), 31.520400, 74.358700);
  ASSERT_NE(IdentifyingMetadata(photo).find("CAMERA-SN-12345"), std::string::npos);

  HttpResult r = SubmitReport(
      s, a.access_token, {{"wasteType", "plastic"}, {"description", "Heap by the canal"}}, photo);
  ASSERT_EQ(r.status, 201) << r.body;
  auto rep = r.Json();
  EXPECT_EQ(Str(rep, "status"), "submitted");
  EXPECT_EQ(Str(rep.at("location"), "source"), "exif");
  EXPECT_NEAR(rep.at("location").at("lat").to_number<double>(), 31.5204, 1e-4);
  EXPECT_NEAR(rep.at("location").at("lng").to_number<double>(), 74.3587, 1e-4);
  EXPECT_FALSE(Str(rep.at("location"), "address").empty());  // filled from the position
  EXPECT_EQ(Str(rep, "capturedAt"), "2026-11-20T10:15:00");
  EXPECT_EQ(Str(rep.at("reporter"), "username"), a.username);
  EXPECT_EQ(r.Header("location"), "/api/reports/" + Str(rep, "id"));

  HttpResult img = s.Request("GET", Str(rep, "imageUrl"));
  ASSERT_EQ(img.status, 200);
  EXPECT_EQ(img.Header("content-type"), "image/jpeg");
  EXPECT_EQ(img.Header("x-content-type-options"), "nosniff");
  // Cached a short while, so that a photo an admin hides later leaves caches soon.
  EXPECT_EQ(img.Header("cache-control"), "public, max-age=300");
  EXPECT_EQ(img.body.substr(0, 2), "\xff\xd8");
  std::string meta = IdentifyingMetadata(img.body);
  EXPECT_EQ(meta.find("GPS"), std::string::npos) << meta;
  EXPECT_EQ(meta.find("CAMERA-SN"), std::string::npos) << meta;
  EXPECT_EQ(meta.find("TestPhone"), std::string::npos) << meta;
  HttpResult thumb = s.Request("GET", Str(rep, "thumbnailUrl"));
  EXPECT_EQ(thumb.status, 200);
  EXPECT_LT(thumb.body.size(), img.body.size());
  HttpResult cached =
      s.Request("GET", Str(rep, "imageUrl"), "", {{"If-None-Match", img.Header("etag")}});
  EXPECT_EQ(cached.status, 304);

  // The counter, the audit row and the "received" notification came with it.
  EXPECT_EQ(
      s.Json("GET", "/api/auth/me", "", a.access_token).Json().at("reportsSubmitted").as_int64(),
      1);
  HttpResult events =
      s.Json("GET", "/api/reports/" + Str(rep, "id") + "/events", "", a.access_token);
  ASSERT_EQ(events.status, 200);
  EXPECT_EQ(Str(events.Json().at("items").at(0), "type"), "report.created");
  EXPECT_EQ(NotificationKinds(s, a.access_token), std::vector<std::string>{"report.received"});
}

TEST_P(ReportSubmitTest, EveryAcceptedFormatIsStoredAsJpeg) {
  TestServer& s = server();
  Account a = RegisterCitizen(s, "fmt");
  for (std::string format : {"jpeg", "png", "webp", "heic"}) {
    HttpResult r = SubmitReport(s, a.access_token,
                                {{"wasteType", "paper"}, {"lat", "24.8607"}, {"lng", "67.0011"}},
                                MakeImage(format, 800, 600), "photo.bin");
    ASSERT_EQ(r.status, 201) << format << ": " << r.body;
    EXPECT_EQ(Str(r.Json().at("location"), "source"), "device");
    HttpResult img = s.Request("GET", Str(r.Json(), "imageUrl"));
    EXPECT_EQ(img.body.substr(0, 2), "\xff\xd8") << format;
  }
}

TEST_P(ReportSubmitTest, BadPhotosAreRefusedAndLeaveNothingBehind) {
  TestServer& s = server();
  Account a = RegisterCitizen(s, "badphoto");
  std::string admin = s.Login("admin", s.admin_password());
  std::string media = s.data_dir() + "/media";
  int files_before = CountFiles(media);
  std::string jpeg = MakeImage("jpeg", 1200, 900);
  struct Case {
    std::string name, bytes;
    int status;
  } cases[] = {
      {"text renamed .jpg", "this is not an image at all\n", 422},
      {"truncated JPEG", jpeg.substr(0, jpeg.size() / 2), 422},
      {"huge dimensions", MakeImage("png", 9000, 6000), 422},
      {"empty file", "", 422},
  };
  for (const auto& c : cases) {
    HttpResult r =
        SubmitReport(s, a.access_token, {{"wasteType", "glass"}, {"lat", "31.5"}, {"lng", "74.3"}},
                     c.bytes, "evil.jpg");
    EXPECT_EQ(r.status, c.status) << c.name << ": " << r.body;
    EXPECT_EQ(r.Header("content-type"), "application/problem+json") << c.name;
    EXPECT_NE(r.body.find("\"field\":\"photo\""), std::string::npos) << c.name << ": " << r.body;
  }
  // Over the upload limit: refused before the body is read.
  std::string big(11 * 1024 * 1024, 'x');
  HttpResult over = SubmitReport(s, a.access_token, {{"wasteType", "glass"}}, big);
  EXPECT_EQ(over.status, 413);
  EXPECT_EQ(CountFiles(media), files_before);
  EXPECT_EQ(CountFiles(s.data_dir() + "/tmp"), 0) << "upload temp files left behind";
  EXPECT_EQ(s.Json("GET", "/api/reports/user/" + a.id, "", a.access_token)
                .Json()
                .at("items")
                .as_array()
                .size(),
            0u);
  EXPECT_EQ(
      s.Json("GET", "/api/auth/me", "", a.access_token).Json().at("reportsSubmitted").as_int64(),
      0);
  (void)admin;
}

TEST_P(ReportSubmitTest, FieldValidation) {
  TestServer& s = server();
  Account a = RegisterCitizen(s, "fields");
  const std::string& jpeg = SmallJpeg();
  struct Case {
    std::vector<std::pair<std::string, std::string>> fields;
    std::string field;  // expected in the errors
  } cases[] = {
      {{{"lat", "31.5"}, {"lng", "74.3"}}, "wasteType"},
      {{{"wasteType", "kryptonite"}, {"lat", "31.5"}, {"lng", "74.3"}}, "wasteType"},
      {{{"wasteType", "plastic"}, {"lat", "31.5"}}, "lng"},
      {{{"wasteType", "plastic"}, {"lat", "91"}, {"lng", "74.3"}}, "lat"},
      {{{"wasteType", "plastic"}, {"lat", "31.5"}, {"lng", "east"}}, "lng"},
      {{{"wasteType", "plastic"}, {"lat", "nan"}, {"lng", "74.3"}}, "lat"},
      {{{"wasteType", "plastic"}, {"lat", "31.5"}, {"lng", "74.3"}, {"size", "huge"}}, "size"},
      {{{"wasteType", "plastic"}, {"lat", "31.5"}, {"lng", "74.3"}, {"blocksDrain", "yes"}},
       "blocksDrain"},
      {{{"wasteType", "plastic"}, {"lat", "31.5"}, {"lng", "74.3"}, {"colour", "red"}}, "colour"},
      {{{"wasteType", "plastic"},
        {"lat", "31.5"},
        {"lng", "74.3"},
        {"description", std::string(2001, 'd')}},
       "description"},
      // No coordinates and a photo without GPS: nowhere to send a truck.
      {{{"wasteType", "plastic"}}, "lat"},
  };
  for (const auto& c : cases) {
    HttpResult r = SubmitReport(s, a.access_token, c.fields, jpeg);
    EXPECT_EQ(r.status, 422) << c.field << ": " << r.body;
    EXPECT_NE(r.body.find("\"field\":\"" + c.field + "\""), std::string::npos) << r.body;
  }
  HttpResult no_photo = SubmitReport(
      s, a.access_token, {{"wasteType", "plastic"}, {"lat", "31.5"}, {"lng", "74.3"}}, "");
  EXPECT_EQ(no_photo.status, 422);
  HttpResult json = s.Json("POST", "/api/reports", R"({"wasteType":"plastic"})", a.access_token);
  EXPECT_EQ(json.status, 422);
  EXPECT_NE(json.body.find("multipart/form-data"), std::string::npos);
  auto [type, body] = Multipart({{"wasteType", "plastic"}}, {});
  HttpResult broken =
      s.Request("POST", "/api/reports", body.substr(0, body.size() / 2),
                {{"Content-Type", type}, {"Authorization", "Bearer " + a.access_token}});
  EXPECT_EQ(broken.status, 400) << broken.body;
  EXPECT_EQ(s.Json("GET", "/api/reports/user/" + a.id, "", a.access_token)
                .Json()
                .at("items")
                .as_array()
                .size(),
            0u);
}

TEST_P(ReportSubmitTest, PriorityFollowsTypeAndDrainFlag) {
  TestServer& s = server();
  Account a = RegisterCitizen(s, "prio");
  auto priority = [&](const std::string& type, const std::string& drain) {
    HttpResult r = SubmitReport(s, a.access_token,
                                {{"wasteType", type},
                                 {"lat", "31.5"},
                                 {"lng", "74.3"},
                                 {"blocksDrain", drain},
                                 {"size", "wheelbarrow"}},
                                SmallJpeg());
    EXPECT_EQ(r.status, 201) << r.body;
    return Str(r.Json(), "priority");
  };
  EXPECT_EQ(priority("hazardous", "false"), "high");
  EXPECT_EQ(priority("medical", "false"), "high");
  EXPECT_EQ(priority("plastic", "false"), "medium");
  EXPECT_EQ(priority("plastic", "true"), "high");
  EXPECT_EQ(priority("medical", "true"), "urgent");
  HttpResult types = s.Json("GET", "/api/waste-types");
  ASSERT_EQ(types.status, 200);
  std::vector<std::string> codes;
  auto types_json = types.Json();
  for (const auto& t : types_json.at("items").as_array()) codes.push_back(Str(t, "code"));
  for (const char* want : {"plastic", "organic", "paper", "glass", "metal", "e-waste", "hazardous",
                           "construction", "medical", "mixed", "other"}) {
    EXPECT_NE(std::find(codes.begin(), codes.end(), want), codes.end()) << want;
  }
}

TEST_P(ReportSubmitTest, IdempotentRetryReturnsTheFirstReport) {
  TestServer& s = server();
  Account a = RegisterCitizen(s, "idem");
  std::vector<std::pair<std::string, std::string>> fields = {
      {"wasteType", "metal"}, {"lat", "33.6844"}, {"lng", "73.0479"}};
  std::map<std::string, std::string> key{{"Idempotency-Key", "offline-queue-42"}};
  HttpResult first = SubmitReport(s, a.access_token, fields, SmallJpeg(), "p.jpg", key);
  ASSERT_EQ(first.status, 201) << first.body;
  HttpResult retry = SubmitReport(s, a.access_token, fields, SmallJpeg(), "p.jpg", key);
  ASSERT_EQ(retry.status, 201) << retry.body;
  EXPECT_EQ(retry.Header("idempotent-replayed"), "true");
  EXPECT_EQ(Str(retry.Json(), "id"), Str(first.Json(), "id"));
  HttpResult other =
      SubmitReport(s, a.access_token, {{"wasteType", "glass"}, {"lat", "1"}, {"lng", "1"}},
                   SmallJpeg(), "p.jpg", key);
  EXPECT_EQ(other.status, 409) << other.body;
  HttpResult bad_key = SubmitReport(s, a.access_token, fields, SmallJpeg(), "p.jpg",
                                    {{"Idempotency-Key", std::string(101, 'k')}});
  EXPECT_EQ(bad_key.status, 422);
  // Another user's identical key is their own.
  Account b = RegisterCitizen(s, "idem");
  EXPECT_EQ(SubmitReport(s, b.access_token, fields, SmallJpeg(), "p.jpg", key).status, 201);
  EXPECT_EQ(s.Json("GET", "/api/reports/user/" + a.id, "", a.access_token)
                .Json()
                .at("items")
                .as_array()
                .size(),
            1u);
  EXPECT_EQ(
      s.Json("GET", "/api/auth/me", "", a.access_token).Json().at("reportsSubmitted").as_int64(),
      1);
}

TEST_P(ReportSubmitTest, OnlyCitizensSubmit) {
  TestServer& s = server();
  Staff st = MakeStaff(s);
  HttpResult admin = SubmitReport(
      s, st.admin, {{"wasteType", "plastic"}, {"lat", "1"}, {"lng", "1"}}, SmallJpeg());
  EXPECT_EQ(admin.status, 403);
  HttpResult anon =
      SubmitReport(s, "", {{"wasteType", "plastic"}, {"lat", "1"}, {"lng", "1"}}, SmallJpeg());
  EXPECT_EQ(anon.status, 401);
}

INSTANTIATE_TEST_SUITE_P(Backends, ReportSubmitTest, ::testing::ValuesIn(TestBackends()),
                         BackendName);

}  // namespace
}  // namespace cleanai::testing
