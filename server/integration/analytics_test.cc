// SPDX-License-Identifier: AGPL-3.0-or-later
// The admin's statistics and exports, through HTTP, on both backends. Figures are checked
// as differences the test computes itself: other tests in this binary share the server.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "core/clock.h"
#include "testing/report_fixtures.h"

namespace cleanai::testing {
namespace {

class AnalyticsTest : public BackendTest {};

boost::json::value Get(const TestServer& s, const std::string& token, const std::string& target) {
  HttpResult r = s.Json("GET", target, "", token);
  EXPECT_EQ(r.status, 200) << target << ": " << r.body;
  return r.Json();
}

int64_t IntAt(const boost::json::value& v, const char* key) {
  const auto* p = v.as_object().if_contains(key);
  return p && p->is_int64() ? p->as_int64() : -1;
}

int64_t Last(const boost::json::value& arr) { return arr.as_array().back().as_int64(); }

std::string SetStatus(const TestServer& s, const std::string& token, const std::string& id,
                      const std::string& status) {
  HttpResult r =
      s.Json("PATCH", "/api/reports/" + id + "/status", Serialize({{"status", status}}), token);
  EXPECT_EQ(r.status, 200) << r.body;
  return Str(r.Json(), "status");
}

// RFC 4180 reader: quoted fields, doubled quotes, CRLF records.
std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false, row_open = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char ch = text[i];
    if (quoted) {
      if (ch == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (ch == '"') {
        quoted = false;
      } else {
        field += ch;
      }
      continue;
    }
    row_open = true;
    if (ch == '"') {
      quoted = true;
    } else if (ch == ',') {
      rows.back().push_back(field);
      field.clear();
    } else if (ch == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      rows.back().push_back(field);
      field.clear();
      rows.emplace_back();
      row_open = false;
      ++i;
    } else {
      field += ch;
    }
  }
  EXPECT_FALSE(quoted) << "unterminated quoted field";
  if (row_open) rows.back().push_back(field);
  if (rows.back().empty()) rows.pop_back();
  return rows;
}

TEST_P(AnalyticsTest, SummaryCardsMoveByWhatTheTestDid) {
  auto& s = server();
  Staff st = MakeStaff(s);
  Account c = RegisterCitizen(s);
  auto before = Get(s, st.admin, "/api/analytics/summary");
  std::string a = FileReport(s, c.access_token, 24.86, 67.01, "glass");
  std::string b = FileReport(s, c.access_token, 24.861, 67.011, "glass");
  std::string d = FileReport(s, c.access_token, 24.862, 67.012, "metal");
  EXPECT_EQ(SetStatus(s, st.admin, a, "acknowledged"), "acknowledged");
  HttpResult assigned = s.Json("PATCH", "/api/fleet/" + st.vehicle_id + "/assign",
                               Serialize({{"reportId", b}}), st.admin);
  ASSERT_EQ(assigned.status, 200) << assigned.body;
  EXPECT_EQ(SetStatus(s, st.admin, b, "resolved"), "resolved");
  HttpResult rejected =
      s.Json("PATCH", "/api/reports/" + d + "/status",
             Serialize({{"status", "rejected"}, {"reason", "not waste"}}), st.admin);
  EXPECT_EQ(rejected.status, 200) << rejected.body;
  auto after = Get(s, st.admin, "/api/analytics/summary");
  // Three filed: one still open (acknowledged), one resolved, one rejected.
  EXPECT_EQ(IntAt(after, "openReports") - IntAt(before, "openReports"), 1);
  EXPECT_EQ(IntAt(after, "reportsToday") - IntAt(before, "reportsToday"), 3);
  EXPECT_EQ(IntAt(after, "resolvedLast7Days") - IntAt(before, "resolvedLast7Days"), 1);
  EXPECT_TRUE(after.at("medianHoursToResolve").is_number());
  EXPECT_GE(IntAt(after, "vehicles"), 1);
  EXPECT_LE(IntAt(after, "activeVehicles"), IntAt(after, "vehicles"));

  // On duty means a driver whose phone sends its position: a truck without a driver, or
  // whose driver sent nothing yet, is not counted.
  HttpResult spare = s.Json("POST", "/api/fleet",
                            Serialize({{"vehicleNumber", "SPARE-" + a.substr(30)}}), st.admin);
  ASSERT_EQ(spare.status, 201) << spare.body;
  const int64_t off_duty = IntAt(Get(s, st.admin, "/api/analytics/summary"), "activeVehicles");
  HttpResult fix = s.Json(
      "PUT", "/api/fleet/" + st.vehicle_id + "/location",
      Serialize({{"lat", 24.86}, {"lng", 67.01}, {"recordedAt", FormatTime(SystemClock().Now())}}),
      st.driver_token);
  ASSERT_EQ(fix.status, 200) << fix.body;
  EXPECT_EQ(IntAt(Get(s, st.admin, "/api/analytics/summary"), "activeVehicles"), off_duty + 1);

  // Acknowledging and dispatching are first responses; the count grows by two.
  auto times = Get(s, st.admin, "/api/analytics/response-times?days=1");
  EXPECT_GE(times.at("toAcknowledge").at("count").as_int64(), 2);
  EXPECT_GE(times.at("toResolve").at("count").as_int64(), 1);
  EXPECT_TRUE(times.at("toResolve").at("p95Hours").is_number());
}

TEST_P(AnalyticsTest, DaySeriesCountsTodayByTypeAndStatus) {
  auto& s = server();
  Staff st = MakeStaff(s);
  Account c = RegisterCitizen(s);
  auto before = Get(s, st.admin, "/api/analytics/series?days=7");
  ASSERT_EQ(before.at("days").as_array().size(), 7u);
  std::string x = FileReport(s, c.access_token, 31.52, 74.35, "e-waste");
  FileReport(s, c.access_token, 31.521, 74.351, "e-waste");
  FileReport(s, c.access_token, 31.522, 74.352, "construction");
  SetStatus(s, st.admin, x, "acknowledged");
  auto after = Get(s, st.admin, "/api/analytics/series?days=7");
  EXPECT_EQ(Last(after.at("filed")) - Last(before.at("filed")), 3);
  EXPECT_EQ(Last(after.at("byType").at("e-waste")) - Last(before.at("byType").at("e-waste")), 2);
  EXPECT_EQ(
      Last(after.at("byType").at("construction")) - Last(before.at("byType").at("construction")),
      1);
  EXPECT_EQ(Last(after.at("byStatus").at("acknowledged")) -
                Last(before.at("byStatus").at("acknowledged")),
            1);
  // Today is the last day, and days run oldest first without gaps.
  const auto& days = after.at("days").as_array();
  EXPECT_LT(days.front().as_string(), days.back().as_string());
}

TEST_P(AnalyticsTest, CountsByCityUseTheGazetteer) {
  auto& s = server();
  Staff st = MakeStaff(s);
  Account c = RegisterCitizen(s);
  auto count = [&](const std::string& city) {
    auto v = Get(s, st.admin, "/api/analytics/cities?days=2");
    for (const auto& item : v.at("items").as_array()) {
      if (item.at("city").is_string() && item.at("city").as_string() == city) {
        return item.at("reports").as_int64();
      }
    }
    return int64_t{0};
  };
  int64_t before = count("Peshawar");
  FileReport(s, c.access_token, 34.0151, 71.5249);
  FileReport(s, c.access_token, 34.0161, 71.5259);
  EXPECT_EQ(count("Peshawar") - before, 2);
}

TEST_P(AnalyticsTest, GridCellsCoverEveryReportInTheBox) {
  auto& s = server();
  Staff st = MakeStaff(s);
  Account c = RegisterCitizen(s);
  // A box only this test files into (one per backend: the servers differ anyway).
  double lat0 = 5.1 + (GetParam() == "sqlite" ? 0 : 1), lng0 = 20.1;
  std::vector<std::pair<double, double>> points = {
      {lat0, lng0}, {lat0 + 0.001, lng0 + 0.001}, {lat0 + 0.3, lng0 + 0.3}};
  for (auto [la, ln] : points) FileReport(s, c.access_token, la, ln);
  std::ostringstream target;
  target << "/api/analytics/grid?zoom=10&bbox=" << lng0 - 0.05 << "," << lat0 - 0.05 << ","
         << lng0 + 0.5 << "," << lat0 + 0.5;
  auto v = Get(s, st.admin, target.str());
  double cell = v.at("cellDegrees").as_double();
  EXPECT_NEAR(cell, 360.0 / 1024 / 8, 1e-9);
  int64_t total = 0;
  for (const auto& item : v.at("cells").as_array()) {
    int64_t n = item.at("count").as_int64();
    total += n;
    // Every report lies inside the cell it was counted in.
    int inside = 0;
    for (auto [la, ln] : points) {
      if (std::abs(la - item.at("lat").as_double()) <= cell / 2 + 1e-9 &&
          std::abs(ln - item.at("lng").as_double()) <= cell / 2 + 1e-9) {
        ++inside;
      }
    }
    EXPECT_EQ(inside, n);
  }
  EXPECT_EQ(total, 3);
  EXPECT_EQ(IntAt(v, "maxCount"), 2);
}

TEST_P(AnalyticsTest, ExportsParseAsCsvAndGeoJson) {
  auto& s = server();
  Staff st = MakeStaff(s);
  Account c = RegisterCitizen(s);
  double lat0 = -8.2 - (GetParam() == "sqlite" ? 0 : 1), lng0 = 30.3;
  std::string tricky = "=HYPERLINK(\"x\"), \"quoted\"\nsecond line";
  HttpResult r = SubmitReport(s, c.access_token,
                              {{"wasteType", "paper"},
                               {"lat", std::to_string(lat0)},
                               {"lng", std::to_string(lng0)},
                               {"description", tricky}},
                              SmallJpeg());
  ASSERT_EQ(r.status, 201) << r.body;
  std::string id = Str(r.Json(), "id");
  FileReport(s, c.access_token, lat0 + 0.01, lng0 + 0.01, "metal");
  std::ostringstream q;
  q << "bbox=" << lng0 - 0.1 << "," << lat0 - 0.1 << "," << lng0 + 0.1 << "," << lat0 + 0.1;

  HttpResult csv = s.Json("GET", "/api/analytics/export.csv?" + q.str(), "", st.admin);
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.Header("content-type"), "text/csv; charset=utf-8");
  EXPECT_NE(csv.Header("content-disposition").find("attachment"), std::string::npos);
  auto rows = ParseCsv(csv.body);
  ASSERT_EQ(rows.size(), 3u) << csv.body;
  const auto& header = rows[0];
  for (const auto& row : rows) EXPECT_EQ(row.size(), header.size());
  auto col = [&](const std::string& name) {
    return std::find(header.begin(), header.end(), name) - header.begin();
  };
  // Newest first: the paper report is the second row.
  EXPECT_EQ(rows[2][col("id")], id);
  EXPECT_EQ(rows[2][col("waste_type")], "paper");
  EXPECT_EQ(rows[2][col("description")], "'" + tricky);  // never a live formula
  EXPECT_NEAR(std::stod(rows[2][col("latitude")]), lat0, 1e-6);
  EXPECT_EQ(rows[1][col("waste_type")], "metal");

