// SPDX-License-Identifier: AGPL-3.0-or-later
#include "flood/weather.h"

#include <boost/json.hpp>
#include <cmath>
#include <cstdio>

#include "core/log.h"
#include "http/client.h"

namespace cleanai {

Result<double> RainNext24hFromForecast(const std::string& json, SystemTime now) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(json, ec);
  const boost::json::array* list = nullptr;
  if (!ec && v.is_object()) {
    if (const auto* l = v.as_object().if_contains("list")) list = l->if_array();
  }
  if (!list) return Err(Status::InvalidArgument("not an OpenWeather forecast: no list"));
  const double from = std::chrono::duration<double>(now.time_since_epoch()).count();
  double mm = 0;
  for (const auto& item : *list) {
    const auto* o = item.if_object();
    if (!o) continue;
    const auto* dt = o->if_contains("dt");
    if (!dt || !dt->is_number()) continue;
    double t = dt->to_number<double>();
    if (t < from || t >= from + 24 * 3600) continue;
    if (const auto* rain = o->if_contains("rain"); rain && rain->is_object()) {
      if (const auto* h3 = rain->as_object().if_contains("3h"); h3 && h3->is_number()) {
        double x = h3->to_number<double>();
        if (std::isfinite(x) && x >= 0 && x < 2000) mm += x;
      }
    }
  }
  return mm;
}

std::optional<double> WeatherClient::RainNext24h(double lat, double lng) {
  if (!configured()) return std::nullopt;
  std::pair<int, int> cell{static_cast<int>(std::floor(lat * 10)),
                           static_cast<int>(std::floor(lng * 10))};
  SystemTime now = clock_.Now();
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = cache_.find(cell);
    if (it != cache_.end()) {
      auto ttl = it->second.mm ? std::chrono::minutes(30) : std::chrono::minutes(5);
      if (now - it->second.fetched < ttl) return it->second.mm;
    }
  }
  // Asked for the cell's centre, so nearby areas share one answer.
  double clat = (cell.first + 0.5) / 10.0, clng = (cell.second + 0.5) / 10.0;
  std::optional<double> mm;
  char coords[96];
  std::snprintf(coords, sizeof coords, "lat=%.2f&lon=%.2f", clat, clng);
  OutgoingRequest req;
  req.url = url_ + (url_.find('?') == std::string::npos ? "?" : "&") + coords +
            "&units=metric&appid=" + UrlEscape(key_);
  req.timeout_seconds = timeout_;
  req.user_agent = "CleanAI flood-risk/1";
  auto resp = HttpGet(req);
  if (!resp || resp->status != 200) {
    // The URL carries the key: log neither.
    LogWarn("weather provider failed",
            {{"error", resp ? "HTTP " + std::to_string(resp->status) : resp.error().message()}});
  } else if (auto r = RainNext24hFromForecast(resp->body, now)) {
    mm = *r;
  } else {
    LogWarn("weather provider answered in an unknown format");
  }
  std::lock_guard<std::mutex> lock(mu_);
  cache_[cell] = {mm, now};
  return mm;
}

}  // namespace cleanai
