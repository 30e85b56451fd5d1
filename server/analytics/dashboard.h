// SPDX-License-Identifier: AGPL-3.0-or-later
// The admin's statistics: the four stat cards, day-by-day series, counts per city and per
// map grid cell, and response-time percentiles. Day series come from report_day_counts
// (kept by triggers, migration 8); the rest read partial covering indexes, so each answers
// in milliseconds with a million reports stored (bench/analytics_load.sh).
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/config.h"
#include "http/router.h"
#include "reports/reports.h"
#include "storage/database.h"

namespace cleanai {

// Percentiles from a histogram of 5-minute buckets (each value is its bucket's middle, so
// within 2.5 minutes of the exact nearest-rank value); empty when count is 0.
struct Percentiles {
  int64_t count = 0;
  std::optional<double> p50, p90, p95;  // seconds
};

struct Summary {
  int64_t open_reports = 0;   // submitted, acknowledged, dispatched, in progress
  int64_t reports_today = 0;  // filed since local midnight
  int64_t resolved_last_7_days = 0;
  std::optional<double> median_seconds_to_resolve;  // reports resolved in the last 30 days
  int64_t active_vehicles = 0;  // on duty: idle or busy, a driver, a recent GPS fix
  int64_t vehicles = 0;
};

struct DaySeries {
  std::vector<std::string> days;                          // YYYY-MM-DD, oldest first
  std::vector<int64_t> filed, resolved;                   // per day
  std::map<std::string, std::vector<int64_t>> by_type;    // filed per day, per waste type
  std::map<std::string, std::vector<int64_t>> by_status;  // filed per day, by current status
};

struct CityCount {
  std::string city;  // "" when the gazetteer found none
  int64_t reports = 0, open = 0;
};

struct GridCell {
  double lat = 0, lng = 0;  // the cell's centre
  int64_t count = 0;
};

struct GridQuery {
  double min_lat = 0, min_lng = 0, max_lat = 0, max_lng = 0;
  int zoom = 10;
  bool open_only = true;  // false: every report filed in the last `days`
  int days = 30;
};

class AnalyticsService {
 public:
  // `reads` serves every query (the read replica, when database.read_url names one);
  // `db` (the primary) only PrepareDayCounts' rebuild.
  AnalyticsService(Database& db, Database& reads, const Clock& clock, const Config& config)
      : primary_(db), db_(reads), clock_(clock), config_(config) {}

  // Makes report_day_counts follow the configured day boundary: rebuilt from the reports
  // when the boundary changed (or on first start). Called once at start-up.
  Status PrepareDayCounts();

  Result<Summary> Dashboard();
  Result<DaySeries> Series(int days);
  Result<std::vector<CityCount>> ByCity(int days);
  // The grid's cell size follows the zoom: about 32 screen pixels at that zoom.
  Result<std::vector<GridCell>> Grid(const GridQuery& q, double* cell_degrees);
  Result<Percentiles> TimeToAcknowledge(int days);
  Result<Percentiles> TimeToResolve(int days);

  // The start of the local day `days_ago` days before today, as stored text.
  std::string LocalDayStart(int days_ago) const;

 private:
  // SQL giving the local calendar day (YYYY-MM-DD) of a timestamp column.
  std::string LocalDay(const std::string& column) const;
  Result<Percentiles> Histogram(const std::string& sql, const std::vector<Value>& params);
  // Percentiles over many durations change slowly: those over more than 10,000 values are
  // reused for a minute (keyed by `key`); small ones are always fresh.
  Result<Percentiles> Cached(const std::string& key, const std::function<Result<Percentiles>()>& f);
  std::string DayModifier() const;
  Database& primary_;
  Database& db_;  // reads
  const Clock& clock_;
  const Config& config_;
  std::mutex cache_mu_;
  std::map<std::string, std::pair<SystemTime, Percentiles>> cache_;
};

// GET /api/analytics/summary, /series, /cities, /grid, /response-times (admin) and the
// exports GET /api/analytics/export.csv and .geojson (admin, filtered like the reports list).
void RegisterAnalyticsRoutes(Router& router, AnalyticsService& analytics, ReportService& reports);

// CSV field quoting per RFC 4180, with a leading ' on text that a spreadsheet would run as
// a formula (=, +, -, @), so an export never executes what a citizen typed.
std::string CsvField(const std::string& text);

}  // namespace cleanai
