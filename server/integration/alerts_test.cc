// SPDX-License-Identifier: AGPL-3.0-or-later
// Every alert rule through the real server, on both backends: it fires at its condition,
// not before; alerts are acknowledged once, pushed live, and do not repeat while open.
// The server runs with short limits (seconds) so the time rules are tested in real time.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "testing/event_stream_client.h"
#include "testing/report_fixtures.h"

namespace cleanai::testing {
namespace {

TestServer& AlertServer(const std::string& backend) {
  auto& s = SharedServers::Map()["alerts-" + backend];
  if (!s) {
    ServerOptions o;
    o.backend = backend;
    o.env = {{"CLEANAI_ALERTS_SURGE_REPORTS", "3"},
             {"CLEANAI_ALERTS_SURGE_RADIUS_M", "500"},
             {"CLEANAI_ALERTS_DISPATCH_LIMIT_HIGH_SECONDS", "3"},
             {"CLEANAI_ALERTS_DISPATCH_LIMIT_URGENT_SECONDS", "3"},
             {"CLEANAI_ALERTS_GPS_STALE_SECONDS", "2"},
             {"CLEANAI_ALERTS_INTERVAL_SECONDS", "3600"},  // tests run the schedule by hand
             {"CLEANAI_HTTP_RATE_LIMIT_PER_MINUTE", "100000"}};
    s = TestServer::Start(o);
    if (!s) throw std::runtime_error("alert server did not start");
  }
  return *s;
}

class AlertsTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped()) return;
    s_ = &AlertServer(GetParam());
    admin_ = s_->Login("admin", s_->admin_password());
    citizen_ = RegisterCitizen(*s_);
  }
  TestServer& s() { return *s_; }

  std::vector<boost::json::object> Alerts(const std::string& state = "all") {
    HttpResult r = s().Json("GET", "/api/alerts?limit=200&state=" + state, "", admin_);
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<boost::json::object> out;
    auto v = r.Json();
    if (!v.is_object()) return out;
    for (const auto& a : v.at("items").as_array()) out.push_back(a.as_object());
    return out;
  }
  static std::string Field(const boost::json::object& a, const char* key) {
    const auto* v = a.if_contains(key);
    return v && v->is_string() ? std::string(v->as_string()) : "";
  }
  int Count(const std::string& rule, const char* field, const std::string& value,
            const std::string& state = "all") {
    int n = 0;
    for (const auto& a : Alerts(state)) n += Field(a, "rule") == rule && Field(a, field) == value;
    return n;
  }
  bool WaitFor(const std::string& rule, const char* field, const std::string& value,
               int timeout_ms = 5000) {
    auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (std::chrono::steady_clock::now() < end) {
      if (Count(rule, field, value) > 0) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }
  // Change-driven rules run in event order: once a fresh medical report has its alert,
  // every change before it has been evaluated.
  void Barrier() {
    static std::atomic<int> n{0};
    double lat = -45 + (++n % 400) * 0.05;
    std::string id = FileReport(s(), citizen_.access_token, lat, 170.0, "medical");
    ASSERT_TRUE(WaitFor("hazardous_report", "reportId", id)) << "the rule loop is not running";
  }
  int Evaluate() {
    HttpResult r = s().Json("POST", "/api/alerts/evaluate", "", admin_);
    EXPECT_EQ(r.status, 200) << r.body;
    auto v = r.Json();
    return v.is_object() ? static_cast<int>(v.at("raised").as_int64()) : -1;
  }
  std::string Vehicle(int capacity, bool with_position) {
    boost::json::object body{{"vehicleNumber", "AL-" + std::to_string(std::rand() % 1000000)},
                             {"capacity", capacity}};
    if (with_position) {
      body["currentLat"] = 31.5;
      body["currentLng"] = 74.3;
    }
    HttpResult v = s().Json("POST", "/api/fleet", Serialize(body), admin_);
    EXPECT_EQ(v.status, 201) << v.body;
    return Str(v.Json(), "id");
  }
  void Dispatch(const std::string& vehicle, const std::string& report) {
    HttpResult r = s().Json("PATCH", "/api/fleet/" + vehicle + "/assign",
                            Serialize({{"reportId", report}}), admin_);
    ASSERT_EQ(r.status, 200) << r.body;
  }

  TestServer* s_ = nullptr;
  std::string admin_;
  Account citizen_;
};

TEST_P(AlertsTest, HazardousAndMedicalReportsAlertAtOnceOthersDoNot) {
  std::string hazardous = FileReport(s(), citizen_.access_token, -10.1, 120.1, "hazardous");
  std::string plastic = FileReport(s(), citizen_.access_token, -10.3, 120.3, "plastic");
  EXPECT_TRUE(WaitFor("hazardous_report", "reportId", hazardous));
  Barrier();
  EXPECT_EQ(Count("hazardous_report", "reportId", plastic), 0);
  for (const auto& a : Alerts()) {
    if (Field(a, "reportId") == hazardous && Field(a, "rule") == "hazardous_report") {
      EXPECT_EQ(Field(a, "severity"), "critical");
      EXPECT_NEAR(a.at("lat").as_double(), -10.1, 1e-6);
    }
  }
}

