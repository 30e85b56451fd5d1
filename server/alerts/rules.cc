// SPDX-License-Identifier: AGPL-3.0-or-later
#include "alerts/rules.h"

namespace cleanai {

int DispatchLimitSeconds(const Config& config, const std::string& priority) {
  if (priority == "urgent") return config.alerts_dispatch_limit_urgent_seconds;
  if (priority == "high") return config.alerts_dispatch_limit_high_seconds;
  if (priority == "medium") return config.alerts_dispatch_limit_medium_seconds;
  if (priority == "low") return config.alerts_dispatch_limit_low_seconds;
  return 0;
}

bool DispatchOverdue(SystemTime filed, SystemTime now, int limit_seconds) {
  return limit_seconds > 0 && now - filed >= std::chrono::seconds(limit_seconds);
}

bool IsHazardousType(const std::string& waste_type) {
  return waste_type == "hazardous" || waste_type == "medical";
}

bool IsSurge(int64_t count, int threshold) { return count >= threshold; }

bool LoadHigh(int64_t load, int64_t capacity, int percent) {
  return capacity > 0 && load * 100 >= static_cast<int64_t>(percent) * capacity;
}

bool GpsStale(const std::optional<SystemTime>& last_position, SystemTime now, int stale_seconds) {
  return !last_position || now - *last_position >= std::chrono::seconds(stale_seconds);
}

bool FloodAlerts(const std::string& level) { return level == "high" || level == "severe"; }

}  // namespace cleanai
