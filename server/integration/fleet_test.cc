// SPDX-License-Identifier: AGPL-3.0-or-later
// Live tracking, a vehicle's route and the fleet plan, through HTTP on both backends.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <set>
#include <sstream>
#include <thread>

#include "core/clock.h"
#include "testing/report_fixtures.h"
#include "testing/stub_http_server.h"

namespace cleanai::testing {
namespace {

// One depot west of the test streets in Lahore.
TestServer& FleetServer(const std::string& name, const std::string& backend) {
  auto& s = SharedServers::Map()[name + "-" + backend];
  if (!s) {
    ServerOptions o;
    o.backend = backend;
    o.env = {{"CLEANAI_FLEET_DEPOTS", "31.5000 74.2000"},
             {"CLEANAI_HTTP_RATE_LIMIT_PER_MINUTE", "100000"}};
    s = TestServer::Start(o);
    if (!s) throw std::runtime_error("fleet server did not start");
  }
  return *s;
}

std::string Now(int offset_seconds = 0) {
  return FormatTime(SystemClock().Now() + std::chrono::seconds(offset_seconds));
}

class FleetTest : public BackendTest {};

HttpResult Fix(const TestServer& s, const std::string& token, const std::string& vehicle,
               double lat, double lng, const std::string& at) {
  return s.Json(
      "PUT", "/api/fleet/" + vehicle + "/location",
      Serialize(
          {{"lat", lat}, {"lng", lng}, {"heading", 90}, {"speedKmh", 18}, {"recordedAt", at}}),
      token);
}

TEST_P(FleetTest, TrackingKeepsPositionsAndRefusesBadFixes) {
  auto& s = FleetServer("fleet", GetParam());
  Staff st = MakeStaff(s);
  Staff other = MakeStaff(s);
  Account c = RegisterCitizen(s);
  HttpResult ok = Fix(s, st.driver_token, st.vehicle_id, 31.52, 74.35, Now(-5));
  ASSERT_EQ(ok.status, 200) << ok.body;
  auto v = ok.Json();
  EXPECT_NEAR(v.at("currentLat").as_double(), 31.52, 1e-9);
  EXPECT_FALSE(v.at("positionStale").as_bool());
  EXPECT_NEAR(v.at("speedKmh").as_double(), 18, 1e-9);
  // One fix a second is plenty.
  HttpResult fast = Fix(s, st.driver_token, st.vehicle_id, 31.521, 74.351, Now(-4));
  EXPECT_EQ(fast.status, 429) << fast.body;
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  // No time travel: a fix older than the last one.
  EXPECT_EQ(Fix(s, st.driver_token, st.vehicle_id, 31.521, 74.351, Now(-60)).status, 409);
  EXPECT_EQ(Fix(s, st.driver_token, st.vehicle_id, 31.521, 74.351, Now(600)).status, 422);
  EXPECT_EQ(Fix(s, st.driver_token, st.vehicle_id, 91, 74.351, Now()).status, 422);
  EXPECT_EQ(s.Json("PUT", "/api/fleet/" + st.vehicle_id + "/location", R"({"lat":31.5,"lng":74.3})",
                   st.driver_token)
                .status,
            422);  // no recordedAt
  // Someone else's vehicle does not exist for this driver; citizens cannot ask.
  EXPECT_EQ(Fix(s, other.driver_token, st.vehicle_id, 31.5, 74.3, Now()).status, 404);
  EXPECT_EQ(Fix(s, c.access_token, st.vehicle_id, 31.5, 74.3, Now()).status, 403);
  // An admin may place it; the admin's view shows the latest.
  HttpResult admin = Fix(s, st.admin, st.vehicle_id, 31.53, 74.36, Now());
  ASSERT_EQ(admin.status, 200) << admin.body;
  HttpResult seen = s.Json("GET", "/api/fleet/" + st.vehicle_id, "", st.admin);
  EXPECT_NEAR(seen.Json().at("currentLng").as_double(), 74.36, 1e-9);
}

TEST_P(FleetTest, RouteVisitsTheVehiclesJobsInTheBestOrder) {
  auto& s = FleetServer("fleet", GetParam());
  Staff st = MakeStaff(s);
  Account c = RegisterCitizen(s);
  // Four jobs along a street east of the truck; the depot lies far west. Best: the one
  // just east first, then back west past the others: 37, 35, 33, 31.
  std::map<std::string, double> lng_of;
  for (double lng : {74.33, 74.37, 74.31, 74.35}) {
    std::string id = FileReport(s, c.access_token, 31.5, lng);
    lng_of[id] = lng;
    HttpResult d = s.Json("PATCH", "/api/fleet/" + st.vehicle_id + "/assign",
                          Serialize({{"reportId", id}}), st.admin);
    ASSERT_EQ(d.status, 200) << d.body;
  }
  ASSERT_EQ(Fix(s, st.driver_token, st.vehicle_id, 31.5, 74.36, Now()).status, 200);
  HttpResult r = s.Json("GET", "/api/fleet/route?vehicleId=" + st.vehicle_id, "", st.driver_token);
  ASSERT_EQ(r.status, 200) << r.body;
  auto route = r.Json();
  const auto& stops = route.at("stops").as_array();
  ASSERT_EQ(stops.size(), 4u);
  std::vector<double> order;
  for (const auto& stop : stops) order.push_back(lng_of[Str(stop, "reportId")]);
  EXPECT_EQ(order, (std::vector<double>{74.37, 74.35, 74.33, 74.31}));
  // 0.18° of longitude at 31.5° N is 17.1 km; the road factor makes it 22.2 km.
  EXPECT_NEAR(route.at("distanceMeters").as_int64(), 22240, 150);
  EXPECT_EQ(Str(route.at("start"), "source"), "gps");
  EXPECT_NEAR(route.at("end").at("lng").as_double(), 74.2, 1e-9);
  EXPECT_EQ(route.at("polyline").as_array().size(), 6u);
  int64_t prev = -1;
  for (const auto& stop : stops) {
    // The crew sees the citizen's photo and what they said at each stop.
    EXPECT_EQ(Str(stop, "thumbnailUrl").rfind("/media/", 0), 0u) << Str(stop, "thumbnailUrl");
    EXPECT_TRUE(stop.at("blocksDrain").is_bool());
    EXPECT_TRUE(stop.as_object().contains("description"));
    EXPECT_TRUE(stop.as_object().contains("size"));
    EXPECT_GT(stop.at("arrivalSeconds").as_int64(), prev);
    prev = stop.at("arrivalSeconds").as_int64();
  }
  // Others' routes do not exist for this driver; bad input is a problem.
  Staff other = MakeStaff(s);
  EXPECT_EQ(
      s.Json("GET", "/api/fleet/route?vehicleId=" + st.vehicle_id, "", other.driver_token).status,
      404);
  EXPECT_EQ(s.Json("GET", "/api/fleet/route", "", st.admin).status, 422);
  EXPECT_EQ(s.Json("GET", "/api/fleet/route?vehicleId=nope", "", st.admin).status, 404);
}

TEST_P(FleetTest, PlanServesPrioritiesFirstWithinCapacityAndApplies) {
  auto& s = FleetServer("plan", GetParam());
  std::string admin = s.Login("admin", s.admin_password());
  // No vehicles yet: nothing to plan with.
  EXPECT_EQ(s.Json("POST", "/api/fleet/plan", "{}", admin).status, 409);
  Account c = RegisterCitizen(s);
  std::vector<std::string> vehicles;
  for (int i = 0; i < 2; ++i) {
    Account driver = RegisterCitizen(s, "pd");
    ASSERT_EQ(
        s.Json("PATCH", "/api/users/" + driver.id, Serialize({{"role", "driver"}}), admin).status,
        200);
    HttpResult v =
        s.Json("POST", "/api/fleet",
               Serialize({{"vehicleNumber", "PLN-" + std::to_string(i) + "-" + GetParam()},
                          {"capacity", 12},
                          {"currentLoad", 2},
                          {"currentLat", 31.50},
                          {"currentLng", 74.25 + i * 0.1},
                          {"driverId", driver.id}}),
               admin);
    ASSERT_EQ(v.status, 201) << v.body;
    vehicles.push_back(Str(v.Json(), "id"));
  }
  // A big empty truck right by the reports, but nobody to drive it: it gets no stops.
  HttpResult idle = s.Json("POST", "/api/fleet",
                           Serialize({{"vehicleNumber", "PLN-X-" + GetParam()},
                                      {"capacity", 40},
                                      {"currentLat", 31.51},
                                      {"currentLng", 74.27}}),
                           admin);
  ASSERT_EQ(idle.status, 201) << idle.body;
  const std::string driverless = Str(idle.Json(), "id");
  // Capacity left: 10 + 10. Two truckloads of hazardous waste (high priority, 10 each)
  // fill it; three bags of paper (low) wait.
  std::set<std::string> high, low;
  for (int i = 0; i < 2; ++i) {
    HttpResult r = SubmitReport(s, c.access_token,
                                {{"wasteType", "hazardous"},
                                 {"lat", "31.51"},
                                 {"lng", std::to_string(74.26 + i * 0.1)},
                                 {"size", "truck"}},
                                SmallJpeg());
    ASSERT_EQ(r.status, 201) << r.body;
    high.insert(Str(r.Json(), "id"));
  }
  for (int i = 0; i < 3; ++i) {
    HttpResult r = SubmitReport(s, c.access_token,
                                {{"wasteType", "paper"},
                                 {"lat", "31.52"},
                                 {"lng", std::to_string(74.27 + i * 0.01)},
                                 {"size", "bag"}},
                                SmallJpeg());
    ASSERT_EQ(r.status, 201) << r.body;
    low.insert(Str(r.Json(), "id"));
  }
  HttpResult plan = s.Json("POST", "/api/fleet/plan", "{}", admin);
  ASSERT_EQ(plan.status, 200) << plan.body;
  auto p = plan.Json();
  std::set<std::string> planned;
  for (const auto& route : p.at("routes").as_array()) {
    EXPECT_NE(Str(route, "vehicleId"), driverless);
    EXPECT_LE(route.at("load").as_int64(), 10);
    for (const auto& stop : route.at("stops").as_array()) {
      EXPECT_TRUE(planned.insert(Str(stop, "reportId")).second) << "planned twice";
    }
  }
  std::set<std::string> left;
  for (const auto& u : p.at("unassigned").as_array()) left.insert(Str(u, "reportId"));
  EXPECT_EQ(planned, high);
  EXPECT_EQ(left, low);
  EXPECT_FALSE(p.at("applied").as_bool());
  // Nothing changed until it is applied.
  for (const auto& id : high) {
    EXPECT_EQ(Str(s.Json("GET", "/api/reports/" + id, "", admin).Json(), "status"), "submitted");
  }
  HttpResult applied = s.Json("POST", "/api/fleet/plan", R"({"apply":true})", admin);
  ASSERT_EQ(applied.status, 200) << applied.body;
  EXPECT_EQ(applied.Json().at("dispatched").as_int64(), 2);
  for (const auto& id : high) {
    auto r = s.Json("GET", "/api/reports/" + id, "", admin).Json();
    EXPECT_EQ(Str(r, "status"), "dispatched");
    EXPECT_TRUE(std::find(vehicles.begin(), vehicles.end(), Str(r, "dispatchedTo")) !=
                vehicles.end());
  }
  // Full trucks have no room: a clear conflict, not an empty plan.
  for (const auto& v : vehicles) {
    ASSERT_EQ(s.Json("PUT", "/api/fleet/" + v, Serialize({{"currentLoad", 12}}), admin).status,
              200);
  }
  HttpResult full = s.Json("POST", "/api/fleet/plan", "{}", admin);
  EXPECT_EQ(full.status, 409) << full.body;
  EXPECT_NE(full.body.find("capacity"), std::string::npos);
  EXPECT_EQ(s.Json("POST", "/api/fleet/plan", R"({"maxReports":0})", admin).status, 422);
  EXPECT_EQ(s.Json("POST", "/api/fleet/plan", R"({"apply":"yes"})", admin).status, 422);
  EXPECT_EQ(s.Json("POST", "/api/fleet/plan", "{}", c.access_token).status, 403);
}

TEST_P(FleetTest, AppliedPlansTellTheDriversWhoseRoutesChanged) {
  auto& s = FleetServer("plan-driver", GetParam());
  Staff st = MakeStaff(s);  // a driver and truck (capacity 40) starting at the depot
  Account c = RegisterCitizen(s);
  FileReport(s, c.access_token, 31.51, 74.25);
  FileReport(s, c.access_token, 31.52, 74.26);
  HttpResult applied = s.Json("POST", "/api/fleet/plan", R"({"apply":true})", st.admin);
  ASSERT_EQ(applied.status, 200) << applied.body;
  EXPECT_EQ(applied.Json().at("dispatched").as_int64(), 2);
  auto kinds = NotificationKinds(s, st.driver_token);
  EXPECT_EQ(std::count(kinds.begin(), kinds.end(), "route.changed"), 1);
  EXPECT_EQ(std::count(kinds.begin(), kinds.end(), "assignment.new"), 2);
}

TEST_P(FleetTest, CollectedWasteLoadsTheTruckUntilItUnloads) {
  auto& s = FleetServer("fleet", GetParam());
  Staff st = MakeStaff(s);  // capacity 40
  Account c = RegisterCitizen(s);
  auto file = [&](const char* type, const char* size) {
    HttpResult r = SubmitReport(
        s, c.access_token,
        {{"wasteType", type}, {"lat", "31.51"}, {"lng", "74.31"}, {"size", size}}, SmallJpeg());
    EXPECT_EQ(r.status, 201) << r.body;
    std::string id = Str(r.Json(), "id");
    EXPECT_EQ(s.Json("PATCH", "/api/fleet/" + st.vehicle_id + "/assign",
                     Serialize({{"reportId", id}}), st.admin)
                  .status,
              200);
    return id;
  };
  auto load = [&] {
    return s.Json("GET", "/api/fleet/" + st.vehicle_id, "", st.driver_token)
        .Json()
        .at("currentLoad")
        .as_int64();
  };
  std::string rubble = file("construction", "wheelbarrow");  // 3, doubled: 6
  std::string bags = file("plastic", "truck");               // 10
  EXPECT_EQ(load(), 0);
  for (const auto& id : {rubble, bags}) {
    HttpResult done = s.Json("PATCH", "/api/reports/" + id + "/status",
                             Serialize({{"status", "resolved"}}), st.driver_token);
    ASSERT_EQ(done.status, 200) << done.body;
  }
  EXPECT_EQ(load(), 16);
  // Another driver cannot unload this truck; its own driver can.
  Staff other = MakeStaff(s);
  EXPECT_EQ(
      s.Json("POST", "/api/fleet/" + st.vehicle_id + "/unload", "", other.driver_token).status,
      404);
  HttpResult emptied =
      s.Json("POST", "/api/fleet/" + st.vehicle_id + "/unload", "", st.driver_token);
  ASSERT_EQ(emptied.status, 200) << emptied.body;
  EXPECT_EQ(emptied.Json().at("currentLoad").as_int64(), 0);
}

// A stand-in for OSRM's table service: road distance 1 m per 0.00001° of longitude, except
// that the street from the truck's position to the job at 74.37 is one-way the other way
// round (ten times as long). It fails on request.
std::atomic<bool> osrm_down{false};
StubHttpServer& Osrm() {
  static auto* stub = new StubHttpServer([](const StubRequest& req) {
    StubResponse resp;
    if (osrm_down) {
      resp.status = 500;
      return resp;
    }
    std::string coords = req.target.substr(std::string("/table/v1/driving/").size());
    coords = coords.substr(0, coords.find('?'));
    std::vector<std::pair<double, double>> pts;  // lng, lat
    std::stringstream ss(coords);
    for (std::string item; std::getline(ss, item, ';');) {
      pts.push_back(
          {std::stod(item.substr(0, item.find(','))), std::stod(item.substr(item.find(',') + 1))});
    }
    std::ostringstream d, t;
    for (size_t i = 0; i < pts.size(); ++i) {
      d << (i ? "," : "") << "[";
      t << (i ? "," : "") << "[";
      for (size_t j = 0; j < pts.size(); ++j) {
        double m = std::abs(pts[i].first - pts[j].first) * 100000;
        if (std::abs(pts[i].first - 74.36) < 1e-9 && std::abs(pts[j].first - 74.37) < 1e-9) m *= 10;
        d << (j ? "," : "") << std::llround(m);
        t << (j ? "," : "") << std::llround(m / 5);
      }
      d << "]";
      t << "]";
    }
    resp.body = R"({"code":"Ok","distances":[)" + d.str() + R"(],"durations":[)" + t.str() + "]}";
    return resp;
  });
  return *stub;
}

TEST_P(FleetTest, RoadDistancesFromOsrmWhenConfigured) {
  auto& s = SharedServers::Map()["osrm-" + GetParam()];
  if (!s) {
    ServerOptions o;
    o.backend = GetParam();
    o.env = {{"CLEANAI_FLEET_DEPOTS", "31.5000 74.2000"}, {"CLEANAI_FLEET_OSRM_URL", Osrm().url()}};
    s = TestServer::Start(o);
  }
  Staff st = MakeStaff(*s);
  Account c = RegisterCitizen(*s);
  std::map<std::string, double> lng_of;
  for (double lng : {74.33, 74.37, 74.31, 74.35}) {
    std::string id = FileReport(*s, c.access_token, 31.5, lng);
    lng_of[id] = lng;
    ASSERT_EQ(s->Json("PATCH", "/api/fleet/" + st.vehicle_id + "/assign",
                      Serialize({{"reportId", id}}), st.admin)
                  .status,
              200);
  }
  ASSERT_EQ(Fix(*s, st.driver_token, st.vehicle_id, 31.5, 74.36, Now()).status, 200);
  osrm_down = false;
  HttpResult r = s->Json("GET", "/api/fleet/route?vehicleId=" + st.vehicle_id, "", st.admin);
  ASSERT_EQ(r.status, 200) << r.body;
  auto route = r.Json();
  EXPECT_EQ(Str(route, "distanceSource"), "osrm");
  std::vector<double> order;
  for (const auto& stop : route.at("stops").as_array())
    order.push_back(lng_of[Str(stop, "reportId")]);
  // The one-way street: round by 74.35 first.
  EXPECT_EQ(order, (std::vector<double>{74.35, 74.37, 74.33, 74.31}));
  EXPECT_EQ(route.at("distanceMeters").as_int64(), 20000);
  ASSERT_FALSE(Osrm().Requests().empty());
  EXPECT_EQ(Osrm().Requests().back().target.rfind("/table/v1/driving/74.360000,31.500000;", 0), 0u);
  // OSRM down: the estimate, not an error.
  osrm_down = true;
  HttpResult fallback = s->Json("GET", "/api/fleet/route?vehicleId=" + st.vehicle_id, "", st.admin);
  ASSERT_EQ(fallback.status, 200) << fallback.body;
  EXPECT_EQ(Str(fallback.Json(), "distanceSource"), "great-circle");
  osrm_down = false;
}

INSTANTIATE_TEST_SUITE_P(Backends, FleetTest, ::testing::Values("sqlite", "postgres"), BackendName);

}  // namespace
}  // namespace cleanai::testing
