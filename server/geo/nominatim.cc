// SPDX-License-Identifier: AGPL-3.0-or-later
#include "geo/nominatim.h"

#include <boost/json.hpp>
#include <cmath>
#include <cstdio>

#include "core/log.h"
#include "http/client.h"

namespace cleanai {
namespace {

constexpr size_t kMaxCached = 10000;

std::string Field(const boost::json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : "";
}

}  // namespace

Result<std::string> StreetFromNominatim(const std::string& json) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(json, ec);
  if (ec || !v.is_object() || v.as_object().contains("error")) {
    return Err(Status::InvalidArgument("no address in the answer"));
  }
  const auto& o = v.as_object();
  std::string street;
  if (const auto* a = o.if_contains("address"); a && a->is_object()) {
    const auto& addr = a->as_object();
    std::string road = Field(addr, "road");
    if (road.empty()) road = Field(addr, "pedestrian");
    if (!road.empty()) {
      std::string number = Field(addr, "house_number");
      street = number.empty() ? road : number + " " + road;
      std::string area = Field(addr, "neighbourhood");
      if (area.empty()) area = Field(addr, "suburb");
      if (!area.empty()) street += ", " + area;
    }
  }
  if (street.empty()) {
    std::string display = Field(o, "display_name");
    size_t first = display.find(", ");
    size_t second = first == std::string::npos ? first : display.find(", ", first + 2);
    street = display.substr(0, second);
  }
  if (street.empty()) return Err(Status::InvalidArgument("no address in the answer"));
  if (street.size() > 200) street.resize(200);  // within the reports' address column
  return street;
}

std::optional<std::string> StreetGeocoder::Street(double lat, double lng) {
  if (!configured()) return std::nullopt;
  std::pair<int64_t, int64_t> key{std::llround(lat * 1e4), std::llround(lng * 1e4)};
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
    auto now = std::chrono::steady_clock::now();
    if (now - last_call_ < std::chrono::seconds(1)) return std::nullopt;  // the usage policy
    last_call_ = now;
  }
  char query[96];
  std::snprintf(query, sizeof query, "/reverse?format=jsonv2&zoom=18&lat=%.5f&lon=%.5f", lat, lng);
  OutgoingRequest req;
  req.url = url_ + query;
  req.timeout_seconds = timeout_;
  req.user_agent = user_agent_;
  req.max_body_bytes = 256 * 1024;
  std::optional<std::string> street;
  auto resp = HttpGet(req);
  if (!resp || resp->status != 200) {
    LogWarn("street geocoder failed",
            {{"error", resp ? "HTTP " + std::to_string(resp->status) : resp.error().message()}});
    return std::nullopt;  // not cached: it may answer next time
  }
  if (auto s = StreetFromNominatim(resp->body)) street = *s;
  std::lock_guard<std::mutex> lock(mu_);
  if (cache_.size() >= kMaxCached) cache_.clear();
  cache_[key] = street;
  return street;
}

}  // namespace cleanai
