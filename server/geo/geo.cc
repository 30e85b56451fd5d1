// SPDX-License-Identifier: AGPL-3.0-or-later
#include "geo/geo.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <fstream>
#include <sstream>

#include "core/geo_math.h"
#include "core/log.h"
#include "core/text.h"
#include "geo/nominatim.h"
#include "http/problem.h"

namespace cleanai {
namespace {

constexpr double kCell = 0.5;  // degrees

int64_t CellKey(int la, int lo) { return static_cast<int64_t>(la) * 100000 + lo; }
int CellOf(double deg) { return static_cast<int>(std::floor(deg / kCell)); }

bool ReadJson(const std::string& path, boost::json::value* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream ss;
  ss << in.rdbuf();
  boost::system::error_code ec;
  *out = boost::json::parse(ss.str(), ec);
  return !ec && out->is_array();
}

std::string Str(const boost::json::object& o, const char* k) {
  const auto* v = o.if_contains(k);
  return v && v->is_string() ? std::string(v->as_string()) : "";
}

}  // namespace

std::string CountryName(const std::string& code) {
  static const std::unordered_map<std::string, std::string> kNames = {
      {"PK", "Pakistan"},
      {"IN", "India"},
      {"AF", "Afghanistan"},
      {"IR", "Iran"},
      {"CN", "China"},
      {"BD", "Bangladesh"},
      {"AE", "United Arab Emirates"},
      {"GB", "United Kingdom"},
      {"US", "United States"},
      {"AU", "Australia"},
      {"KE", "Kenya"}};
  auto it = kNames.find(code);
  return it == kNames.end() ? code : it->second;
}

Gazetteer::Gazetteer(std::string cities_file, std::string admin1_file)
    : cities_file_(std::move(cities_file)), admin1_file_(std::move(admin1_file)) {}

void Gazetteer::Load() const {
  std::call_once(once_, [this] {
    boost::json::value cities, admin1;
    if (!ReadJson(cities_file_, &cities)) {
      LogWarn("geocoding off: cannot read the gazetteer", {{"file", cities_file_}});
      return;
    }
    if (ReadJson(admin1_file_, &admin1)) {
      for (const auto& a : admin1.as_array()) {
        if (a.is_object()) regions_[Str(a.as_object(), "code")] = Str(a.as_object(), "name");
      }
    }
    for (const auto& c : cities.as_array()) {
      if (!c.is_object()) continue;
      const auto& o = c.as_object();
      double la = std::atof(Str(o, "lat").c_str()), lo = std::atof(Str(o, "lng").c_str());
      uint32_t i = static_cast<uint32_t>(names_.size());
      names_.push_back(Str(o, "name"));
      lower_.push_back(AsciiLower(names_.back()));
      country_.push_back(Str(o, "country"));
      region_key_.push_back(country_.back() + "." + Str(o, "admin1"));
      lat_.push_back(la);
      lng_.push_back(lo);
      grid_[CellKey(CellOf(la), CellOf(lo))].push_back(i);
    }
    by_name_.resize(names_.size());
    for (uint32_t i = 0; i < by_name_.size(); ++i) by_name_[i] = i;
    std::sort(by_name_.begin(), by_name_.end(),
              [this](uint32_t a, uint32_t b) { return lower_[a] < lower_[b]; });
    loaded_ = true;
    LogInfo("gazetteer loaded", {{"places", static_cast<int64_t>(names_.size())}});
  });
}

bool Gazetteer::available() const {
  Load();
  return loaded_;
}

Place Gazetteer::Make(size_t i) const {
  Place p;
  p.name = names_[i];
  auto r = regions_.find(region_key_[i]);
  p.region = r == regions_.end() ? "" : r->second;
  p.country_code = country_[i];
  p.lat = lat_[i];
  p.lng = lng_[i];
  return p;
}

std::optional<Place> Gazetteer::Reverse(double lat, double lng, double max_km) const {
  Load();
  if (!loaded_) return std::nullopt;
  int cla = CellOf(lat), clo = CellOf(lng);
  // Rings of cells until one ring lies wholly beyond max_km (a cell is ≥ ~25 km wide
  // in latitude; longitude cells shrink toward the poles, so search one extra ring).
  int rings = static_cast<int>(std::ceil(max_km / 25.0)) + 1;
  double best = max_km * 1000;
  std::optional<size_t> found;
  for (int dla = -rings; dla <= rings; ++dla) {
    for (int dlo = -rings; dlo <= rings; ++dlo) {
      auto it = grid_.find(CellKey(cla + dla, clo + dlo));
      if (it == grid_.end()) continue;
      for (uint32_t i : it->second) {
        double d = HaversineMeters(lat, lng, lat_[i], lng_[i]);
        if (d <= best) {
          best = d;
          found = i;
        }
      }
    }
  }
  if (!found) return std::nullopt;
  Place p = Make(*found);
  p.distance_km = best / 1000.0;
  return p;
}

std::vector<Place> Gazetteer::Search(const std::string& prefix, size_t limit) const {
  Load();
  std::vector<Place> out;
  if (!loaded_ || prefix.empty()) return out;
  std::string key = AsciiLower(prefix);
  auto lo = std::lower_bound(by_name_.begin(), by_name_.end(), key,
                             [this](uint32_t i, const std::string& k) { return lower_[i] < k; });
  std::vector<uint32_t> hits;
  for (auto it = lo; it != by_name_.end() && lower_[*it].compare(0, key.size(), key) == 0; ++it) {
    hits.push_back(*it);
    if (hits.size() >= 200) break;
  }
  // Exact names first, then Pakistan (the product's home), then shorter names.
  std::stable_sort(hits.begin(), hits.end(), [&](uint32_t a, uint32_t b) {
    auto rank = [&](uint32_t i) {
      return std::make_tuple(lower_[i] != key, country_[i] != "PK", lower_[i].size());
    };
    return rank(a) < rank(b);
  });
  for (size_t i = 0; i < hits.size() && out.size() < limit; ++i) out.push_back(Make(hits[i]));
  return out;
}

namespace {
boost::json::object PlaceJson(const Place& p) {
  return {{"name", p.name},
          {"region", p.region},
          {"countryCode", p.country_code},
          {"country", CountryName(p.country_code)},
          {"lat", p.lat},
          {"lng", p.lng}};
}
}  // namespace

void RegisterGeoRoutes(Router& router, const Gazetteer& gazetteer, StreetGeocoder& streets) {
  router.Add("GET", "/api/geo/reverse", Access::Public(), [&gazetteer, &streets](HttpRequest& req) {
    double lat = 0, lng = 0;
    auto la = req.QueryParam("lat"), lo = req.QueryParam("lng");
    char *e1 = nullptr, *e2 = nullptr;
    if (la) lat = std::strtod(la->c_str(), &e1);
    if (lo) lng = std::strtod(lo->c_str(), &e2);
    std::vector<FieldError> errors;
    if (!la || la->empty() || *e1 || !std::isfinite(lat) || lat < -90 || lat > 90)
      errors.push_back({"lat", "-90 to 90"});
    if (!lo || lo->empty() || *e2 || !std::isfinite(lng) || lng < -180 || lng > 180)
      errors.push_back({"lng", "-180 to 180"});
    if (!errors.empty()) {
      return ProblemResponse(Status::InvalidArgument("invalid coordinates", errors),
                             req.request_id);
    }
    if (!gazetteer.available()) {
      return ProblemResponse(Status::Unavailable("geocoding data is not installed"),
                             req.request_id);
    }
    auto p = gazetteer.Reverse(lat, lng);
    if (!p) return ProblemResponse(Status::NotFound("no place within 30 km"), req.request_id);
    boost::json::object o = PlaceJson(*p);
    o["distanceKm"] = std::round(p->distance_km * 10) / 10;
    if (streets.configured()) {
      auto street = streets.Street(lat, lng);
      o["street"] = street ? boost::json::value(*street) : boost::json::value(nullptr);
    }
    return HttpResponse::Json(200, o);
  });
  router.Add("GET", "/api/geo/search", Access::Public(), [&gazetteer](HttpRequest& req) {
    auto q = req.QueryParam("q");
    if (!q || q->empty() || q->size() > 100) {
      return ProblemResponse(
          Status::InvalidArgument("invalid query", {{"q", "1 to 100 characters"}}), req.request_id);
    }
    if (!gazetteer.available()) {
      return ProblemResponse(Status::Unavailable("geocoding data is not installed"),
                             req.request_id);
    }
    boost::json::array items;
    for (const auto& p : gazetteer.Search(*q, 10)) items.push_back(PlaceJson(p));
    return HttpResponse::Json(200, boost::json::object{{"items", items}});
  });
}

}  // namespace cleanai
