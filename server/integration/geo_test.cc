// SPDX-License-Identifier: AGPL-3.0-or-later
// Offline geocoding with the GeoNames gazetteer, and reports named after their city.
#include <thread>

#include "testing/report_fixtures.h"
#include "testing/stub_http_server.h"

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

// A stand-in for Nominatim: a street in Lahore, a plot without a road, the open sea, and a
// server that fails.
StubHttpServer& Nominatim() {
  static auto* stub = new StubHttpServer([](const StubRequest& req) {
    StubResponse resp;
    if (req.target.find("lat=31.52040") != std::string::npos) {
      resp.body = R"({"display_name":"12, Mall Road, Gulberg, Lahore, Punjab, Pakistan",)"
                  R"("address":{"house_number":"12","road":"Mall Road","suburb":"Gulberg",)"
                  R"("city":"Lahore","country":"Pakistan"}})";
    } else if (req.target.find("lat=31.53000") != std::string::npos) {
      resp.body = R"({"display_name":"Model Colony, Lahore, Punjab, Pakistan","address":{}})";
    } else if (req.target.find("lat=31.54000") != std::string::npos) {
      resp.status = 503;
    } else {
      resp.body = R"({"error":"Unable to geocode"})";
    }
    return resp;
  });
  return *stub;
}

TEST_P(GeoTest, StreetAddressesFromNominatimWhenConfigured) {
  auto& s = SharedServers::Map()["nominatim-" + GetParam()];
  if (!s) {
    ServerOptions o;
    o.backend = GetParam();
    o.env = {{"CLEANAI_GEO_NOMINATIM_URL", Nominatim().url()},
             {"CLEANAI_SERVER_PUBLIC_URL", "https://clean.example.org"}};
    s = TestServer::Start(o);
  }
  auto street = [&](const char* lat, const char* lng) {
    // One request a second reaches Nominatim (its usage policy): space the calls.
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    HttpResult r = s->Json("GET", std::string("/api/geo/reverse?lat=") + lat + "&lng=" + lng);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.Json().at("street");
  };
  EXPECT_EQ(street("31.5204", "74.3587").as_string(), "12 Mall Road, Gulberg");
  EXPECT_EQ(street("31.53", "74.35").as_string(), "Model Colony, Lahore");
  EXPECT_TRUE(street("31.54", "74.35").is_null());  // the server failed: the town still answers
  // Cached: asked again at once, the answer comes without a second request.
  size_t asked = Nominatim().Requests().size();
  HttpResult again = s->Json("GET", "/api/geo/reverse?lat=31.5204&lng=74.3587");
  EXPECT_EQ(Str(again.Json(), "street"), "12 Mall Road, Gulberg");
  EXPECT_EQ(Str(again.Json(), "name"), "Lahore");
  EXPECT_EQ(Nominatim().Requests().size(), asked);
  // Within a second of the last call, a new place gets no street rather than a wait.
  HttpResult rushed = s->Json("GET", "/api/geo/reverse?lat=31.5&lng=74.3");
  EXPECT_TRUE(rushed.Json().at("street").is_null());
  const auto requests = Nominatim().Requests();
  ASSERT_FALSE(requests.empty());
  EXPECT_NE(requests[0].target.find("/reverse?format=jsonv2"), std::string::npos);
  EXPECT_NE(requests[0].headers.at("user-agent").find("CleanAI"), std::string::npos);
  EXPECT_NE(requests[0].headers.at("user-agent").find("clean.example.org"), std::string::npos);
  // Without the setting there is no street field at all.
  EXPECT_FALSE(server()
                   .Json("GET", "/api/geo/reverse?lat=31.5204&lng=74.3587")
                   .Json()
                   .as_object()
                   .contains("street"));
}

INSTANTIATE_TEST_SUITE_P(Backends, GeoTest, ::testing::ValuesIn(TestBackends()), BackendName);

}  // namespace
}  // namespace cleanai::testing