TEST_P(AlertsTest, SurgeNeedsTheThresholdWithinTheRadius) {
  double lat = GetParam() == "sqlite" ? -20.0 : -21.0, lng = 125.0;
  double deg_per_m = 1.0 / 111320.0;
  std::string a = FileReport(s(), citizen_.access_token, lat, lng);
  std::string b = FileReport(s(), citizen_.access_token, lat + 300 * deg_per_m, lng);
  // 600 m away: outside the 500 m circle around the first two.
  std::string far = FileReport(s(), citizen_.access_token, lat - 600 * deg_per_m, lng);
  Barrier();
  for (const auto& id : {a, b, far}) EXPECT_EQ(Count("surge", "reportId", id), 0) << id;
  // The third report within 500 m of both: a surge, keyed by the cluster.
  std::string c = FileReport(s(), citizen_.access_token, lat + 100 * deg_per_m, lng);
  EXPECT_TRUE(WaitFor("surge", "reportId", c));
  // A fourth in the same cluster adds no second alert while the first is open.
  std::string d = FileReport(s(), citizen_.access_token, lat + 50 * deg_per_m, lng);
  Barrier();
  EXPECT_EQ(Count("surge", "reportId", d), 0);
}

TEST_P(AlertsTest, UndispatchedHighPriorityAlertsAtItsLimit) {
  // The report's clock starts between these two instants.
  auto before = std::chrono::steady_clock::now();
  std::string waiting = FileReport(s(), citizen_.access_token, -30.1, 130.1, "hazardous");
  auto after = std::chrono::steady_clock::now();
  std::string sent = FileReport(s(), citizen_.access_token, -30.5, 130.5, "hazardous");
  std::string vehicle = Vehicle(100, true);
  Dispatch(vehicle, sent);
  Evaluate();
  // The lower side (not yet overdue) can only be checked while the limit has not passed;
  // a slow machine skips that half rather than failing. The upper side is always checked.
  if (std::chrono::steady_clock::now() - before < std::chrono::milliseconds(2800)) {
    EXPECT_EQ(Count("dispatch_overdue", "reportId", waiting), 0);
  }
  std::this_thread::sleep_until(after + std::chrono::milliseconds(3200));
  EXPECT_GE(Evaluate(), 1);
  EXPECT_EQ(Count("dispatch_overdue", "reportId", waiting), 1);
  EXPECT_EQ(Count("dispatch_overdue", "reportId", sent), 0);
  // Evaluating again raises nothing new for it.
  Evaluate();
  EXPECT_EQ(Count("dispatch_overdue", "reportId", waiting), 1);
}

TEST_P(AlertsTest, VehicleLoadAlertsAtNinetyPercent) {
  std::string v = Vehicle(10, false);
  HttpResult r = s().Json("PUT", "/api/fleet/" + v, Serialize({{"currentLoad", 8}}), admin_);
  ASSERT_EQ(r.status, 200) << r.body;
  Barrier();
  EXPECT_EQ(Count("vehicle_load", "vehicleId", v), 0);
  r = s().Json("PUT", "/api/fleet/" + v, Serialize({{"currentLoad", 9}}), admin_);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(WaitFor("vehicle_load", "vehicleId", v));
  // More than the capacity is refused.
  r = s().Json("PUT", "/api/fleet/" + v, Serialize({{"currentLoad", 11}}), admin_);
  EXPECT_EQ(r.status, 422) << r.body;
}

TEST_P(AlertsTest, BusyVehicleWithoutRecentGpsAlerts) {
  std::string idle = Vehicle(100, false);  // idle: off the rule even without any position
  std::string report = FileReport(s(), citizen_.access_token, -33.0, 135.0);
  // The position's clock starts between these two instants.
  auto before = std::chrono::steady_clock::now();
  std::string v = Vehicle(100, true);
  auto after = std::chrono::steady_clock::now();
  Dispatch(v, report);
  Evaluate();
  if (std::chrono::steady_clock::now() - before < std::chrono::milliseconds(1900)) {
    EXPECT_EQ(Count("gps_stale", "vehicleId", v), 0);  // lower side, as above
  }
  std::this_thread::sleep_until(after + std::chrono::milliseconds(2200));
  Evaluate();
  EXPECT_EQ(Count("gps_stale", "vehicleId", v), 1);
  EXPECT_EQ(Count("gps_stale", "vehicleId", idle), 0);
}

