// Offline geocoding with the GeoNames gazetteer, and reports named after their city.
#include "testing/report_fixtures.h"

namespace cleanai::testing {
namespace {

class GeoTest : public BackendTest {};

TEST_P(GeoTest, KnownCitiesTheSeaAndSearch) {
  TestServer& s = server();
  struct Case {
    const char* lat;
    const char* lng;
    const char* name;
    const char* region;
  } cases[] = {
      {"24.8607", "67.0011", "Karachi", "Sindh"},
      {"31.5204", "74.3587", "Lahore", "Punjab"},
      {"33.6844", "73.0479", "Islamabad", "Islamabad"},
      {"34.0151", "71.5249", "Peshawar", "Khyber Pakhtunkhwa"},
  };
  for (const auto& c : cases) {
    HttpResult r = s.Json("GET", std::string("/api/geo/reverse?lat=") + c.lat + "&lng=" + c.lng);
    ASSERT_EQ(r.status, 200) << c.name << ": " << r.body;
    EXPECT_EQ(Str(r.Json(), "name"), c.name) << r.body;
    EXPECT_EQ(Str(r.Json(), "region"), c.region) << r.body;
    EXPECT_EQ(Str(r.Json(), "country"), "Pakistan");
  }
  // The Arabian Sea, far from any shore.
  EXPECT_EQ(s.Json("GET", "/api/geo/reverse?lat=20.0&lng=64.0").status, 404);
  EXPECT_EQ(s.Json("GET", "/api/geo/reverse?lat=200&lng=64.0").status, 422);
  HttpResult search = s.Json("GET", "/api/geo/search?q=lahore");
  ASSERT_EQ(search.status, 200);
  EXPECT_EQ(Str(search.Json().at("items").at(0), "name"), "Lahore");
  EXPECT_EQ(Str(search.Json().at("items").at(0), "countryCode"), "PK");
  EXPECT_EQ(s.Json("GET", "/api/geo/search?q=").status, 422);
}

TEST_P(GeoTest, ReportsAreNamedAfterTheirCity) {
  TestServer& s = server();
  Account a = RegisterCitizen(s, "geo");
  std::string admin = s.Login("admin", s.admin_password());
  std::string id = FileReport(s, a.access_token, 24.8607, 67.0011);
  HttpResult r = s.Json("GET", "/api/reports/" + id, "", a.access_token);
  EXPECT_EQ(Str(r.Json().at("location"), "city"), "Karachi");
  EXPECT_EQ(Str(r.Json().at("location"), "country"), "Pakistan");
  HttpResult list = s.Json("GET", "/api/reports?city=karachi&limit=200", "", admin);
  bool found = false;
  auto list_json = list.Json();
  for (const auto& item : list_json.at("items").as_array()) found |= Str(item, "id") == id;
  EXPECT_TRUE(found) << list.body;
}

INSTANTIATE_TEST_SUITE_P(Backends, GeoTest, ::testing::ValuesIn(TestBackends()), BackendName);

}  // namespace
}  // namespace cleanai::testing
