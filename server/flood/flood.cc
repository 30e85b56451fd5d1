// SPDX-License-Identifier: AGPL-3.0-or-later
#include "flood/flood.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <map>
#include <mutex>

#include "core/crypto.h"
#include "core/geo_math.h"
#include "storage/audit.h"

namespace cleanai {
namespace {

constexpr const char* kOpen = "('submitted', 'acknowledged', 'dispatched', 'in_progress')";
constexpr double kCellsPerDegree = 100;   // 0.01° areas
constexpr size_t kMaxAreas = 200;         // the panel and the alerts need the top ones
constexpr size_t kMaxForecastCalls = 10;  // per assessment; the rest use cached answers

std::string CellKey(double lat, double lng) {
  return std::to_string(static_cast<int64_t>(std::floor(lat * kCellsPerDegree))) + ":" +
         std::to_string(static_cast<int64_t>(std::floor(lng * kCellsPerDegree)));
}

LowLyingArea AreaFromRow(const Row& r) {
  LowLyingArea a;
  a.id = r.Text("id");
  a.name = r.Text("name");
  a.lat = r.Double("lat");
  a.lng = r.Double("lng");
  a.radius_m = r.Int("radius_m");
  a.created_at = r.TimeText("created_at").value_or("");
  return a;
}

}  // namespace

FloodService::FloodService(Database& db, const Clock& clock, const Config& config, Locator locator)
    : db_(db),
      clock_(clock),
      locator_(std::move(locator)),
      weather_(config.flood_weather_url, config.flood_weather_api_key,
               config.flood_weather_timeout_seconds, clock),
      weather_timeout_(config.flood_weather_timeout_seconds) {}

Result<std::optional<RainfallEntry>> FloodService::CurrentAdminRainfall(Connection& c) {
  auto r = c.Execute(
      "SELECT id, mm_next_24h, created_at, valid_until FROM flood_rainfall_entries "
      "WHERE valid_until > $1 ORDER BY created_at DESC LIMIT 1",
      {FormatTime(clock_.Now())});
  if (!r) return Err(r.error());
  if (r->rows.empty()) return std::optional<RainfallEntry>();
  const Row& row = r->rows[0];
  RainfallEntry e;
  e.id = row.Text("id");
  e.mm_next_24h = row.Double("mm_next_24h");
  e.created_at = row.TimeText("created_at").value_or("");
  e.valid_until = row.TimeText("valid_until").value_or("");
  return std::optional<RainfallEntry>(e);
}

Result<FloodAssessment> FloodService::Assess() {
  SystemTime now = clock_.Now();
  FloodAssessment out;
  out.assessed_at = FormatTime(now);
  out.provider_configured = weather_.configured();
  std::vector<LowLyingArea> low;
  std::map<std::string, FloodArea> areas;
  auto loaded = db_.WithConnection<bool>([&](Connection& c) -> Result<bool> {
    auto rain = CurrentAdminRainfall(c);
    if (!rain) return Err(rain.error());
    out.admin_rainfall = *rain;
    auto lows = c.Execute(
        "SELECT id, name, lat, lng, radius_m, created_at "
        "FROM flood_low_lying_areas ORDER BY name",
        {});
    if (!lows) return Err(lows.error());
    for (const auto& row : lows->rows) low.push_back(AreaFromRow(row));
    // The drain blockages make the areas.
    const std::string open_reports = TableUsingIndex(c.backend(), "reports", "idx_reports_open");
    auto drains =
        c.Execute("SELECT location_lat, location_lng, created_at FROM " + open_reports +
                      " WHERE deleted_at IS NULL AND status IN " + kOpen + " AND blocks_drain = $1",
                  {true});
    if (!drains) return Err(drains.error());
    for (const auto& row : drains->rows) {
      double lat = row.Double("location_lat"), lng = row.Double("location_lng");
      FloodArea& a = areas[CellKey(lat, lng)];
      double age = 0;
      if (auto t = row.Time("created_at")) {
        age = std::chrono::duration<double>(now - *t).count() / 86400.0;
      }
      a.factors.blockage += BlockageWeight(age);
      a.oldest_days = std::max(a.oldest_days, age);
      // Running mean of the blockages' positions.
      a.drain_reports += 1;
      a.lat += (lat - a.lat) / static_cast<double>(a.drain_reports);
      a.lng += (lng - a.lng) / static_cast<double>(a.drain_reports);
    }
    if (areas.empty()) return true;
    // All open waste in those areas: a bounding box query, then the cells that matter.
    double min_lat = 90, max_lat = -90, min_lng = 180, max_lng = -180;
    for (const auto& [key, a] : areas) {
      min_lat = std::min(min_lat, a.lat);
      max_lat = std::max(max_lat, a.lat);
      min_lng = std::min(min_lng, a.lng);
      max_lng = std::max(max_lng, a.lng);
    }
    const double pad = 1.0 / kCellsPerDegree;
    auto waste = c.Execute("SELECT location_lat, location_lng, size FROM " + open_reports +
                               " WHERE deleted_at IS NULL AND status IN " + kOpen +
                               " AND location_lat BETWEEN $1 AND $2 AND location_lng BETWEEN $3 "
                               "AND $4",
                           {min_lat - pad, max_lat + pad, min_lng - pad, max_lng + pad});
    if (!waste) return Err(waste.error());
    for (const auto& row : waste->rows) {
      auto it = areas.find(CellKey(row.Double("location_lat"), row.Double("location_lng")));
      if (it == areas.end()) continue;
      it->second.factors.volume += SizeVolume(row.Text("size"));
      it->second.open_reports += 1;
    }
    return true;
  });
  if (!loaded) return Err(loaded.error());

  std::vector<FloodArea> list;
  list.reserve(areas.size());
  for (auto& [key, a] : areas) {
    a.key = key;
    for (const auto& l : low) {
      if (HaversineMeters(a.lat, a.lng, l.lat, l.lng) <= static_cast<double>(l.radius_m)) {
        a.factors.low_lying = true;
        a.low_lying_area = l.name;
        break;
      }
    }
    list.push_back(std::move(a));
  }
  // Rain is asked for the areas with the most waste first, within a call budget.
  std::sort(list.begin(), list.end(), [](const FloodArea& x, const FloodArea& y) {
    return x.factors.blockage + x.factors.volume / 10 > y.factors.blockage + y.factors.volume / 10;
  });
  if (list.size() > kMaxAreas) list.resize(kMaxAreas);
  // Cached answers cost nothing; new calls stop after the budget, so a hanging provider
  // holds one assessment for about one timeout, not ten.
  size_t calls = 0;
  const auto budget_end =
      std::chrono::steady_clock::now() + std::chrono::seconds(weather_timeout_ + 1);
  for (auto& a : list) {
    std::optional<double> mm;
    if (weather_.configured() && calls < kMaxForecastCalls &&
        std::chrono::steady_clock::now() < budget_end) {
      ++calls;
      mm = weather_.RainNext24h(a.lat, a.lng);
      if (mm) a.rain_source = "forecast";
    }
    if (!mm && out.admin_rainfall) {
      mm = out.admin_rainfall->mm_next_24h;
      a.rain_source = "admin";
    }
    if (!mm) a.rain_source = "unknown";
    a.factors.rain_mm = mm;
    a.score = ScoreFlood(a.factors);
    if (locator_) a.place = locator_(a.lat, a.lng);
  }
  std::sort(list.begin(), list.end(),
            [](const FloodArea& x, const FloodArea& y) { return x.score.index > y.score.index; });
  out.areas = std::move(list);
  return out;
}

Result<std::vector<LowLyingArea>> FloodService::LowLyingAreas() {
  auto r = db_.Execute(
      "SELECT id, name, lat, lng, radius_m, created_at FROM flood_low_lying_areas ORDER BY name");
  if (!r) return Err(r.error());
  std::vector<LowLyingArea> out;
  for (const auto& row : r->rows) out.push_back(AreaFromRow(row));
  return out;
}

Result<LowLyingArea> FloodService::AddLowLyingArea(const Principal& admin, const std::string& name,
                                                   double lat, double lng, int64_t radius_m,
                                                   const ClientInfo& client) {
  return db_.InTransaction<LowLyingArea>([&](Connection& c) -> Result<LowLyingArea> {
    auto count = c.Execute("SELECT COUNT(*) AS n FROM flood_low_lying_areas", {});
    if (!count) return Err(count.error());
    if (count->rows.at(0).Int("n") >= 1000) {
      return Err(Status::Conflict("at most 1000 low-lying areas; remove some first"));
    }
    std::string id = NewUuidV7(), now = FormatTime(clock_.Now());
    auto r = c.Execute(
        "INSERT INTO flood_low_lying_areas (id, name, lat, lng, radius_m, created_by, "
        "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id, name, lat, lng, "
        "radius_m, created_at",
        {id, name, lat, lng, radius_m, admin.user_id, now});
    if (!r) return Err(r.error());
    boost::json::object details{{"name", name}, {"lat", lat}, {"lng", lng}, {"radiusM", radius_m}};
    CLEANAI_RETURN_IF_ERROR(
        WriteAudit(c, clock_,
                   {std::nullopt, admin.user_id, "flood.low_lying_added", std::nullopt,
                    std::nullopt, boost::json::serialize(details), client.ip, client.user_agent}));
    return AreaFromRow(r->rows.at(0));
  });
}

Status FloodService::RemoveLowLyingArea(const Principal& admin, const std::string& id,
                                        const ClientInfo& client) {
  if (!IsUuid(id)) return Status::NotFound("no such low-lying area");
  auto done = db_.InTransaction<bool>([&](Connection& c) -> Result<bool> {
    auto r = c.Execute("DELETE FROM flood_low_lying_areas WHERE id = $1", {id});
    if (!r) return Err(r.error());
    if (r->affected_rows == 0) return Err(Status::NotFound("no such low-lying area"));
    CLEANAI_RETURN_IF_ERROR(WriteAudit(
        c, clock_,
        {std::nullopt, admin.user_id, "flood.low_lying_removed", std::nullopt, std::nullopt,
         boost::json::serialize(boost::json::object{{"id", id}}), client.ip, client.user_agent}));
    return true;
  });
  return done ? Status::Ok() : done.error();
}

Result<RainfallEntry> FloodService::EnterRainfall(const Principal& admin, double mm,
                                                  int valid_hours, const ClientInfo& client) {
  return db_.InTransaction<RainfallEntry>([&](Connection& c) -> Result<RainfallEntry> {
    SystemTime now = clock_.Now();
    RainfallEntry e{NewUuidV7(), FormatTime(now), FormatTime(now + std::chrono::hours(valid_hours)),
                    mm};
    auto r = c.Execute(
        "INSERT INTO flood_rainfall_entries (id, mm_next_24h, entered_by, created_at, "
        "valid_until) VALUES ($1, $2, $3, $4, $5)",
        {e.id, mm, admin.user_id, e.created_at, e.valid_until});
    if (!r) return Err(r.error());
    boost::json::object details{{"mmNext24h", mm}, {"validHours", valid_hours}};
    CLEANAI_RETURN_IF_ERROR(
        WriteAudit(c, clock_,
                   {std::nullopt, admin.user_id, "flood.rainfall_entered", std::nullopt,
                    std::nullopt, boost::json::serialize(details), client.ip, client.user_agent}));
    return e;
  });
}

}  // namespace cleanai
