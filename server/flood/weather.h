// SPDX-License-Identifier: AGPL-3.0-or-later
// Rainfall expected in the next 24 hours from a weather provider that speaks OpenWeather's
// 5-day / 3-hour forecast format (GET url?lat=…&lon=…&appid=…&units=metric →
// {"list": [{"dt": unix seconds, "rain": {"3h": mm}}, …]}). Answers are cached per 0.1°
// cell for 30 minutes, failures for 5, so the provider sees a handful of calls an hour.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "core/clock.h"
#include "core/status.h"

namespace cleanai {

// Millimetres of rain in forecast entries whose time lies in [now, now + 24 h).
// InvalidArgument when `json` is not that format.
Result<double> RainNext24hFromForecast(const std::string& json, SystemTime now);

class WeatherClient {
 public:
  WeatherClient(std::string url, std::string api_key, int timeout_seconds, const Clock& clock)
      : url_(std::move(url)), key_(std::move(api_key)), timeout_(timeout_seconds), clock_(clock) {}

  bool configured() const { return !url_.empty(); }
  // nullopt when not configured or the provider failed (logged without the key).
  std::optional<double> RainNext24h(double lat, double lng);

 private:
  struct Entry {
    std::optional<double> mm;
    SystemTime fetched;
  };
  std::string url_, key_;
  int timeout_;
  const Clock& clock_;
  std::mutex mu_;
  std::map<std::pair<int, int>, Entry> cache_;
};

}  // namespace cleanai
