// SPDX-License-Identifier: AGPL-3.0-or-later
// The public map's one query, and the public JSON of a report.
#include <algorithm>
#include <boost/json.hpp>
#include <cmath>

#include "public/public.h"

namespace cleanai {
namespace {

// The partial index's own predicate (migration 018), word for word: SQLite uses a partial
// index only when the query repeats its WHERE terms.
constexpr const char* kPublicRows =
    " WHERE deleted_at IS NULL AND status IN ('submitted', 'acknowledged', 'dispatched', "
    "'in_progress', 'resolved')";

// A tile is 360/2^zoom degrees square (a 256-pixel map tile's width); six cells across one.
double TileDegrees(int zoom) { return 360.0 / std::pow(2.0, zoom); }
double CellDegrees(int zoom) { return TileDegrees(zoom) / 6.0; }

// The box grown outwards to whole cells: nearby views share one cached answer and one
// set of cells (a cell is never cut in two by the edge of the view).
BoundingBox Snapped(const BoundingBox& b, double cell) {
  auto down = [cell](double v, double lo) { return std::max(lo, std::floor(v / cell) * cell); };
  auto up = [cell](double v, double hi) { return std::min(hi, std::ceil(v / cell) * cell); };
  return {down(b.min_lng, -180), down(b.min_lat, -90), up(b.max_lng, 180), up(b.max_lat, 90)};
}

std::string Key(const MapQuery& q, const BoundingBox& b) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "%d|%.6f|%.6f|%.6f|%.6f|%d%d|%d|", q.zoom, b.min_lng, b.min_lat,
                b.max_lng, b.max_lat, q.open, q.fixed, q.days);
  std::string key = buf;
  for (const auto& t : q.types) key += t + ",";
  return key;
}

}  // namespace

Result<MapAnswer> PublicMap::Query(const MapQuery& q) {
  const BoundingBox box = Snapped(q.box, CellDegrees(q.zoom));
  const std::string key = Key(q, box);
  const SystemTime now = clock_.Now();
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = cache_.find(key);
    if (it != cache_.end() && now - it->second.first < std::chrono::seconds(30)) {
      return it->second.second;
    }
  }
  MapQuery snapped = q;
  snapped.box = box;
  auto answer = Compute(snapped);
  if (!answer) return answer;
  std::lock_guard<std::mutex> lock(mu_);
  if (cache_.size() >= 2000) cache_.clear();  // a bound, not an LRU: views repeat a lot
  cache_[key] = {now, *answer};
  return answer;
}

void PublicMap::Forget() {
  std::lock_guard<std::mutex> lock(mu_);
  cache_.clear();
}

namespace {

// The WHERE of the map's queries over box [lat0, lat1) × [lng0, lng1) (parameters $1–$4),
// with the query's period and filters; `params` gets their values.
std::string MapWhere(const MapQuery& q, double lat0, double lat1, double lng0, double lng1,
                     const std::string& since, std::vector<Value>* params) {
  std::string where = kPublicRows;
  *params = {lat0, lat1, lng0, lng1, since};
  where +=
      " AND location_lat >= $1 AND location_lat < $2 AND location_lng >= $3 AND "
      "location_lng < $4 AND created_at >= $5";
  if (!q.open) where += " AND status = 'resolved'";
  if (!q.fixed) where += " AND status <> 'resolved'";
  if (!q.types.empty()) {
    where += " AND waste_type IN (";
    for (size_t i = 0; i < q.types.size(); ++i) {
      where += (i ? ", $" : "$") + std::to_string(params->size() + 1);
      params->emplace_back(q.types[i]);
    }
    where += ")";
  }
  return where;
}

}  // namespace

Result<MapAnswer> PublicMap::Compute(const MapQuery& q) {
  const std::string since = FormatTime(clock_.Now() - std::chrono::hours(24) * q.days);
  std::vector<Value> params;
  // The box's far edges belong to it (a view is closed; tiles below are half-open).
  const std::string where =
      MapWhere(q, q.box.min_lat, std::nextafter(q.box.max_lat, 1e9), q.box.min_lng,
               std::nextafter(q.box.max_lng, 1e9), since, &params);
  const std::string table = TableUsingIndex(db_.backend(), "reports", "idx_reports_public");
  MapAnswer out;
  // One more than may be shown: then it is cells. No ORDER BY, so the scan stops there.
  auto rows = db_.Execute(
      "SELECT id, waste_type, status, created_at, location_lat, location_lng, thumbnail_key, "
      "photo_hidden FROM " +
          table + where + " LIMIT " + std::to_string(kMaxPoints + 1),
      params);
  if (!rows) return Err(rows.error());
  if (static_cast<int>(rows->rows.size()) <= kMaxPoints) {
    for (const auto& row : rows->rows) {
      MapPoint p{row.Text("id"),
                 row.Text("waste_type"),
                 row.Text("status"),
                 row.TimeText("created_at").value_or(""),
                 row.Double("location_lat"),
                 row.Double("location_lng"),
                 std::nullopt};
      if (p.status != "submitted" && !row.Bool("photo_hidden")) {
        p.thumbnail_key = row.Text("thumbnail_key");
      }
      out.points.push_back(std::move(p));
    }
    std::sort(out.points.begin(), out.points.end(),
              [](const MapPoint& a, const MapPoint& b) { return a.created_at > b.created_at; });
    out.total = static_cast<int64_t>(out.points.size());
    return out;
  }
  // Too many to show one by one: counts per cell, tile by tile (each tile's counts are
  // shared by every view that covers it).
  out.clustered = true;
  out.cell_degrees = CellDegrees(q.zoom);
  const double tile = TileDegrees(q.zoom);
  const auto first = [tile](double v) { return static_cast<int64_t>(std::floor(v / tile)); };
  const auto last = [tile](double v) { return static_cast<int64_t>(std::ceil(v / tile)) - 1; };
  for (int64_t ty = first(q.box.min_lat); ty <= std::max(first(q.box.min_lat), last(q.box.max_lat));
       ++ty) {
    for (int64_t tx = first(q.box.min_lng);
         tx <= std::max(first(q.box.min_lng), last(q.box.max_lng)); ++tx) {
      auto cells = TileCells(q, tx, ty);
      if (!cells) return Err(cells.error());
      for (const auto& c : *cells) {
        // Only the cells in view: a tile may reach past the box's edge. The box is snapped
        // to whole cells, so a cell is in it exactly when its reports' mean is.
        if (c.lat < q.box.min_lat || c.lat > q.box.max_lat || c.lng < q.box.min_lng ||
            c.lng > q.box.max_lng) {
          continue;
        }
        out.cells.push_back(c);
        out.total += c.count;
      }
    }
  }
  return out;
}

