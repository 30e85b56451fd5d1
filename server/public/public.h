// SPDX-License-Identifier: AGPL-3.0-or-later
// The public side: the map of reports anyone can see, a report's public page, area
// alerts ("tell me of new reports here") and Atom feeds. Nothing here names a citizen:
// no reporter name, email, username or id ever leaves this folder, and reports that are
// rejected, deleted or merged as duplicates are not shown (reports/: IsPublic).
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
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

// What the public map shows: reports filed in the last `days` within the box, open
// and/or fixed, of the given types (empty: all).
struct MapQuery {
  BoundingBox box;
  int zoom = 12;
  bool open = true, fixed = true;
  std::vector<std::string> types;
  int days = 90;
};

struct MapPoint {
  std::string id, waste_type, status, created_at;
  double lat = 0, lng = 0;
  std::optional<std::string> thumbnail_key;  // only once public (PhotoIsPublic)
};

struct MapCell {
  double lat = 0, lng = 0;  // the mean position of its reports
  int64_t count = 0;
};

// Few enough reports in view: each one. Too many: counts per grid cell (about 40 screen
// pixels at the zoom), so a zoomed-out city of a million reports answers in milliseconds.
struct MapAnswer {
  std::vector<MapPoint> points;
  std::vector<MapCell> cells;
  bool clustered = false;
  double cell_degrees = 0;
  int64_t total = 0;  // reports in view (the cells' sum, or the points)
};

class PublicMap {
 public:
  // At most this many single reports in one answer; more become cells.
  static constexpr int kMaxPoints = 300;
  // Cells are counted per tile (360/2^zoom degrees square, six cells across) and each
  // tile's counts kept this long: a public count may lag a new report by up to this.
  static constexpr int kTileSeconds = 30;

  PublicMap(Database& reads, const Clock& clock) : db_(reads), clock_(clock) {}
  Result<MapAnswer> Query(const MapQuery& q);
  // Any change to any report: what was kept may be out of date (the change feed calls it,
  // so every instance forgets at once).
  void Forget();

 private:
  Result<MapAnswer> Compute(const MapQuery& q);
  // The cells of one tile, from the tile cache or the database.
  Result<std::vector<MapCell>> TileCells(const MapQuery& q, int64_t tx, int64_t ty);
  Database& db_;
  const Clock& clock_;
  std::mutex mu_;
  // Answers by their snapped query, for at most 30 s (a safety net: Forget is exact).
  std::map<std::string, std::pair<SystemTime, MapAnswer>> cache_;
  // Cell counts by tile and filters, for kTileSeconds; not forgotten on each change (a
  // busy city changes every second, and many views share a tile).
  std::map<std::string, std::pair<SystemTime, std::vector<MapCell>>> tiles_;
};

// The JSON anyone may see of a report: never who filed it; its photo and description once
// an admin has acknowledged it and unless its photos are hidden.
boost::json::object PublicReportJson(const Report& r, boost::json::storage_ptr sp = {});

// An area someone follows: a box, a circle, or a city by the gazetteer's name.
struct Area {
  std::string kind;  // box | radius | city
  BoundingBox box;   // the circle's box for radius; unused for city
  double lat = 0, lng = 0, radius_m = 0;
  std::string city;
  bool Contains(const Report& r) const;
};

struct AreaSubscription {
  std::string id, label, created_at;
  Area area;
  std::vector<std::string> types;  // empty: every type
};

class AreaAlerts {
 public:
  static constexpr int kMaxPerUser = 10;
  static constexpr double kMaxRadiusM = 20000;
  static constexpr double kMaxBoxDegrees = 1.0;  // about 110 km: a city, not a country

  // `known_city`: whether a name is a city of the gazetteer (what report.city holds).
  using CityCheck = std::function<bool(const std::string&)>;
  AreaAlerts(Database& db, const Clock& clock, const Config& config, const Notifier& notifier,
             CityCheck known_city)
      : db_(db),
        clock_(clock),
        config_(config),
        notifier_(notifier),
        known_city_(std::move(known_city)) {}

  // InvalidArgument for an area too large or not a place; Conflict past kMaxPerUser.
  Result<AreaSubscription> Create(const Principal& who, const std::string& label, const Area& area,
                                  const std::vector<std::string>& types);
  Result<std::vector<AreaSubscription>> List(const Principal& who);
  Status Remove(const Principal& who, const std::string& id);
  // The one-click link in each alert: removes the subscription the token names.
  Status Unsubscribe(const std::string& token);
  // In the transaction that files `r`: tells each subscriber whose area holds it (not its
  // reporter) through the outbox, in their language and on their channels.
  Status OnNewReport(Connection& c, const Report& r);

 private:
  Database& db_;
  const Clock& clock_;
  const Config& config_;
  const Notifier& notifier_;
  CityCheck known_city_;
};

// The box around a circle of `radius_m` metres at (lat, lng), clamped to the world.
BoundingBox CircleBox(double lat, double lng, double radius_m);

// An area as given: exactly one of bbox ("minLng,minLat,maxLng,maxLat"), lat+lng+radius
// (metres) or city.
struct AreaInput {
  std::optional<std::string> bbox, lat, lng, radius, city;
  static AreaInput FromQuery(const HttpRequest& req);
};
// Checks an area: boxes at most a degree each way, circles 50 m to 20 km; what is wrong
// goes to `errors`.
std::optional<Area> ReadArea(const AreaInput& in, std::vector<FieldError>* errors);

// GET /api/public/map, /api/public/reports/:id, /feeds/*.atom (anyone); the signed-in
// user's /api/area-subscriptions; POST /api/area-subscriptions/unsubscribe (the token).
void RegisterPublicRoutes(Router& router, PublicMap& map, ReportService& reports,
                          AreaAlerts& alerts, const Config& config);

}  // namespace cleanai
