// SPDX-License-Identifier: AGPL-3.0-or-later
// Flood-risk assessment through the real server: constructed streets score as the
// documented formula says (flood/risk.h), admins' inputs change the answer, and a weather
// provider in OpenWeather's format (a local stand-in) is asked, bounded by its timeout,
// without its key ever reaching the log.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <ctime>

#include "testing/report_fixtures.h"
#include "testing/stub_http_server.h"

namespace cleanai::testing {
namespace {

constexpr const char* kWeatherKey = "k-secret-weather-123";

class FloodTest : public BackendTest {};

std::string Drain(const TestServer& s, const std::string& token, double lat, double lng,
                  const std::string& size = "", bool drain = true) {
  std::vector<std::pair<std::string, std::string>> fields = {
      {"wasteType", "plastic"},
      {"lat", std::to_string(lat)},
      {"lng", std::to_string(lng)},
      {"blocksDrain", drain ? "true" : "false"}};
  if (!size.empty()) fields.push_back({"size", size});
  HttpResult r = SubmitReport(s, token, fields, SmallJpeg());
  EXPECT_EQ(r.status, 201) << r.body;
  return Str(r.Json(), "id");
}

// The assessed area whose centre is within 0.005° of (lat, lng).
boost::json::object AreaNear(const TestServer& s, const std::string& admin, double lat,
                             double lng) {
  HttpResult r = s.Json("GET", "/api/flood/risk?limit=200", "", admin);
  EXPECT_EQ(r.status, 200) << r.body;
  auto v = r.Json();
  if (!v.is_object()) return {};
  for (const auto& a : v.at("areas").as_array()) {
    if (std::abs(a.at("lat").as_double() - lat) < 0.005 &&
        std::abs(a.at("lng").as_double() - lng) < 0.005) {
      return a.as_object();
    }
  }
  ADD_FAILURE() << "no area near " << lat << "," << lng << " in " << r.body;
  return {};
}

double Num(const boost::json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v && v->is_number() ? v->to_number<double>() : NAN;
}

TEST_P(FloodTest, ConstructedStreetsScoreAsDocumented) {
  auto& s = server();
  std::string admin = s.Login("admin", s.admin_password());
  Account c = RegisterCitizen(s);
  double base = GetParam() == "sqlite" ? 12.0 : 14.0;

  // One fresh blocked drain, nothing known about rain: (1 + 1/10) × 1 = 1.1, low.
  double lat1 = base + 0.0031, lng1 = 45.0031;
  Drain(s, c.access_token, lat1, lng1);
  auto a = AreaNear(s, admin, lat1, lng1);
  ASSERT_FALSE(a.empty());
  EXPECT_EQ(a.at("level").as_string(), "low");
  EXPECT_NEAR(Num(a, "index"), 1.1, 0.01);
  const auto& f = a.at("factors").as_object();
  EXPECT_EQ(f.at("rainSource").as_string(), "unknown");
  EXPECT_TRUE(f.at("rainMmNext24h").is_null());
  EXPECT_EQ(f.at("drainReports").as_int64(), 1);

  // Three blockages and a wheelbarrow of rubbish beside them (not in a drain):
  // B = 3, V = 1 + 1 + 1 + 3 = 6, L = 3.6; 40 mm entered by an admin: × 2 = 7.2, high.
  double lat2 = base + 0.5031, lng2 = 45.5031;
  for (int i = 0; i < 3; ++i) Drain(s, c.access_token, lat2 + i * 0.001, lng2);
  Drain(s, c.access_token, lat2 + 0.002, lng2 + 0.001, "wheelbarrow", false);
  HttpResult rain = s.Json("POST", "/api/flood/rainfall",
                           Serialize({{"mmNext24h", 40}, {"validHours", 6}}), admin);
  ASSERT_EQ(rain.status, 201) << rain.body;
  a = AreaNear(s, admin, lat2 + 0.001, lng2);
  EXPECT_EQ(a.at("level").as_string(), "high");
  EXPECT_NEAR(Num(a, "index"), 7.2, 0.02);
  EXPECT_EQ(a.at("factors").at("rainSource").as_string(), "admin");
  EXPECT_EQ(a.at("factors").at("openReports").as_int64(), 4);
  EXPECT_DOUBLE_EQ(Num(a.at("factors").as_object(), "rainMultiplier"), 2.0);

  // Marked low-lying: × 1.5 = 10.8, severe. Unmarked again: high.
  HttpResult mark = s.Json(
      "POST", "/api/flood/low-lying-areas",
      Serialize({{"name", "Nullah bank"}, {"lat", lat2}, {"lng", lng2}, {"radiusM", 400}}), admin);
  ASSERT_EQ(mark.status, 201) << mark.body;
  std::string area_id = Str(mark.Json(), "id");
  a = AreaNear(s, admin, lat2 + 0.001, lng2);
  EXPECT_EQ(a.at("level").as_string(), "severe");
  EXPECT_NEAR(Num(a, "index"), 10.8, 0.03);
  EXPECT_EQ(a.at("factors").at("lowLyingArea").as_string(), "Nullah bank");
  HttpResult listed = s.Json("GET", "/api/flood/low-lying-areas", "", admin);
  EXPECT_NE(listed.body.find(area_id), std::string::npos);
  EXPECT_EQ(s.Json("DELETE", "/api/flood/low-lying-areas/" + area_id, "", admin).status, 204);
  EXPECT_EQ(s.Json("DELETE", "/api/flood/low-lying-areas/" + area_id, "", admin).status, 404);
  a = AreaNear(s, admin, lat2 + 0.001, lng2);
  EXPECT_EQ(a.at("level").as_string(), "high");

  // The first street, now with 40 mm coming: 1.1 × 2 = 2.2, moderate.
  a = AreaNear(s, admin, lat1, lng1);
  EXPECT_EQ(a.at("level").as_string(), "moderate");
  HttpResult risk = s.Json("GET", "/api/flood/risk", "", admin);
  EXPECT_NE(risk.Json().at("disclaimer").as_string().find("not a flood forecast"),
            std::string::npos);
}

TEST_P(FloodTest, BadInputIsAProblem) {
  auto& s = server();
  std::string admin = s.Login("admin", s.admin_password());
  Account c = RegisterCitizen(s);
  const std::pair<const char*, std::string> cases[] = {
      {"/api/flood/low-lying-areas", R"({"name":"x","lat":91,"lng":1,"radiusM":100})"},
      {"/api/flood/low-lying-areas", R"({"lat":1,"lng":1,"radiusM":100})"},
      {"/api/flood/low-lying-areas", R"({"name":"x","lat":1,"lng":1,"radiusM":5})"},
      {"/api/flood/low-lying-areas", R"({"name":"x","lat":"1","lng":1,"radiusM":100})"},
      {"/api/flood/low-lying-areas", R"({"name":"x","lat":1,"lng":1,"radiusM":100,"extra":1})"},
      {"/api/flood/rainfall", R"({"mmNext24h":-1})"},
      {"/api/flood/rainfall", R"({"mmNext24h":10,"validHours":100})"},
      {"/api/flood/rainfall", R"({})"},
  };
  for (const auto& [target, body] : cases) {
    HttpResult r = s.Json("POST", target, body, admin);
    EXPECT_EQ(r.status, 422) << target << " " << body << ": " << r.body;
    EXPECT_EQ(r.Header("content-type"), "application/problem+json");
  }
  EXPECT_EQ(s.Json("POST", "/api/flood/rainfall", "[1]", admin).status, 400);
  EXPECT_EQ(s.Json("DELETE", "/api/flood/low-lying-areas/nope", "", admin).status, 404);
  EXPECT_EQ(s.Json("GET", "/api/flood/risk?limit=0", "", admin).status, 422);
  EXPECT_EQ(s.Json("GET", "/api/flood/risk", "", c.access_token).status, 403);
  EXPECT_EQ(s.Json("POST", "/api/flood/rainfall", R"({"mmNext24h":1})", c.access_token).status,
            403);
}

// A stand-in for OpenWeather: rain ahead near lat 2x, slow near -4x, broken near -5x.
StubHttpServer& Weather() {
  static auto* stub = new StubHttpServer([](const StubRequest& req) {
    StubResponse resp;
    if (req.target.find("lat=-4") != std::string::npos) {
      resp.delay_ms = 3000;
    } else if (req.target.find("lat=-5") != std::string::npos) {
      resp.status = 500;
      resp.body = R"({"cod":500,"message":"Internal error"})";
      return resp;
    }
    long long now = static_cast<long long>(std::time(nullptr));
    resp.body = "{\"cod\":\"200\",\"list\":[{\"dt\":" + std::to_string(now + 3600) +
                ",\"rain\":{\"3h\":20}},{\"dt\":" + std::to_string(now + 7200) +
                ",\"rain\":{\"3h\":15}},{\"dt\":" + std::to_string(now + 90000) +
                ",\"rain\":{\"3h\":99}}]}";
    return resp;
  });
  return *stub;
}

TestServer& WeatherServer(const std::string& backend) {
  auto& s = SharedServers::Map()["weather-" + backend];
  if (!s) {
    ServerOptions o;
    o.backend = backend;
    o.env = {{"CLEANAI_FLOOD_WEATHER_URL", Weather().url() + "/data/2.5/forecast"},
             {"CLEANAI_FLOOD_WEATHER_API_KEY", kWeatherKey},
             {"CLEANAI_FLOOD_WEATHER_TIMEOUT_SECONDS", "1"}};
    s = TestServer::Start(o);
    if (!s) throw std::runtime_error("weather server did not start");
  }
  return *s;
}

TEST_P(FloodTest, ForecastProviderIsAskedWithinItsTimeoutAndItsKeyIsNeverLogged) {
  auto& s = WeatherServer(GetParam());
  std::string admin = s.Login("admin", s.admin_password());
  Account c = RegisterCitizen(s);
  double off = GetParam() == "sqlite" ? 0 : 1;
  double wet_lat = 22.0531 + off, slow_lat = -42.0531 - off, broken_lat = -52.0531 - off;
  Drain(s, c.access_token, wet_lat, 60.0531);
  Drain(s, c.access_token, slow_lat, 61.0531);
  Drain(s, c.access_token, broken_lat, 62.0531);

  // The slow cell's provider answers after the 1 s timeout: its "unknown" below proves
  // the timeout was applied (no wall-clock assertion here).
  auto wet = AreaNear(s, admin, wet_lat, 60.0531);
  // 20 + 15 mm within the next 24 h (the 99 mm lies beyond): × 2 → 2.2, moderate.
  ASSERT_FALSE(wet.empty());
  EXPECT_EQ(wet.at("factors").at("rainSource").as_string(), "forecast");
  EXPECT_NEAR(Num(wet.at("factors").as_object(), "rainMmNext24h"), 35, 0.01);
  EXPECT_EQ(wet.at("level").as_string(), "moderate");
  EXPECT_EQ(AreaNear(s, admin, slow_lat, 61.0531).at("factors").at("rainSource").as_string(),
            "unknown");
  EXPECT_EQ(AreaNear(s, admin, broken_lat, 62.0531).at("factors").at("rainSource").as_string(),
            "unknown");

  char wet_cell[32];  // asked for the centre of the 0.1° cell
  std::snprintf(wet_cell, sizeof wet_cell, "lat=%.2f", (std::floor(wet_lat * 10) + 0.5) / 10);
  bool asked = false;
  for (const auto& r : Weather().Requests()) {
    if (r.target.rfind("/data/2.5/forecast?", 0) == 0 &&
        r.target.find("appid=" + std::string(kWeatherKey)) != std::string::npos &&
        r.target.find("units=metric") != std::string::npos &&
        r.target.find(wet_cell) != std::string::npos) {
      asked = true;
    }
  }
  EXPECT_TRUE(asked);
  for (const auto& line : s.LogLines()) {
    EXPECT_EQ(line.find(kWeatherKey), std::string::npos) << line;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, FloodTest, ::testing::Values("sqlite", "postgres"), BackendName);

}  // namespace
}  // namespace cleanai::testing