Result<std::vector<MapCell>> PublicMap::TileCells(const MapQuery& q, int64_t tx, int64_t ty) {
  std::string key = std::to_string(q.zoom) + "/" + std::to_string(tx) + "/" + std::to_string(ty) +
                    "|" + std::to_string(q.open) + std::to_string(q.fixed) + "|" +
                    std::to_string(q.days) + "|";
  for (const auto& t : q.types) key += t + ",";
  const SystemTime now = clock_.Now();
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = tiles_.find(key);
    if (it != tiles_.end() && now - it->second.first < std::chrono::seconds(kTileSeconds)) {
      return it->second.second;
    }
  }
  const double tile = TileDegrees(q.zoom), cell = CellDegrees(q.zoom);
  std::vector<Value> params;
  const std::string where =
      MapWhere(q, static_cast<double>(ty) * tile, static_cast<double>(ty + 1) * tile,
               static_cast<double>(tx) * tile, static_cast<double>(tx + 1) * tile,
               FormatTime(now - std::chrono::hours(24) * q.days), &params);
  params.emplace_back(cell);
  const std::string c = "$" + std::to_string(params.size());
  auto rows = db_.Execute("SELECT CAST(floor(location_lat / " + c +
                              ") AS INTEGER) AS gy, CAST(floor(location_lng / " + c +
                              ") AS INTEGER) AS gx, COUNT(*) AS n, AVG(location_lat) AS lat, "
                              "AVG(location_lng) AS lng FROM " +
                              TableUsingIndex(db_.backend(), "reports", "idx_reports_public") +
                              where + " GROUP BY gy, gx",
                          params);
  if (!rows) return Err(rows.error());
  std::vector<MapCell> cells;
  cells.reserve(rows->rows.size());
  for (const auto& row : rows->rows) {
    cells.push_back({row.Double("lat"), row.Double("lng"), row.Int("n")});
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (tiles_.size() >= 20000) tiles_.clear();  // a bound, not an LRU
  tiles_[key] = {now, cells};
  return cells;
}

boost::json::object PublicReportJson(const Report& r, boost::json::storage_ptr sp) {
  auto opt = [&](const std::optional<std::string>& v) {
    return v ? boost::json::value(*v, sp) : boost::json::value(nullptr, sp);
  };
  const bool reviewed = PhotoIsPublic(r);
  const bool acknowledged = r.status != ReportStatus::kSubmitted;
  boost::json::object location(sp);
  location.emplace("lat", r.lat);
  location.emplace("lng", r.lng);
  location.emplace("address", r.address);
  location.emplace("city", opt(r.city));
  boost::json::object o(sp);
  o.emplace("id", r.id);
  o.emplace("wasteType", r.waste_type);
  o.emplace("status", StatusName(r.status));
  o.emplace("size", opt(r.size));
  o.emplace("blocksDrain", r.blocks_drain);
  // What a citizen wrote is shown once an admin has read it.
  o.emplace("description", acknowledged ? opt(r.description) : opt({}));
  o.emplace("location", std::move(location));
  o.emplace("imageUrl", reviewed ? opt(MediaUrl(r.image_key)) : opt({}));
  o.emplace("thumbnailUrl", reviewed ? opt(MediaUrl(r.thumbnail_key)) : opt({}));
  o.emplace("verificationImageUrl", reviewed && r.verification_image_key
                                        ? opt(MediaUrl(*r.verification_image_key))
                                        : opt({}));
  o.emplace("photoHidden", r.photo_hidden);
  o.emplace("confirmations", r.confirmations);
  o.emplace("resolvedAt", opt(r.resolved_at));
  o.emplace("createdAt", r.created_at);
  o.emplace("updatedAt", r.updated_at);
  return o;
}

}  // namespace cleanai