  HttpResult geo =
      s.Json("GET", "/api/analytics/export.geojson?" + q.str() + "&type=paper", "", st.admin);
  ASSERT_EQ(geo.status, 200) << geo.body;
  EXPECT_EQ(geo.Header("content-type"), "application/geo+json");
  auto fc = geo.Json();
  EXPECT_EQ(fc.at("type").as_string(), "FeatureCollection");
  const auto& features = fc.at("features").as_array();
  ASSERT_EQ(features.size(), 1u);
  const auto& coords = features[0].at("geometry").at("coordinates").as_array();
  EXPECT_NEAR(coords[0].as_double(), lng0, 1e-6);  // longitude first
  EXPECT_NEAR(coords[1].as_double(), lat0, 1e-6);
  EXPECT_EQ(features[0].at("properties").at("description").as_string(), tricky);

  // Citizens get nothing; a bad filter is a problem, not an empty file.
  EXPECT_EQ(s.Json("GET", "/api/analytics/export.csv", "", c.access_token).status, 403);
  HttpResult bad = s.Json("GET", "/api/analytics/export.csv?status=lost", "", st.admin);
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(bad.Header("content-type"), "application/problem+json");
}

TEST_P(AnalyticsTest, BadQueriesAreProblems) {
  auto& s = server();
  std::string admin = s.Login("admin", s.admin_password());
  for (const char* target :
       {"/api/analytics/series?days=0", "/api/analytics/series?days=400",
        "/api/analytics/cities?days=x", "/api/analytics/grid?zoom=5",
        "/api/analytics/grid?zoom=30&bbox=60,20,70,30",
        "/api/analytics/grid?zoom=5&bbox=70,20,60,30", "/api/analytics/grid?zoom=5&bbox=60,20,70",
        "/api/analytics/grid?zoom=5&bbox=60,20,70,30,1",
        "/api/analytics/export.csv?bbox=60,20,,70,30",
        "/api/analytics/grid?zoom=5&bbox=60,20,70,30&scope=mine",
        "/api/analytics/response-times?days=-1", "/api/analytics/export.geojson?bbox=1,2"}) {
    HttpResult r = s.Json("GET", target, "", admin);
    EXPECT_EQ(r.status, 422) << target << ": " << r.body;
    EXPECT_EQ(r.Header("content-type"), "application/problem+json") << target;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, AnalyticsTest, ::testing::Values("sqlite", "postgres"),
                         BackendName);

}  // namespace
}  // namespace cleanai::testing
