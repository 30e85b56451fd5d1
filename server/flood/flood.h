// SPDX-License-Identifier: AGPL-3.0-or-later
// Flood-risk assessment: open drain-blocking reports grouped into areas, scored with the
// index of flood/risk.h from their age, the waste around them, the rain expected and the
// low-lying areas admins mark. Rain comes from the configured weather provider, else from
// the latest rainfall an admin entered that is still valid, else it is unknown (and the
// answer says which).
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/config.h"
#include "flood/risk.h"
#include "flood/weather.h"
#include "http/router.h"
#include "storage/database.h"

namespace cleanai {

struct FloodArea {
  std::string key;                   // the 0.01° cell, "row:column"
  double lat = 0, lng = 0;           // the centre of its drain-blocking reports
  std::optional<std::string> place;  // the nearest town in the gazetteer
  int64_t drain_reports = 0, open_reports = 0;
  double oldest_days = 0;
  std::string rain_source;                    // forecast, admin or unknown
  std::optional<std::string> low_lying_area;  // the marked area's name
  FloodFactors factors;
  FloodScore score;
};

struct LowLyingArea {
  std::string id, name, created_at;
  double lat = 0, lng = 0;
  int64_t radius_m = 0;
};

struct RainfallEntry {
  std::string id, created_at, valid_until;
  double mm_next_24h = 0;
};

struct FloodAssessment {
  std::vector<FloodArea> areas;  // highest index first
  bool provider_configured = false;
  std::optional<RainfallEntry> admin_rainfall;
  std::string assessed_at;
};

class FloodService {
 public:
  using Locator = std::function<std::optional<std::string>(double lat, double lng)>;
  FloodService(Database& db, const Clock& clock, const Config& config, Locator locator);

  Result<FloodAssessment> Assess();
  // The nearest town's name (the gazetteer), when one is known.
  std::optional<std::string> PlaceName(double lat, double lng) const {
    return locator_ ? locator_(lat, lng) : std::nullopt;
  }

  Result<std::vector<LowLyingArea>> LowLyingAreas();
  Result<LowLyingArea> AddLowLyingArea(const Principal& admin, const std::string& name, double lat,
                                       double lng, int64_t radius_m, const ClientInfo& client);
  Status RemoveLowLyingArea(const Principal& admin, const std::string& id,
                            const ClientInfo& client);
  Result<RainfallEntry> EnterRainfall(const Principal& admin, double mm, int valid_hours,
                                      const ClientInfo& client);

 private:
  Result<std::optional<RainfallEntry>> CurrentAdminRainfall(Connection& c);
  Database& db_;
  const Clock& clock_;
  Locator locator_;
  WeatherClient weather_;
  int weather_timeout_;
};

// GET /api/flood/risk; GET, POST /api/flood/low-lying-areas; DELETE …/:id;
// POST /api/flood/rainfall. All admin.
void RegisterFloodRoutes(Router& router, FloodService& flood);

}  // namespace cleanai
