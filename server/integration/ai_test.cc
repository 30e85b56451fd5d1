// SPDX-License-Identifier: AGPL-3.0-or-later
// The AI service through the running server, with ai/make_test_model.py's network: every
// report is analysed in the background (fields + live event), uploads are analysed now,
// admins confirm or correct and export the data set, the figures add up, no model means
// no AI anywhere, and a job interrupted by a crash runs again once.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <thread>

#include "storage/database.h"
#include "testing/event_stream_client.h"
#include "testing/report_fixtures.h"

namespace cleanai::testing {
namespace {

// A 640×640 grey photo with a red block on stride-32 cell (3, 4): the test network sees
// glass there (0.99999), besides its fixed bottle (0.9526) and can (0.5).
const std::string& GlassPhoto() {
  static const std::string jpeg = [] {
    cv::Mat bgr(640, 640, CV_8UC3, cv::Scalar(114, 114, 114));
    bgr(cv::Rect(96, 128, 32, 32)).setTo(cv::Scalar(0, 0, 255));
    std::vector<uchar> out;
    cv::imencode(".jpg", bgr, out, {cv::IMWRITE_JPEG_QUALITY, 98});
    return std::string(out.begin(), out.end());
  }();
  return jpeg;
}

std::string FilePhoto(const TestServer& s, const std::string& token, const std::string& type) {
  HttpResult r = SubmitReport(s, token, {{"wasteType", type}, {"lat", "31.52"}, {"lng", "74.35"}},
                              GlassPhoto());
  EXPECT_EQ(r.status, 201) << r.body;
  return Str(r.Json(), "id");
}

HttpResult Upload(const TestServer& s, const std::string& token, const std::string& photo,
                  const std::string& field = "photo") {
  auto [type, body] = Multipart({}, {{field, "p.jpg", "image/jpeg", photo}});
  std::map<std::string, std::string> h{{"Content-Type", type}};
  if (!token.empty()) h["Authorization"] = "Bearer " + token;
  return s.Request("POST", "/api/ai/analyze", body, h);
}

class AiTest : public BackendTest {
 protected:
  static void SetUpTestSuite() {
    dir_ = MakeTempDir();
    model_ = dir_ + "/taco-test.onnx";
    const std::string cmd =
        "/usr/bin/python3 " + std::string(CLEANAI_SOURCE_DIR) + "/ai/make_test_model.py " + model_;
    ASSERT_EQ(std::system(cmd.c_str()), 0) << "needs python3-onnx (make setup-test)";
    std::ofstream(dir_ + "/taco-test.mapping") << "bottle = plastic\ncan = metal\nglass = glass\n";
  }
  std::unique_ptr<TestServer> Serve(std::map<std::string, std::string> env = {}) {
    ServerOptions o;
    o.backend = GetParam();
    o.env = {{"CLEANAI_AI_MODEL", model_}};
    for (auto& [k, v] : env) o.env[k] = v;
    return TestServer::Start(o);
  }
  // The report once its AI fields are in (or as it is after the wait).
  static boost::json::value Analysed(const TestServer& s, const std::string& token,
                                     const std::string& id, int timeout_ms = 10000) {
    boost::json::value r;
    auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    do {
      r = s.Json("GET", "/api/reports/" + id, "", token).Json();
      if (!Str(r, "aiDetectedType").empty()) return r;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    } while (std::chrono::steady_clock::now() < end);
    return r;
  }
  static inline std::string dir_, model_;
};

TEST_P(AiTest, EveryReportIsAnalysedInTheBackground) {
  auto s = Serve();
  ASSERT_TRUE(s);
  Account a = RegisterCitizen(*s);
  EventStreamClient stream(s->port(), "/api/events?accessToken=" + a.access_token);
  ASSERT_EQ(stream.status(), 200);
  const std::string id = FilePhoto(*s, a.access_token, "plastic");
  auto event = stream.WaitFor(
      [&](const SseEvent& e) {
        return e.type == "report.ai_analyzed" && e.data.find(id) != std::string::npos;
      },
      10000);
  ASSERT_FALSE(event.id.empty()) << "no report.ai_analyzed event";
  auto report = Analysed(*s, a.access_token, id);
  EXPECT_EQ(Str(report, "aiDetectedType"), "glass");  // the most confident mapped box
  EXPECT_NEAR(report.at("aiConfidence").to_number<double>(), 1.0, 1e-9);  // two decimals

  auto ai = s->Json("GET", "/api/ai/reports/" + id, "", a.access_token);
  ASSERT_EQ(ai.status, 200) << ai.body;
  auto v = ai.Json();
  EXPECT_EQ(Str(v, "job"), "done");
  const auto& photo = v.at("photos").at(0);
  EXPECT_EQ(Str(photo, "photo"), "report");
  EXPECT_EQ(Str(photo, "model"), "taco-test.onnx");
  const auto& dets = photo.at("detections").as_array();
  ASSERT_EQ(dets.size(), 4u);  // glass, bottle, bottle (stride 16), can
  EXPECT_EQ(Str(dets[0], "class"), "glass");
  EXPECT_NEAR(dets[0].at("x").to_number<double>(), 96.0 / 640, 2e-4);
  EXPECT_NEAR(dets[0].at("w").to_number<double>(), 32.0 / 640, 2e-4);
  EXPECT_EQ(Str(dets[1], "class"), "bottle");
  EXPECT_EQ(Str(dets[1], "wasteType"), "plastic");
  EXPECT_NEAR(dets[1].at("confidence").to_number<double>(), 0.9526, 1e-4);
  EXPECT_GT(photo.at("coverage").to_number<double>(), 0);
  EXPECT_LT(photo.at("coverage").to_number<double>(), 0.1);

  // Verify: the citizen said plastic; the AI says glass.
  auto verify = s->Json("POST", "/api/ai/verify", Serialize({{"reportId", id}}), a.access_token);
  ASSERT_EQ(verify.status, 200) << verify.body;
  EXPECT_EQ(Str(verify.Json(), "status"), "done");
  EXPECT_EQ(Str(verify.Json(), "aiType"), "glass");
  EXPECT_FALSE(verify.Json().at("agrees").as_bool());
  // Someone else's report does not exist for them.
  Account other = RegisterCitizen(*s);
  EXPECT_EQ(
      s->Json("POST", "/api/ai/verify", Serialize({{"reportId", id}}), other.access_token).status,
      404);
  EXPECT_EQ(s->Json("GET", "/api/ai/reports/" + id, "", other.access_token).status, 404);
  EXPECT_EQ(s->Json("POST", "/api/ai/verify", R"({"reportId":5})", a.access_token).status, 422);
  EXPECT_EQ(s->Json("POST", "/api/ai/verify", R"({})", a.access_token).status, 422);
}

TEST_P(AiTest, TheAfterPhotoIsAnalysedToo) {
  auto s = Serve();
  ASSERT_TRUE(s);
  Staff st = MakeStaff(*s);
  Account a = RegisterCitizen(*s);
  const std::string id = FilePhoto(*s, a.access_token, "glass");
  ASSERT_EQ(s->Json("PATCH", "/api/fleet/" + st.vehicle_id + "/assign",
                    Serialize({{"reportId", id}}), st.admin)
                .status,
            200);
  auto [type, body] =
      Multipart({{"status", "resolved"}},
                {{"photo", "after.jpg", "image/jpeg", MakeImage("jpeg", 640, 480)}});
  HttpResult done =
      s->Request("PATCH", "/api/reports/" + id + "/status", body,
                 {{"Content-Type", type}, {"Authorization", "Bearer " + st.driver_token}});
  ASSERT_EQ(done.status, 200) << done.body;
  boost::json::value v;
  for (int i = 0; i < 100; ++i) {
    v = s->Json("GET", "/api/ai/reports/" + id, "", st.admin).Json();
    if (v.at("photos").as_array().size() == 2) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(v.at("photos").as_array().size(), 2u);
  EXPECT_EQ(Str(v.at("photos").at(0), "photo"), "report");
  EXPECT_EQ(Str(v.at("photos").at(1), "photo"), "after");
  // The report's own fields stay those of the report photo.
  EXPECT_EQ(Str(s->Json("GET", "/api/reports/" + id, "", st.admin).Json(), "aiDetectedType"),
            "glass");
}

TEST_P(AiTest, ABurstWaitsInTheTableAndIsWorkedOff) {
  // Room for one photo in memory: the rest of the burst waits as rows in ai_jobs.
  auto s = Serve({{"CLEANAI_AI_QUEUE", "1"}});
  ASSERT_TRUE(s);
  Account a = RegisterCitizen(*s);
  std::vector<std::string> ids;
  for (int i = 0; i < 6; ++i) ids.push_back(FilePhoto(*s, a.access_token, "plastic"));
  for (const auto& id : ids)
    EXPECT_EQ(Str(Analysed(*s, a.access_token, id), "aiDetectedType"), "glass") << id;
  Staff st = MakeStaff(*s);
  auto f = s->Json("GET", "/api/ai/stats", "", st.admin).Json();
  EXPECT_EQ(f.at("photosAnalysed").as_int64(), 6);
  EXPECT_EQ(f.at("jobs").at("done").as_int64(), 6);
  EXPECT_EQ(f.at("queueLength").as_int64(), 0);
  // Monitoring: the six analyses are in the latency histogram, none failed.
  std::string metrics = s->Request("GET", "/metrics").body;
  EXPECT_NE(metrics.find("cleanai_ai_inference_seconds_count 6\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("cleanai_ai_inference_seconds_bucket{le=\"+Inf\"} 6\n"),
            std::string::npos);
  EXPECT_NE(metrics.find("cleanai_ai_failures_total 0\n"), std::string::npos);
  EXPECT_NE(metrics.find("cleanai_ai_backlog 0\n"), std::string::npos);
}

TEST_P(AiTest, UploadsAreAnalysedNowWithinLimits) {
  auto s = Serve({{"CLEANAI_AI_ANALYZE_PER_MINUTE", "4"}});  // a burst of two
  ASSERT_TRUE(s);
  Account a = RegisterCitizen(*s);
  HttpResult r = Upload(*s, a.access_token, GlassPhoto());
  ASSERT_EQ(r.status, 200) << r.body;
  auto v = r.Json();
  EXPECT_EQ(Str(v, "detectedType"), "glass");
  EXPECT_EQ(v.at("detections").as_array().size(), 4u);
  EXPECT_GT(v.at("latencyMs").to_number<double>(), 0);
  EXPECT_EQ(Upload(*s, a.access_token, "not a photo").status, 422);  // takes a token too
  EXPECT_EQ(Upload(*s, a.access_token, GlassPhoto()).status, 429);
  EXPECT_EQ(Upload(*s, "", GlassPhoto()).status, 401);
  Account b = RegisterCitizen(*s);
  EXPECT_EQ(Upload(*s, b.access_token, GlassPhoto(), "picture").status, 422);
  EXPECT_EQ(s->Json("POST", "/api/ai/analyze", R"({"photo":"x"})", b.access_token).status, 422);
}

TEST_P(AiTest, AdminsConfirmOrCorrectAndExportTheDataSet) {
  auto s = Serve();
  ASSERT_TRUE(s);
  Staff st = MakeStaff(*s);
  Account a = RegisterCitizen(*s);
  const std::string corrected = FilePhoto(*s, a.access_token, "plastic");
  const std::string confirmed = FilePhoto(*s, a.access_token, "glass");
  ASSERT_EQ(Str(Analysed(*s, a.access_token, corrected), "aiDetectedType"), "glass");
  ASSERT_EQ(Str(Analysed(*s, a.access_token, confirmed), "aiDetectedType"), "glass");

  auto label = [&](const std::string& id, const std::string& body, const std::string& token) {
    return s->Json("PUT", "/api/ai/reports/" + id + "/label", body, token);
  };
  // The admin corrects the first to glass and draws the box; confirms the second as it is.
  HttpResult fix =
      label(corrected, R"({"wasteType":"glass","boxes":[{"x":0.15,"y":0.2,"w":0.05,"h":0.05}]})",
            st.admin);
  ASSERT_EQ(fix.status, 200) << fix.body;
  EXPECT_EQ(Str(s->Json("GET", "/api/reports/" + corrected, "", st.admin).Json(), "wasteType"),
            "glass");
  ASSERT_EQ(label(confirmed, R"({"wasteType":"glass"})", st.admin).status, 200);
  bool audited = false;
  auto events = s->Json("GET", "/api/reports/" + corrected + "/events", "", st.admin).Json();
  for (const auto& e : events.at("items").as_array())
    audited |= Str(e, "type") == "report.type_corrected";
  EXPECT_TRUE(audited);
  // Bad labels, and who may label.
  for (const char* bad :
       {R"({"wasteType":"gold"})",
        R"({"wasteType":"glass","boxes":[{"x":0.9,"y":0,"w":0.5,"h":0.1}]})",
        R"({"wasteType":"glass","boxes":[{"x":0,"y":0,"w":0,"h":0.1}]})",
        R"({"wasteType":"glass","boxes":"all"})", R"({"wasteType":"glass","x":1})"}) {
    EXPECT_EQ(label(confirmed, bad, st.admin).status, 422) << bad;
  }
  EXPECT_EQ(label(confirmed, "[]", st.admin).status, 400);
  EXPECT_EQ(label(confirmed, R"({"wasteType":"glass"})", a.access_token).status, 403);
  EXPECT_EQ(
      label("01890a5d-ac96-774b-bcce-b302099a8057", R"({"wasteType":"glass"})", st.admin).status,
      404);

  // The figures: two photos analysed; citizens agreed once (glass), admins twice.
  auto stats = s->Json("GET", "/api/ai/stats", "", st.admin);
  ASSERT_EQ(stats.status, 200) << stats.body;
  auto f = stats.Json();
  EXPECT_EQ(f.at("photosAnalysed").as_int64(), 2);
  EXPECT_EQ(f.at("agreementWithCitizens").at("compared").as_int64(), 2);
  EXPECT_DOUBLE_EQ(f.at("agreementWithCitizens").at("share").to_number<double>(), 0.5);
  EXPECT_DOUBLE_EQ(f.at("agreementWithAdmins").at("share").to_number<double>(), 1.0);
  EXPECT_EQ(f.at("confusion").at(0).at("count").as_int64(), 2);
  EXPECT_EQ(Str(f.at("confusion").at(0), "adminType"), "glass");
  EXPECT_GT(f.at("latencyMs").at("p95").to_number<double>(), 0);
  EXPECT_EQ(f.at("queueLength").as_int64(), 0);
  EXPECT_EQ(s->Json("GET", "/api/ai/stats", "", a.access_token).status, 403);

  // The data set: data.yaml, two images and their YOLO labels (glass is class 3).
  HttpResult tar =
      s->Request("GET", "/api/ai/dataset", "", {{"Authorization", "Bearer " + st.admin}});
  ASSERT_EQ(tar.status, 200);
  std::map<std::string, std::string> entries;
  for (size_t pos = 0; pos + 512 <= tar.body.size() && tar.body[pos] != '\0';) {
    const std::string name(tar.body.c_str() + pos);
    const size_t size = std::stoul(tar.body.substr(pos + 124, 11), nullptr, 8);
    entries[name] = tar.body.substr(pos + 512, size);
    pos += 512 + (size + 511) / 512 * 512;
  }
  ASSERT_EQ(entries.size(), 5u);
  EXPECT_NE(entries["data.yaml"].find("  3: glass"), std::string::npos) << entries["data.yaml"];
  EXPECT_EQ(entries["labels/" + corrected + ".txt"], "3 0.175000 0.225000 0.050000 0.050000\n");
  // Without drawn boxes, the AI's boxes carry the admin's type.
  EXPECT_EQ(std::count(entries["labels/" + confirmed + ".txt"].begin(),
                       entries["labels/" + confirmed + ".txt"].end(), '\n'),
            4);
  const std::string& jpeg = entries["images/" + corrected + ".jpg"];
  ASSERT_GT(jpeg.size(), 100u);
  EXPECT_EQ(jpeg.substr(0, 2), "\xFF\xD8");
  EXPECT_EQ(IdentifyingMetadata(jpeg), "");
  for (const char* bad : {"limit=0", "limit=201", "limit=ten", "after=nope"}) {
    EXPECT_EQ(s->Json("GET", std::string("/api/ai/dataset?") + bad, "", st.admin).status, 422)
        << bad;
  }
  // Paging: one photo a page, the cursor leads to the second, then to nothing.
  HttpResult page1 =
      s->Request("GET", "/api/ai/dataset?limit=1", "", {{"Authorization", "Bearer " + st.admin}});
  ASSERT_EQ(page1.status, 200);
  EXPECT_EQ(page1.Header("x-images"), "1");
  const std::string cursor = page1.Header("x-next-cursor");
  ASSERT_FALSE(cursor.empty());
  HttpResult page2 = s->Request("GET", "/api/ai/dataset?limit=1&after=" + cursor, "",
                                {{"Authorization", "Bearer " + st.admin}});
  EXPECT_EQ(page2.Header("x-images"), "1");
  HttpResult page3 =
      s->Request("GET", "/api/ai/dataset?limit=1&after=" + page2.Header("x-next-cursor"), "",
                 {{"Authorization", "Bearer " + st.admin}});
  EXPECT_EQ(page3.Header("x-images"), "0");
  EXPECT_TRUE(page3.Header("x-next-cursor").empty());
  EXPECT_EQ(s->Json("GET", "/api/ai/dataset", "", a.access_token).status, 403);
}

TEST_P(AiTest, WithoutAModelThereIsNoAiAnywhere) {
  ServerOptions o;
  o.backend = GetParam();
  auto s = TestServer::Start(o);
  ASSERT_TRUE(s);
  Account a = RegisterCitizen(*s);
  auto status = s->Json("GET", "/api/ai/status", "", a.access_token).Json();
  EXPECT_FALSE(status.at("enabled").as_bool());
  EXPECT_NE(Str(status, "reason").find("ai.model"), std::string::npos);
  EXPECT_EQ(Upload(*s, a.access_token, GlassPhoto()).status, 503);
  const std::string id = FilePhoto(*s, a.access_token, "plastic");
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  auto report = s->Json("GET", "/api/reports/" + id, "", a.access_token).Json();
  EXPECT_TRUE(report.at("aiDetectedType").is_null());
  EXPECT_EQ(
      Str(s->Json("POST", "/api/ai/verify", Serialize({{"reportId", id}}), a.access_token).Json(),
          "status"),
      "unavailable");
  auto ready = s->Json("GET", "/readyz", "", "");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(Str(ready.Json().at("checks"), "ai").rfind("off: ", 0), 0u);

  // A corrupt model and one of the wrong shape: the server runs, the AI says why not.
  std::ofstream(dir_ + "/broken.onnx") << "not a network";
  std::ofstream(dir_ + "/broken.names") << "bottle\n";
  std::ofstream(dir_ + "/broken.mapping") << "bottle = plastic\n";
  std::filesystem::copy_file(model_, dir_ + "/five.onnx",
                             std::filesystem::copy_options::overwrite_existing);
  std::ofstream(dir_ + "/five.names") << "bottle\npaper\ncan\nglass\nlid\n";
  std::ofstream(dir_ + "/five.mapping") << "lid = plastic\n";
  for (const char* name : {"/broken.onnx", "/five.onnx", "/missing.onnx"}) {
    auto bad = Serve({{"CLEANAI_AI_MODEL", dir_ + name}});
    ASSERT_TRUE(bad) << name;
    auto st =
        bad->Json("GET", "/api/ai/status", "", bad->Login("admin", bad->admin_password())).Json();
    EXPECT_FALSE(st.at("enabled").as_bool()) << name;
    EXPECT_FALSE(Str(st, "reason").empty()) << name;
  }
}

TEST_P(AiTest, AJobInterruptedByACrashRunsAgainOnce) {
  // Workers off: the job waits in the table.
  auto first = Serve({{"CLEANAI_AI_THREADS", "0"}});
  ASSERT_TRUE(first);
  Account a = RegisterCitizen(*first);
  const std::string id = FilePhoto(*first, a.access_token, "plastic");
  first->Kill();
  // As if the process had died mid-analysis: the job is running, its lease run out.
  auto db = Database::Open(first->database_url(), 1);
  ASSERT_TRUE(db);
  ASSERT_TRUE(
      (*db)->Execute("UPDATE ai_jobs SET status = 'running', attempts = 1, "
                     "lease_until = '2020-01-01T00:00:00Z' WHERE report_id = $1",
                     {id}));
  auto second = Serve({{"CLEANAI_DATABASE_URL", first->database_url()},
                       {"CLEANAI_STORAGE_DATA_DIR", first->data_dir()}});
  ASSERT_TRUE(second);
  const std::string token = second->Login(a.username, a.password);
  EXPECT_EQ(Str(Analysed(*second, token, id), "aiDetectedType"), "glass");
  std::this_thread::sleep_for(std::chrono::milliseconds(600));  // nothing runs it a third time
  auto job = (*db)->Execute("SELECT status, attempts FROM ai_jobs WHERE report_id = $1", {id});
  ASSERT_TRUE(job);
  ASSERT_EQ(job->rows.size(), 1u);
  EXPECT_EQ(job->rows[0].Text("status"), "done");
  EXPECT_EQ(job->rows[0].Int("attempts"), 2);
  auto results = (*db)->Execute("SELECT COUNT(*) AS n FROM ai_results WHERE report_id = $1", {id});
  EXPECT_EQ(results->rows[0].Int("n"), 1);
}

TEST_P(AiTest, AJobThatKeepsDyingIsGivenUpAfterItsLastAttempt) {
  auto first = Serve({{"CLEANAI_AI_THREADS", "0"}});
  ASSERT_TRUE(first);
  Account a = RegisterCitizen(*first);
  const std::string id = FilePhoto(*first, a.access_token, "plastic");
  first->Kill();
  // Its third attempt died with the process (a photo that crashes the decoder, say).
  auto db = Database::Open(first->database_url(), 1);
  ASSERT_TRUE(db);
  ASSERT_TRUE(
      (*db)->Execute("UPDATE ai_jobs SET status = 'running', attempts = 3, "
                     "lease_until = '2020-01-01T00:00:00Z' WHERE report_id = $1",
                     {id}));
  auto second = Serve({{"CLEANAI_DATABASE_URL", first->database_url()},
                       {"CLEANAI_STORAGE_DATA_DIR", first->data_dir()}});
  ASSERT_TRUE(second);
  std::string status;
  for (int i = 0; i < 50 && status != "failed"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    auto job = (*db)->Execute("SELECT status, attempts FROM ai_jobs WHERE report_id = $1", {id});
    ASSERT_TRUE(job);
    status = job->rows[0].Text("status");
    EXPECT_EQ(job->rows[0].Int("attempts"), 3);  // never a fourth
  }
  EXPECT_EQ(status, "failed");
  auto results = (*db)->Execute("SELECT COUNT(*) AS n FROM ai_results WHERE report_id = $1", {id});
  EXPECT_EQ(results->rows[0].Int("n"), 0);
  const std::string token = second->Login(a.username, a.password);
  EXPECT_TRUE(
      second->Json("GET", "/api/reports/" + id, "", token).Json().at("aiDetectedType").is_null());
}

INSTANTIATE_TEST_SUITE_P(Backends, AiTest, ::testing::Values("sqlite", "postgres"), BackendName);

}  // namespace
}  // namespace cleanai::testing
