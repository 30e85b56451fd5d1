#include "analytics/dashboard.h"

#include <algorithm>
#include <cmath>

namespace cleanai {
namespace {

constexpr const char* kOpen = "('submitted', 'acknowledged', 'dispatched', 'in_progress')";

// Nearest-rank percentile of sorted values.
double Rank(const std::vector<double>& sorted, double p) {
  size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
  return sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1];
}

}  // namespace

std::string AnalyticsService::LocalDayStart(int days_ago) const {
  auto offset = std::chrono::minutes(config_.analytics_utc_offset_minutes);
  auto local = clock_.Now() + offset;
  auto midnight = std::chrono::floor<std::chrono::days>(local) - std::chrono::days(days_ago);
  return FormatTime(std::chrono::time_point_cast<std::chrono::milliseconds>(midnight - offset));
}

std::string AnalyticsService::LocalDay(const std::string& column) const {
  // The offset is an integer from the configuration, never request input.
  std::string minutes = std::to_string(config_.analytics_utc_offset_minutes);
  if (db_.backend() == Backend::kSqlite) {
    return "date(" + column + ", '" + minutes + " minutes')";
  }
  return "to_char((" + column + " AT TIME ZONE 'UTC') + interval '" + minutes +
         " minutes', 'YYYY-MM-DD')";
}

Result<Summary> AnalyticsService::Dashboard() {
  SystemTime now = clock_.Now();
  std::string week_ago = FormatTime(now - std::chrono::days(7));
  auto r = db_.Execute(
      std::string("SELECT "
                  "(SELECT COUNT(*) FROM reports WHERE status IN ") + kOpen +
          " AND deleted_at IS NULL) AS open_reports, "
          "(SELECT COUNT(*) FROM reports WHERE created_at >= $1 AND deleted_at IS NULL "
          "AND status <> 'duplicate') AS today, "
          "(SELECT COUNT(*) FROM reports WHERE resolved_at >= $2 AND status = 'resolved' "
          "AND deleted_at IS NULL) AS resolved_week, "
          "(SELECT COUNT(*) FROM fleet WHERE status IN ('idle', 'busy')) AS active_vehicles, "
          "(SELECT COUNT(*) FROM fleet) AS vehicles",
      {LocalDayStart(0), week_ago});
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
  std::string since = LocalDayStart(days - 1);
  DaySeries out;
  std::map<std::string, size_t> index;
  SystemTime t;
  ParseTime(since, &t);
  auto offset = std::chrono::minutes(config_.analytics_utc_offset_minutes);
  for (int i = 0; i < days; ++i) {
    // Each day's label is its local date.
    std::string day = FormatTime(t + offset + std::chrono::days(i)).substr(0, 10);
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
  // Reads only idx_reports_created_type_status and the rows' deleted flag.
  auto filed = db_.Execute("SELECT " + LocalDay("created_at") +
                               " AS day, waste_type, status, COUNT(*) AS n FROM reports "
                               "WHERE created_at >= $1 AND deleted_at IS NULL "
                               "GROUP BY day, waste_type, status",
                           {since});
  if (!filed) return Err(filed.error());
  for (const auto& row : filed->rows) {
    auto it = index.find(row.Text("day"));
    if (it == index.end()) continue;  // a report filed "in the future" by a skewed clock
    int64_t n = row.Int("n");
    std::string status = row.Text("status");
    if (status != "duplicate") out.filed[it->second] += n;
    auto ty = out.by_type.find(row.Text("waste_type"));
    if (ty != out.by_type.end() && status != "duplicate") ty->second[it->second] += n;
    auto st = out.by_status.find(status);
    if (st != out.by_status.end()) st->second[it->second] += n;
  }
  auto resolved = db_.Execute("SELECT " + LocalDay("resolved_at") +
                                  " AS day, COUNT(*) AS n FROM reports WHERE resolved_at >= $1 "
                                  "AND status = 'resolved' AND deleted_at IS NULL GROUP BY day",
                              {since});
  if (!resolved) return Err(resolved.error());
  for (const auto& row : resolved->rows) {
    auto it = index.find(row.Text("day"));
    if (it != index.end()) out.resolved[it->second] += row.Int("n");
  }
  return out;
}

Result<std::vector<CityCount>> AnalyticsService::ByCity(int days) {
  auto r = db_.Execute(std::string("SELECT COALESCE(location_city, '') AS city, COUNT(*) AS n, "
                                   "SUM(CASE WHEN status IN ") +
                           kOpen +
                           " THEN 1 ELSE 0 END) AS open FROM reports WHERE created_at >= $1 "
                           "AND deleted_at IS NULL AND status <> 'duplicate' "
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
  std::string sql =
      "SELECT CAST(floor(location_lat / $1) AS INTEGER) AS gy, "
      "CAST(floor(location_lng / $1) AS INTEGER) AS gx, COUNT(*) AS n FROM reports "
      "WHERE deleted_at IS NULL AND location_lat BETWEEN $2 AND $3 "
      "AND location_lng BETWEEN $4 AND $5 AND ";
  std::vector<Value> params{cell, q.min_lat, q.max_lat, q.min_lng, q.max_lng};
  if (q.open_only) {
    sql += std::string("status IN ") + kOpen;
  } else {
    sql += "created_at >= $6 AND status <> 'duplicate'";
    params.push_back(LocalDayStart(q.days - 1));
  }
  sql += " GROUP BY gy, gx ORDER BY n DESC LIMIT 5000";
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

Result<Percentiles> AnalyticsService::PercentilesOf(const std::string& column,
                                                   const std::string& since_column, int days) {
  auto r = db_.Execute("SELECT " + column + " AS v FROM reports WHERE " + since_column +
                           " >= $1 AND " + column + " IS NOT NULL AND deleted_at IS NULL",
                       {FormatTime(clock_.Now() - std::chrono::days(days))});
  if (!r) return Err(r.error());
  std::vector<double> values;
  values.reserve(r->rows.size());
  for (const auto& row : r->rows) values.push_back(row.Double("v"));
  Percentiles p;
  p.count = static_cast<int64_t>(values.size());
  if (values.empty()) return p;
  std::sort(values.begin(), values.end());
  p.p50 = Rank(values, 50);
  p.p90 = Rank(values, 90);
  p.p95 = Rank(values, 95);
  return p;
}

Result<Percentiles> AnalyticsService::TimeToAcknowledge(int days) {
  return PercentilesOf("response_seconds", "created_at", days);
}

Result<Percentiles> AnalyticsService::TimeToResolve(int days) {
  return PercentilesOf("resolution_seconds", "resolved_at", days);
}

}  // namespace cleanai
