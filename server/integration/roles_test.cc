// SPDX-License-Identifier: AGPL-3.0-or-later
// Route x role -> expected status, for every protected route. A row failing here means
// someone can reach what they should not, or cannot reach what they should.
#include "core/crypto.h"
#include "testing/report_fixtures.h"

namespace cleanai::testing {
namespace {

struct Case {
  std::string method, target, body;
  // Expected status for anonymous, citizen, driver, admin.
  int anonymous, citizen, driver, admin;
};

class RolesTest : public BackendTest {};

std::string FileReportForRoles(const TestServer& s, const std::string& token) {
  return FileReport(s, token, 40.7128, -74.0060);
}

std::string CreateVehicleForRoles(const TestServer& s, const std::string& admin) {
  HttpResult v =
      s.Json("POST", "/api/fleet",
             Serialize({{"vehicleNumber", "R-" + std::to_string(std::rand() % 1000000)}}), admin);
  EXPECT_EQ(v.status, 201) << v.body;
  return Str(v.Json(), "id");
}

TEST_P(RolesTest, EveryProtectedRouteByRole) {
  TestServer& s = server();
  std::string admin = s.Login("admin", s.admin_password());
  Account citizen = RegisterCitizen(s, "rolecit");
  Account driver = RegisterCitizen(s, "roledrv");
  ASSERT_EQ(
      s.Json("PATCH", "/api/users/" + driver.id, Serialize({{"role", "driver"}}), admin).status,
      200);
  Account target = RegisterCitizen(s, "roletgt");

  // Bodies are chosen so that an allowed caller gets a validation answer and nothing
  // changes, except where the row says 200/204.
  std::string report_id = FileReportForRoles(s, citizen.access_token);
  std::string vehicle = CreateVehicleForRoles(s, admin);
  std::vector<Case> cases = {
      {"GET", "/api/auth/me", "", 401, 200, 200, 200},
      {"PUT", "/api/auth/password", R"({"currentPassword":"x"})", 401, 422, 422, 422},
      {"GET", "/api/users", "", 401, 403, 403, 200},
      {"PATCH", "/api/users/" + target.id, R"({"role":"citizen"})", 401, 403, 403, 200},
      {"PATCH", "/api/users/" + NewUuidV7(), R"({"role":"citizen"})", 401, 403, 403, 404},
      {"POST", "/api/auth/logout", "", 401, 204, 204, 204},
      // Reports: an allowed caller gets a validation answer, nothing changes.
      {"POST", "/api/reports", R"({"wasteType":"plastic"})", 401, 422, 403, 403},
      {"GET", "/api/reports", "", 401, 403, 403, 200},
      {"GET", "/api/reports/nearby?lat=1&lng=1", "", 401, 200, 200, 200},
      {"GET", "/api/reports/" + report_id, "", 401, 200, 404, 200},
      {"PUT", "/api/reports/" + report_id, R"({"wasteType":"glass"})", 401, 200, 404, 200},
      {"PATCH", "/api/reports/" + report_id + "/status", R"({"status":"flying"})", 401, 403, 422,
       422},
      {"DELETE", "/api/reports/" + NewUuidV7(), "", 401, 403, 403, 404},
      {"GET", "/api/reports/" + report_id + "/events", "", 401, 200, 404, 200},
      {"POST", "/api/reports/" + report_id + "/confirm", R"({"kind":"maybe"})", 401, 422, 403, 403},
      {"GET", "/api/reports/user/" + citizen.id, "", 401, 200, 404, 200},
      {"GET", "/api/fleet", "", 401, 403, 200, 200},
      {"GET", "/api/fleet/" + vehicle, "", 401, 403, 404, 200},
      {"POST", "/api/fleet", R"({"vehicleNumber":""})", 401, 403, 403, 422},
      {"PUT", "/api/fleet/" + vehicle, R"({"capacity":0})", 401, 403, 403, 422},
      {"PATCH", "/api/fleet/" + vehicle + "/assign", R"({"reportId":"x"})", 401, 403, 403, 422},
      // Bodies are checked first, the same for every id: a 422 says nothing of the vehicle.
      {"PUT", "/api/fleet/" + vehicle + "/location", R"({"lat":1})", 401, 403, 422, 422},
      {"GET", "/api/fleet/route?vehicleId=" + vehicle, "", 401, 403, 404, 422},
      {"POST", "/api/fleet/plan", R"({"maxReports":0})", 401, 403, 403, 422},
      {"POST", "/api/fleet/" + NewUuidV7() + "/unload", "", 401, 403, 404, 404},
      // AI (no model on this server): what may be known is, and nothing else.
      {"GET", "/api/ai/status", "", 401, 200, 200, 200},
      {"POST", "/api/ai/analyze", "{}", 401, 503, 503, 503},
      {"GET", "/api/ai/reports/" + report_id, "", 401, 200, 404, 200},
      {"POST", "/api/ai/verify", R"({"reportId":")" + report_id + R"("})", 401, 200, 404, 200},
      {"PUT", "/api/ai/reports/" + report_id + "/label", R"({"wasteType":"gold"})", 401, 403, 403,
       422},
      {"GET", "/api/ai/stats", "", 401, 403, 403, 200},
      {"GET", "/api/ai/dataset?limit=0", "", 401, 403, 403, 422},
      {"GET", "/api/notify/history", "", 401, 200, 200, 200},
      {"GET", "/api/notify/preferences", "", 401, 200, 200, 200},
      {"PUT", "/api/notify/preferences", R"({"items":[]})", 401, 422, 422, 422},
      {"POST", "/api/notify/email", R"({"subject":""})", 401, 403, 403, 422},
      {"POST", "/api/notify/sms", R"({"subject":""})", 401, 403, 403, 422},
      {"POST", "/api/notify/push", R"({"subject":""})", 401, 403, 403, 422},
      {"GET", "/api/notify/push/key", "", 401, 200, 200, 200},
      {"POST", "/api/notify/push/subscriptions", R"({"endpoint":""})", 401, 422, 422, 422},
      {"DELETE", "/api/notify/push/subscriptions", R"({"endpoint":"https://push.example/none"})",
       401, 404, 404, 404},
      {"GET", "/api/notify/history?userId=all", "", 401, 422, 422, 200},
      {"POST", "/api/notify/" + NewUuidV7() + "/read", "", 401, 404, 404, 404},
      {"GET", "/api/waste-types", "", 200, 200, 200, 200},
      {"POST", "/api/open311/keys", R"({"name":""})", 401, 403, 403, 422},
      {"GET", "/api/open311/keys", "", 401, 403, 403, 200},
      {"DELETE", "/api/open311/keys/" + NewUuidV7(), "", 401, 403, 403, 404},
      {"GET", "/open311/v2/services.json", "", 200, 200, 200, 200},
      {"GET", "/api/papers", "", 200, 200, 200, 200},
      {"POST", "/api/papers", R"({"title":""})", 401, 403, 403, 422},
      {"PUT", "/api/papers/" + NewUuidV7(), R"({"year":1})", 401, 403, 403, 422},
      {"DELETE", "/api/papers/" + NewUuidV7(), "", 401, 403, 403, 404},
      {"GET", "/api/analytics/summary", "", 401, 403, 403, 200},
      {"GET", "/api/analytics/series?days=3", "", 401, 403, 403, 200},
      {"GET", "/api/analytics/cities", "", 401, 403, 403, 200},
      {"GET", "/api/analytics/grid?zoom=3&bbox=60,20,70,30", "", 401, 403, 403, 200},
      {"GET", "/api/analytics/response-times", "", 401, 403, 403, 200},
      {"GET", "/api/analytics/export.csv?status=x", "", 401, 403, 403, 422},
      {"GET", "/api/analytics/export.geojson?status=x", "", 401, 403, 403, 422},
      {"GET", "/api/alerts", "", 401, 403, 403, 200},
      {"POST", "/api/alerts/" + NewUuidV7() + "/acknowledge", "", 401, 403, 403, 404},
      {"POST", "/api/alerts/evaluate", "", 401, 403, 403, 200},
      {"GET", "/api/flood/risk", "", 401, 403, 403, 200},
      {"GET", "/api/flood/low-lying-areas", "", 401, 403, 403, 200},
      {"POST", "/api/flood/low-lying-areas", R"({"name":""})", 401, 403, 403, 422},
      {"DELETE", "/api/flood/low-lying-areas/" + NewUuidV7(), "", 401, 403, 403, 404},
      {"POST", "/api/flood/rainfall", R"({"mmNext24h":-5})", 401, 403, 403, 422},
      {"PUT", "/api/reports/" + report_id + "/photo-visibility", R"({"hidden":"x"})", 401, 403, 403,
       422},
      {"GET", "/api/reports/" + report_id + "/follow", "", 401, 200, 200, 200},
      {"PUT", "/api/reports/" + NewUuidV7() + "/follow", "", 401, 404, 404, 404},
      {"DELETE", "/api/reports/" + NewUuidV7() + "/follow", "", 401, 404, 404, 404},
      {"GET", "/api/area-subscriptions", "", 401, 200, 200, 200},
      {"POST", "/api/area-subscriptions", R"({"label":""})", 401, 422, 422, 422},
      {"DELETE", "/api/area-subscriptions/" + NewUuidV7(), "", 401, 404, 404, 404},
      // Public routes answer everyone the same.
      {"GET", "/api/public/map?bbox=60,20,70,30&zoom=3", "", 200, 200, 200, 200},
      {"GET", "/api/public/reports/" + report_id, "", 200, 200, 200, 200},
      {"POST", "/api/area-subscriptions/unsubscribe", R"({"token":"none"})", 404, 404, 404, 404},
      {"GET", "/feeds/area.atom?bbox=67,24,67.1,24.1", "", 200, 200, 200, 200},
      {"GET", "/healthz", "", 200, 200, 200, 200},
      {"GET", "/api/openapi.json", "", 200, 200, 200, 200},
  };
  for (const Case& c : cases) {
    // Fresh sessions per row, so the logout row does not end the others.
    std::map<std::string, std::string> tokens = {
        {"anonymous", ""},
        {"citizen", s.Login(citizen.username, citizen.password)},
        {"driver", s.Login(driver.username, driver.password)},
        {"admin", s.Login("admin", s.admin_password())}};
    std::map<std::string, int> expected = {{"anonymous", c.anonymous},
                                           {"citizen", c.citizen},
                                           {"driver", c.driver},
                                           {"admin", c.admin}};
    for (const auto& [role, token] : tokens) {
      HttpResult r = s.Json(c.method, c.target, c.body, token);
      EXPECT_EQ(r.status, expected[role])
          << c.method << " " << c.target << " as " << role << ": " << r.body;
      if (r.status >= 400) {
        EXPECT_EQ(r.Header("content-type"), "application/problem+json") << c.target;
      }
      if (r.status == 401) {
        EXPECT_EQ(r.Header("www-authenticate"), "Bearer");
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, RolesTest, ::testing::ValuesIn(TestBackends()), BackendName);

}  // namespace
}  // namespace cleanai::testing
