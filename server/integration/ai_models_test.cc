// SPDX-License-Identifier: AGPL-3.0-or-later
// The model registry through the running server: a model is checked before it is stored,
// bad uploads are clear errors that store nothing and leave the live model alone, a
// candidate runs in shadow without being shown, promotion and roll-back swap the live
// model without a restart and leave audit rows, and only admins see any of it.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "storage/database.h"
#include "testing/report_fixtures.h"

namespace cleanai::testing {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class AiModelsTest : public BackendTest {
 protected:
  static void SetUpTestSuite() {
    dir_ = MakeTempDir();
    const std::string py = "/usr/bin/python3 ";
    const std::string ai = std::string(CLEANAI_SOURCE_DIR) + "/ai/";
    ASSERT_EQ(std::system((py + ai + "make_test_model.py " + dir_ + "/taco-test.onnx").c_str()), 0);
    std::ofstream(dir_ + "/taco-test.mapping") << "bottle = plastic\ncan = metal\nglass = glass\n";
    // A second network with other bytes: the same graph under another doc string.
    const std::string copy = py +
                             "-c \"import onnx,sys; m = onnx.load(sys.argv[1]); m.doc_string = "
                             "'second'; onnx.save(m, sys.argv[2])\" " +
                             dir_ + "/taco-test.onnx " + dir_ + "/second.onnx";
    ASSERT_EQ(std::system(copy.c_str()), 0);
  }
  std::unique_ptr<TestServer> Serve() {
    ServerOptions o;
    o.backend = GetParam();
    o.env = {{"CLEANAI_AI_MODEL", dir_ + "/taco-test.onnx"}};
    return TestServer::Start(o);
  }
  static HttpResult Register(const TestServer& s, const std::string& token,
                             const std::string& onnx_file, const std::string& names,
                             const std::string& card = "",
                             std::vector<std::pair<std::string, std::string>> extra = {}) {
    std::vector<std::pair<std::string, std::string>> fields = {
        {"names", names}, {"mapping", "bottle = plastic\ncan = metal\nglass = glass\n"}};
    if (!card.empty()) fields.push_back({"card", card});
    for (auto& f : extra) fields.push_back(f);
    std::vector<FilePart> files;
    if (!onnx_file.empty()) {
      files.push_back({"model", "model.onnx", "application/octet-stream", ReadAll(onnx_file)});
    }
    auto [type, body] = Multipart(fields, files);
    return s.Request("POST", "/api/ai/models", body,
                     {{"Content-Type", type}, {"Authorization", "Bearer " + token}});
  }
  static int64_t Version(const TestServer& s, const std::string& token) {
    auto st = s.Json("GET", "/api/ai/status", "", token).Json();
    return st.at("version").is_null() ? 0 : st.at("version").to_number<int64_t>();
  }
  static inline std::string dir_;
  static inline const std::string kNames = "bottle\npaper\ncan\nglass\n";
};

TEST_P(AiModelsTest, RegisteredPromotedAndRolledBackWithoutARestartAndAudited) {
  auto s = Serve();
  ASSERT_TRUE(s);
  const std::string admin = s->Login("admin", s->admin_password());
  EXPECT_EQ(Version(*s, admin), 0);  // ai.model runs

  HttpResult one = Register(*s, admin, dir_ + "/taco-test.onnx", kNames,
                            R"({"name": "city-june", "input_size": 640})");
  ASSERT_EQ(one.status, 201) << one.body;
  EXPECT_EQ(one.Json().at("version").to_number<int64_t>(), 1);
  EXPECT_EQ(Str(one.Json(), "status"), "candidate");
  EXPECT_EQ(Str(one.Json(), "name"), "city-june");
  HttpResult two = Register(*s, admin, dir_ + "/second.onnx", kNames);
  ASSERT_EQ(two.status, 201) << two.body;
  EXPECT_EQ(Str(two.Json(), "name"), "version 2");
  EXPECT_EQ(Register(*s, admin, dir_ + "/second.onnx", kNames).status, 409);

  ASSERT_EQ(s->Json("POST", "/api/ai/models/1/promote", "", admin).status, 200);
  EXPECT_EQ(Version(*s, admin), 1);
  EXPECT_EQ(Str(s->Json("GET", "/api/ai/status", "", admin).Json(), "model"), "city-june");
  ASSERT_EQ(s->Json("POST", "/api/ai/models/2/promote", "", admin).status, 200);
  EXPECT_EQ(Version(*s, admin), 2);
  // Promoting the live one again changes nothing and writes no audit row.
  ASSERT_EQ(s->Json("POST", "/api/ai/models/2/promote", "", admin).status, 200);
  ASSERT_EQ(s->Json("POST", "/api/ai/models/1/promote", "", admin).status, 200);
  EXPECT_EQ(Version(*s, admin), 1);
  EXPECT_EQ(s->Json("POST", "/api/ai/models/3/promote", "", admin).status, 404);
  EXPECT_EQ(s->Json("POST", "/api/ai/models/x/promote", "", admin).status, 404);

  auto list = s->Json("GET", "/api/ai/models", "", admin).Json();
  const auto& models = list.at("models").as_array();
  ASSERT_EQ(models.size(), 2u);
  EXPECT_EQ(Str(models[0], "status"), "retired");
  EXPECT_EQ(Str(models[1], "status"), "live");
  EXPECT_EQ(list.at("running").at("version").to_number<int64_t>(), 1);

  auto db = Database::Open(s->database_url(), 1);
  ASSERT_TRUE(db);
  auto audit = (*db)->Execute(
      "SELECT event_type, user_id, details FROM event_logs WHERE event_type LIKE 'ai.model%' "
      "ORDER BY created_at, id");
  ASSERT_TRUE(audit);
  std::vector<std::string> events;
  for (const auto& row : audit->rows) {
    events.push_back(row.Text("event_type"));
    EXPECT_FALSE(row.Text("user_id").empty());
  }
  EXPECT_EQ(events, (std::vector<std::string>{"ai.model_registered", "ai.model_registered",
                                              "ai.model_promoted", "ai.model_promoted",
                                              "ai.model_rolled_back"}));
  const boost::json::value details = boost::json::parse(audit->rows.back().Text("details"));
  EXPECT_EQ(details.at("from").to_number<int64_t>(), 2);
  EXPECT_EQ(details.at("version").to_number<int64_t>(), 1);
}

TEST_P(AiModelsTest, BadUploadsAreClearErrorsThatStoreNothingAndLeaveTheLiveModel) {
  auto s = Serve();
  ASSERT_TRUE(s);
  const std::string admin = s->Login("admin", s->admin_password());
  const int media_before = CountFiles(s->data_dir() + "/media");
  auto field_of = [](const HttpResult& r) {
    const boost::json::value body = r.Json();  // kept: a reference into a temporary dangles
    const auto& errors = body.at("errors").as_array();
    return errors.empty() ? std::string() : Str(errors[0], "field");
  };
  // Five names for a four-class head; a network that is not one; no network at all; a
  // card that is not an object; a field nobody asked for; JSON instead of multipart.
  HttpResult wrong = Register(*s, admin, dir_ + "/taco-test.onnx", kNames + "lid\n");
  EXPECT_EQ(wrong.status, 422) << wrong.body;
  EXPECT_NE(wrong.body.find("[1×69×8400]"), std::string::npos) << wrong.body;
  EXPECT_EQ(wrong.body.find(s->data_dir()), std::string::npos) << "no server paths in errors";
  std::ofstream(dir_ + "/junk.onnx") << "not a network";
  HttpResult junk = Register(*s, admin, dir_ + "/junk.onnx", kNames);
  EXPECT_EQ(junk.status, 422);
  EXPECT_EQ(field_of(junk), "model");
  HttpResult none = Register(*s, admin, "", kNames);
  EXPECT_EQ(none.status, 422);
  EXPECT_EQ(field_of(none), "model");
  HttpResult card = Register(*s, admin, dir_ + "/taco-test.onnx", kNames, "[640]");
  EXPECT_EQ(card.status, 422);
  EXPECT_EQ(field_of(card), "card");
  HttpResult size = Register(*s, admin, dir_ + "/taco-test.onnx", kNames, R"({"input_size": 333})");
  EXPECT_EQ(size.status, 422);
  HttpResult extra = Register(*s, admin, dir_ + "/taco-test.onnx", kNames, "", {{"owner", "me"}});
  EXPECT_EQ(extra.status, 422);
  EXPECT_EQ(field_of(extra), "owner");
  EXPECT_EQ(s->Json("POST", "/api/ai/models", "{}", admin).status, 422);

  EXPECT_TRUE(s->Json("GET", "/api/ai/models", "", admin).Json().at("models").as_array().empty());
  EXPECT_EQ(CountFiles(s->data_dir() + "/media"), media_before);
  auto st = s->Json("GET", "/api/ai/status", "", admin).Json();
  EXPECT_TRUE(st.at("enabled").as_bool());
  EXPECT_EQ(Str(st, "model"), "taco-test.onnx");
}

TEST_P(AiModelsTest, ACandidateRunsInShadowUnseenAndOnlyAdminsSeeTheRegistry) {
  auto s = Serve();
  ASSERT_TRUE(s);
  const std::string admin = s->Login("admin", s->admin_password());
  Account citizen = RegisterCitizen(*s);
  HttpResult reg = Register(*s, admin, dir_ + "/second.onnx", kNames, R"({"name": "candidate"})");
  ASSERT_EQ(reg.status, 201) << reg.body;
  const std::string sha = Str(reg.Json(), "sha256");

  // The feeder picks the candidate up within seconds; reports filed after that are seen
  // by both, and shown with the live model's answer only.
  boost::json::value shadow;
  std::string id;
  for (int i = 0; i < 100; ++i) {
    if (id.empty() || i % 20 == 0) {
      HttpResult r = SubmitReport(*s, citizen.access_token,
                                  {{"wasteType", "glass"}, {"lat", "31.52"}, {"lng", "74.35"}},
                                  MakeImage("jpeg", 640, 480));
      ASSERT_EQ(r.status, 201) << r.body;
      id = Str(r.Json(), "id");
      ASSERT_EQ(s->Json("PUT", "/api/ai/reports/" + id + "/label",
                        Serialize({{"wasteType", "glass"}}), admin)
                    .status,
                200);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    shadow = s->Json("GET", "/api/ai/models", "", admin).Json().at("models").at(0).at("shadow");
    if (shadow.is_object() && shadow.at("labelled").to_number<int64_t>() >= 1) break;
  }
  ASSERT_TRUE(shadow.is_object()) << "no shadow result";
  EXPECT_GE(shadow.at("photos").to_number<int64_t>(), 1);
  // The same network as the live one: it agrees exactly as often.
  EXPECT_EQ(boost::json::serialize(shadow.at("agreement")),
            boost::json::serialize(shadow.at("liveAgreement")));
  const boost::json::value seen = s->Json("GET", "/api/ai/reports/" + id, "", admin).Json();
  for (const auto& p : seen.at("photos").as_array()) EXPECT_EQ(Str(p, "model"), "taco-test.onnx");

  // The registry and the stored network are the admins' alone.
  const std::string who = citizen.access_token;
  EXPECT_EQ(s->Json("GET", "/api/ai/models", "", who).status, 403);
  EXPECT_EQ(Register(*s, who, dir_ + "/taco-test.onnx", kNames).status, 403);
  EXPECT_EQ(s->Json("POST", "/api/ai/models/1/promote", "", who).status, 403);
  EXPECT_EQ(s->Json("GET", "/api/ai/models", "", "").status, 401);
  EXPECT_EQ(s->Request("GET", "/media/" + sha + ".jpg", "", {}).status, 404);
  EXPECT_EQ(s->Json("GET", "/media/" + sha + ".jpg", "", who).status, 404);
  EXPECT_EQ(s->Json("GET", "/media/" + sha + ".jpg", "", admin).status, 200);
}

INSTANTIATE_TEST_SUITE_P(Backends, AiModelsTest, ::testing::Values("sqlite", "postgres"),
                         BackendName);

}  // namespace
}  // namespace cleanai::testing
