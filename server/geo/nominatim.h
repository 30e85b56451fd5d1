// SPDX-License-Identifier: AGPL-3.0-or-later
// Street addresses from a Nominatim server (OpenStreetMap's geocoder), when one is
// configured and reachable: GET {url}/reverse?format=jsonv2&lat=…&lon=…&zoom=18. Kept
// within Nominatim's usage policy: at most one request a second from this server (others
// get no street rather than wait), an identifying User-Agent, answers cached per ~11 m.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "core/status.h"

namespace cleanai {

// "12 Mall Road, Gulberg" from a jsonv2 reverse answer: house number and road, then the
// neighbourhood; the first two parts of display_name when there is no road. InvalidArgument
// for anything else (an "error" answer in the open sea, say).
Result<std::string> StreetFromNominatim(const std::string& json);

class StreetGeocoder {
 public:
  StreetGeocoder(std::string url, int timeout_seconds, std::string user_agent)
      : url_(std::move(url)), timeout_(timeout_seconds), user_agent_(std::move(user_agent)) {}

  bool configured() const { return !url_.empty(); }
  std::optional<std::string> Street(double lat, double lng);

 private:
  std::string url_;
  int timeout_;
  std::string user_agent_;
  std::mutex mu_;
  std::map<std::pair<int64_t, int64_t>, std::optional<std::string>> cache_;
  std::chrono::steady_clock::time_point last_call_{};
};

}  // namespace cleanai