TEST_P(AlertsTest, AcknowledgedOnceAndNotRepeatedWithinTheWindow) {
  EventStreamClient stream(s().port(), "/api/events", {{"Authorization", "Bearer " + admin_}});
  ASSERT_EQ(stream.status(), 200);
  std::string id = FileReport(s(), citizen_.access_token, -35.5, 140.5, "medical");
  ASSERT_TRUE(WaitFor("hazardous_report", "reportId", id));
  // Pushed live to the dashboard.
  SseEvent e = stream.WaitFor(
      [&](const SseEvent& ev) {
        return ev.type == "alert.raised" && ev.data.find(id) != std::string::npos;
      },
      5000);
  EXPECT_EQ(e.type, "alert.raised");
  std::string alert_id;
  for (const auto& a : Alerts("open")) {
    if (Field(a, "reportId") == id && Field(a, "rule") == "hazardous_report")
      alert_id = Field(a, "id");
  }
  ASSERT_FALSE(alert_id.empty());
  HttpResult ack = s().Json("POST", "/api/alerts/" + alert_id + "/acknowledge", "", admin_);
  ASSERT_EQ(ack.status, 200) << ack.body;
  EXPECT_TRUE(ack.Json().at("acknowledgedAt").is_string());
  EXPECT_EQ(s().Json("POST", "/api/alerts/" + alert_id + "/acknowledge", "", admin_).status, 409);
  EXPECT_EQ(Count("hazardous_report", "reportId", id, "open"), 0);
  EXPECT_EQ(Count("hazardous_report", "reportId", id, "acknowledged"), 1);
  // Editing the report re-runs the rules; the acknowledged subject stays quiet.
  HttpResult edit = s().Json("PUT", "/api/reports/" + id,
                             Serialize({{"description", "syringes by the school gate"}}), admin_);
  ASSERT_EQ(edit.status, 200) << edit.body;
  Barrier();
  EXPECT_EQ(Count("hazardous_report", "reportId", id), 1);
}

TEST_P(AlertsTest, FloodRiskHighRaisesAnAlertForTheArea) {
  double lat = GetParam() == "sqlite" ? -25.0051 : -26.0051, lng = 128.0051;
  for (int i = 0; i < 3; ++i) {
    HttpResult r = SubmitReport(s(), citizen_.access_token,
                                {{"wasteType", "plastic"},
                                 {"lat", std::to_string(lat + i * 0.0005)},
                                 {"lng", std::to_string(lng)},
                                 {"blocksDrain", "true"}},
                                SmallJpeg());
    ASSERT_EQ(r.status, 201) << r.body;
  }
  HttpResult rain = s().Json("POST", "/api/flood/rainfall", Serialize({{"mmNext24h", 40}}), admin_);
  ASSERT_EQ(rain.status, 201) << rain.body;
  Evaluate();
  bool found = false;
  for (const auto& a : Alerts()) {
    if (Field(a, "rule") == "flood_risk" &&
        std::abs(a.at("lat").as_double() - (lat + 0.0005)) < 1e-4) {
      found = true;
      EXPECT_EQ(a.at("details").at("level").as_string(), "high");
      // The figures the dashboard words the alert from, in either language.
      EXPECT_EQ(a.at("details").at("drainReports").as_int64(), 3);
    }
  }
  EXPECT_TRUE(found);
}

TEST_P(AlertsTest, AlertsNameTheirPlaceForTheDashboard) {
  // Karachi's old town (GeoNames via the test gazetteer); the backends use two corners.
  double lng = GetParam() == "sqlite" ? 67.0011 : 67.0311;
  std::string id = FileReport(s(), citizen_.access_token, 24.8607, lng, "medical");
  ASSERT_TRUE(WaitFor("hazardous_report", "reportId", id));
  bool found = false;
  for (const auto& a : Alerts("open")) {
    if (Field(a, "reportId") != id) continue;
    found = true;
    const auto& d = a.at("details").as_object();
    EXPECT_EQ(d.at("wasteType").as_string(), "medical");
    EXPECT_FALSE(d.at("address").as_string().empty());
    ASSERT_TRUE(d.contains("place")) << boost::json::serialize(d);
    EXPECT_EQ(d.at("place").as_string(), "Karachi");
  }
  EXPECT_TRUE(found);
}

TEST_P(AlertsTest, BadRequestsAreProblems) {
  for (const char* t : {"/api/alerts?state=maybe", "/api/alerts?limit=0", "/api/alerts?cursor=x"}) {
    HttpResult r = s().Json("GET", t, "", admin_);
    EXPECT_EQ(r.status, 422) << t;
    EXPECT_EQ(r.Header("content-type"), "application/problem+json");
  }
  EXPECT_EQ(s().Json("POST", "/api/alerts/nope/acknowledge", "", admin_).status, 404);
  EXPECT_EQ(
      s().Json("POST", "/api/alerts/01890a5d-ac96-774b-bcce-b302099a8057/acknowledge", "", admin_)
          .status,
      404);
  EXPECT_EQ(s().Json("GET", "/api/alerts", "", citizen_.access_token).status, 403);
}

INSTANTIATE_TEST_SUITE_P(Backends, AlertsTest, ::testing::Values("sqlite", "postgres"),
                         BackendName);

}  // namespace
}  // namespace cleanai::testing
