// SPDX-License-Identifier: AGPL-3.0-or-later
// Research papers through HTTP on both backends.
#include "testing/report_fixtures.h"

namespace cleanai::testing {
namespace {

class PapersTest : public BackendTest {};

TEST_P(PapersTest, SeededSearchableAndEditedByAdmins) {
  TestServer& s = server();
  HttpResult all = s.Json("GET", "/api/papers");
  ASSERT_EQ(all.status, 200) << all.body;
  auto items = all.Json().at("items").as_array();
  ASSERT_GE(items.size(), 6u);
  bool taco = false;
  for (const auto& p : items) {
    if (Str(p, "title").rfind("TACO", 0) == 0) {
      taco = true;
      EXPECT_EQ(Str(p, "url"), "https://arxiv.org/abs/2003.06975");
      EXPECT_EQ(p.at("year").as_int64(), 2020);
    }
    EXPECT_EQ(Str(p, "url").rfind("https://", 0), 0u) << Str(p, "title");
  }
  EXPECT_TRUE(taco);
  EXPECT_EQ(s.Json("GET", "/api/papers?q=taco").Json().at("items").as_array().size(), 1u);
  EXPECT_EQ(s.Json("GET", "/api/papers?q=%25").Json().at("items").as_array().size(), 0u);
  EXPECT_EQ(s.Json("GET", "/api/papers?topic=datasets").Json().at("items").as_array().size(), 2u);
  EXPECT_EQ(s.Json("GET", "/api/papers?topic=astrology").status, 422);

  std::string admin = s.Login("admin", s.admin_password());
  HttpResult created = s.Json("POST", "/api/papers",
                              R"({"title":"A test paper","authors":"A. Author","year":2024,
                                  "venue":"Test Venue","url":"https://example.org/p","topic":"policy"})",
                              admin);
  ASSERT_EQ(created.status, 201) << created.body;
  std::string id = Str(created.Json(), "id");
  EXPECT_EQ(s.Json("GET", "/api/papers?topic=policy").Json().at("items").as_array().size(), 1u);
  HttpResult edited = s.Json("PUT", "/api/papers/" + id, R"({"year":2025})", admin);
  EXPECT_EQ(edited.Json().at("year").as_int64(), 2025);
  EXPECT_EQ(Str(edited.Json(), "title"), "A test paper");
  for (
      const char* bad :
      {R"({"title":"x","authors":"y","year":2024,"venue":"v","url":"http://insecure","topic":"policy"})",
       R"({"title":"x","authors":"y","year":1066,"venue":"v","url":"https://a.b","topic":"policy"})",
       R"({"title":"x","authors":"y","year":2024,"venue":"v","url":"https://a.b","topic":"gossip"})",
       R"({"title":"x"})"}) {
    EXPECT_EQ(s.Json("POST", "/api/papers", bad, admin).status, 422) << bad;
  }
  EXPECT_EQ(s.Json("DELETE", "/api/papers/" + id, "", admin).status, 204);
  EXPECT_EQ(s.Json("DELETE", "/api/papers/" + id, "", admin).status, 404);
}

INSTANTIATE_TEST_SUITE_P(Backends, PapersTest, ::testing::ValuesIn(TestBackends()), BackendName);

}  // namespace
}  // namespace cleanai::testing
