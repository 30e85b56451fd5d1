// SPDX-License-Identifier: AGPL-3.0-or-later
#include "analytics/dashboard.h"

#include <algorithm>
#include <cmath>

namespace cleanai {
namespace {

constexpr const char* kOpen = "('submitted', 'acknowledged', 'dispatched', 'in_progress')";
constexpr int64_t kBucketSeconds = 300;

}  // namespace

std::string AnalyticsService::DayModifier() const {
  int m = config_.analytics_utc_offset_minutes;
  return (m < 0 ? "-" : "+") + std::to_string(std::abs(m)) + " minutes";
}

std::string AnalyticsService::LocalDayStart(int days_ago) const {
  auto offset = std::chrono::minutes(config_.analytics_utc_offset_minutes);
  auto local = clock_.Now() + offset;
  auto midnight = std::chrono::floor<std::chrono::days>(local) - std::chrono::days(days_ago);
  return FormatTime(std::chrono::time_point_cast<std::chrono::milliseconds>(midnight - offset));
}

std::string AnalyticsService::LocalDay(const std::string& column) const {
  // The modifier comes from the configuration (an integer), never from a request.
  if (db_.backend() == Backend::kSqlite) return "date(" + column + ", '" + DayModifier() + "')";
  return "to_char((" + column + " AT TIME ZONE 'UTC') + interval '" + DayModifier() +
         "', 'YYYY-MM-DD')";
}

Status AnalyticsService::PrepareDayCounts() {
  const std::string modifier = DayModifier();
  auto done = primary_.InTransaction<bool>([&](Connection& c) -> Result<bool> {
    if (c.backend() == Backend::kPostgres) {
      // One rebuilder at a time, and no report changes while it counts.
      auto lock = c.Execute("SELECT pg_advisory_xact_lock(7141002) AS locked", {});
      if (!lock) return Err(lock.error());
    }
    auto cur = c.Execute("SELECT value FROM app_state WHERE name = 'analytics.day_modifier'", {});
    if (!cur) return Err(cur.error());
    if (!cur->rows.empty() && cur->rows[0].Text("value") == modifier) return false;
    if (c.backend() == Backend::kPostgres) {
      CLEANAI_RETURN_IF_ERROR(c.ExecuteScript("LOCK TABLE reports IN SHARE MODE"));
    }
    auto set = c.Execute(
        "INSERT INTO app_state (name, value) VALUES ('analytics.day_modifier', $1) "
        "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        {modifier});
    if (!set) return Err(set.error());
    for (const std::string& sql :
         {std::string("DELETE FROM report_day_counts"),
          "INSERT INTO report_day_counts (day, kind, waste_type, status, n, seconds) SELECT " +
              LocalDay("created_at") +
              ", 'filed', waste_type, status, COUNT(*), 0 FROM reports WHERE deleted_at IS NULL "
              "GROUP BY 1, 3, 4",
          "INSERT INTO report_day_counts (day, kind, waste_type, status, n, seconds) SELECT " +
              LocalDay("resolved_at") +
              ", 'resolved', waste_type, 'resolved', COUNT(*), COALESCE(SUM(resolution_seconds), "
              "0) FROM reports WHERE deleted_at IS NULL AND status = 'resolved' AND resolved_at "
              "IS NOT NULL GROUP BY 1, 3"}) {
      auto r = c.Execute(sql, {});
      if (!r) return Err(r.error());
    }
    return true;
  });
  if (!done) return done.error();
  return Status::Ok();
}

Result<Summary> AnalyticsService::Dashboard() {
  SystemTime now = clock_.Now();
  const Backend b = db_.backend();
  std::string today =
      FormatTime(clock_.Now() + std::chrono::minutes(config_.analytics_utc_offset_minutes))
          .substr(0, 10);
  auto r = db_.Execute(
      "SELECT (SELECT COUNT(*) FROM " + TableUsingIndex(b, "reports", "idx_reports_open") +
          " WHERE deleted_at IS NULL AND status IN " + kOpen +
          ") AS open_reports, "
          "(SELECT COALESCE(SUM(n), 0) FROM report_day_counts WHERE day = $1 AND kind = 'filed' "
          "AND status <> 'duplicate') AS today, "
          "(SELECT COUNT(*) FROM " +
          TableUsingIndex(b, "reports", "idx_reports_resolved") +
          " WHERE deleted_at IS NULL AND status = 'resolved' AND resolved_at >= $2) AS "
          "resolved_week, "
          // On duty: available, with a driver whose phone sent a fix lately (on shift).
          "(SELECT COUNT(*) FROM fleet WHERE status IN ('idle', 'busy') AND driver_id IS NOT "
          "NULL AND position_updated_at >= $3) AS active_vehicles, "
          "(SELECT COUNT(*) FROM fleet) AS vehicles",
      {today, FormatTime(now - std::chrono::days(7)),
       FormatTime(now - std::chrono::seconds(config_.alerts_gps_stale_seconds))});
  if (!r) return Err(r.error());
  const Row& row = r->rows.at(0);
  Summary s;
  s.open_reports = row.Int("open_reports");
  s.reports_today = row.Int("today");
  s.resolved_last_7_days = row.Int("resolved_week");
  s.active_vehicles = row.Int("active_vehicles");
  s.vehicles = row.Int("vehicles");
  auto resolve = TimeToResolve(30);
  if (!resolve) return Err(resolve.error());
  s.median_seconds_to_resolve = resolve->p50;
  return s;
}

Result<DaySeries> AnalyticsService::Series(int days) {
  DaySeries out;
  std::map<std::string, size_t> index;
  SystemTime first;
  ParseTime(LocalDayStart(days - 1), &first);
  auto offset = std::chrono::minutes(config_.analytics_utc_offset_minutes);
  for (int i = 0; i < days; ++i) {
    std::string day = FormatTime(first + offset + std::chrono::days(i)).substr(0, 10);
    index[day] = out.days.size();
    out.days.push_back(day);
  }
  out.filed.assign(days, 0);
  out.resolved.assign(days, 0);
  for (const auto& w : WasteTypes()) out.by_type[w.code].assign(days, 0);
  for (const char* s : {"submitted", "acknowledged", "dispatched", "in_progress", "resolved",
                        "rejected", "duplicate"}) {
    out.by_status[s].assign(days, 0);
  }
  auto r = db_.Execute(
      "SELECT day, kind, waste_type, status, n FROM report_day_counts WHERE day >= $1 AND n > 0",
      {out.days.front()});
  if (!r) return Err(r.error());
  for (const auto& row : r->rows) {
    auto it = index.find(row.Text("day"));
    if (it == index.end()) continue;  // a report filed "in the future" by a skewed clock
    const size_t i = it->second;
    const int64_t n = row.Int("n");
    std::string status = row.Text("status");
    if (row.Text("kind") == "resolved") {
      out.resolved[i] += n;
      continue;
    }
    auto st = out.by_status.find(status);
    if (st != out.by_status.end()) st->second[i] += n;
    if (status == "duplicate") continue;  // merged into another report: not filed twice
    out.filed[i] += n;
    auto ty = out.by_type.find(row.Text("waste_type"));
    if (ty != out.by_type.end()) ty->second[i] += n;
  }
  return out;
}

Result<std::vector<CityCount>> AnalyticsService::ByCity(int days) {
  auto r = db_.Execute(
      "SELECT COALESCE(location_city, '') AS city, COUNT(*) AS n, SUM(CASE WHEN status IN " +
          std::string(kOpen) + " THEN 1 ELSE 0 END) AS open FROM " +
          TableUsingIndex(db_.backend(), "reports", "idx_reports_filed") +
          " WHERE deleted_at IS NULL AND created_at >= $1 AND status <> 'duplicate' "
          "GROUP BY COALESCE(location_city, '') ORDER BY n DESC, city LIMIT 50",
      {LocalDayStart(days - 1)});
  if (!r) return Err(r.error());
  std::vector<CityCount> out;
  for (const auto& row : r->rows) out.push_back({row.Text("city"), row.Int("n"), row.Int("open")});
  return out;
}

Result<std::vector<GridCell>> AnalyticsService::Grid(const GridQuery& q, double* cell_degrees) {
  // 256-pixel tiles, eight cells across one: a cell is about 32 pixels wide at this zoom.
  double cell = std::max(360.0 / std::pow(2.0, q.zoom) / 8.0, 0.0005);
  *cell_degrees = cell;
  const Backend b = db_.backend();
  std::string sql =
      "SELECT CAST(floor(location_lat / $1) AS INTEGER) AS gy, "
      "CAST(floor(location_lng / $1) AS INTEGER) AS gx, COUNT(*) AS n FROM ";
  std::vector<Value> params{cell, q.min_lat, q.max_lat, q.min_lng, q.max_lng};
  if (q.open_only) {
    sql += TableUsingIndex(b, "reports", "idx_reports_open") +
           " WHERE deleted_at IS NULL AND status IN " + kOpen;
  } else {
    sql += TableUsingIndex(b, "reports", "idx_reports_filed") +
           " WHERE deleted_at IS NULL AND created_at >= $6 AND status <> 'duplicate'";
    params.push_back(LocalDayStart(q.days - 1));
  }
  sql +=
      " AND location_lat BETWEEN $2 AND $3 AND location_lng BETWEEN $4 AND $5 "
      "GROUP BY gy, gx ORDER BY n DESC LIMIT 5000";
  auto r = db_.Execute(sql, params);
  if (!r) return Err(r.error());
  std::vector<GridCell> out;
  out.reserve(r->rows.size());
  for (const auto& row : r->rows) {
    out.push_back({(static_cast<double>(row.Int("gy")) + 0.5) * cell,
                   (static_cast<double>(row.Int("gx")) + 0.5) * cell, row.Int("n")});
  }
  return out;
}

Result<Percentiles> AnalyticsService::Histogram(const std::string& sql,
                                                const std::vector<Value>& params) {
  auto r = db_.Execute(sql, params);
  if (!r) return Err(r.error());
  std::vector<std::pair<int64_t, int64_t>> buckets;  // (bucket, count), ascending
  Percentiles p;
  for (const auto& row : r->rows) {
    buckets.emplace_back(row.Int("bucket"), row.Int("n"));
    p.count += buckets.back().second;
  }
  if (p.count == 0) return p;
  auto at = [&](double q) {
    // Nearest rank: the smallest value with at least q of the values at or below it.
    int64_t rank = std::max<int64_t>(1, static_cast<int64_t>(std::ceil(q * p.count)));
    int64_t seen = 0;
    for (const auto& [bucket, n] : buckets) {
      seen += n;
      if (seen >= rank) return (static_cast<double>(bucket) + 0.5) * kBucketSeconds;
    }
    return (static_cast<double>(buckets.back().first) + 0.5) * kBucketSeconds;
  };
  p.p50 = at(0.50);
  p.p90 = at(0.90);
  p.p95 = at(0.95);
  return p;
}

Result<Percentiles> AnalyticsService::Cached(const std::string& key,
                                             const std::function<Result<Percentiles>()>& f) {
  SystemTime now = clock_.Now();
  {
    std::lock_guard<std::mutex> lock(cache_mu_);
    auto it = cache_.find(key);
    if (it != cache_.end() && now - it->second.first < std::chrono::minutes(1)) {
      return it->second.second;
    }
  }
  auto p = f();
  if (!p) return p;
  std::lock_guard<std::mutex> lock(cache_mu_);
  if (p->count > 10000) {
    cache_[key] = {now, *p};
  } else {
    cache_.erase(key);
  }
  return p;
}

Result<Percentiles> AnalyticsService::TimeToAcknowledge(int days) {
  return Cached("ack:" + std::to_string(days), [&] {
    return Histogram("SELECT response_seconds / 300 AS bucket, COUNT(*) AS n FROM " +
                         TableUsingIndex(db_.backend(), "reports", "idx_reports_response") +
                         " WHERE deleted_at IS NULL AND response_seconds IS NOT NULL AND "
                         "created_at >= $1 GROUP BY response_seconds / 300 ORDER BY bucket",
                     {FormatTime(clock_.Now() - std::chrono::days(days))});
  });
}

Result<Percentiles> AnalyticsService::TimeToResolve(int days) {
  return Cached("resolve:" + std::to_string(days), [&] {
    return Histogram("SELECT resolution_seconds / 300 AS bucket, COUNT(*) AS n FROM " +
                         TableUsingIndex(db_.backend(), "reports", "idx_reports_resolved") +
                         " WHERE deleted_at IS NULL AND status = 'resolved' AND resolved_at >= $1 "
                         "AND resolution_seconds IS NOT NULL "
                         "GROUP BY resolution_seconds / 300 ORDER BY bucket",
                     {FormatTime(clock_.Now() - std::chrono::days(days))});
  });
}

}  // namespace cleanai
