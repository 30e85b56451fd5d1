// SPDX-License-Identifier: AGPL-3.0-or-later
// The alert rules as plain predicates, so each boundary is tested exactly
// (alerts/rules_test.cc); alerts/engine.cc applies them to the data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/clock.h"
#include "core/config.h"

namespace cleanai {

// The configured dispatch limit for a priority, in seconds; 0 when the rule is off.
int DispatchLimitSeconds(const Config& config, const std::string& priority);
// A report still waiting for a truck `limit_seconds` or more after it was filed.
bool DispatchOverdue(SystemTime filed, SystemTime now, int limit_seconds);
// Hazardous and medical waste alert the moment they are reported.
bool IsHazardousType(const std::string& waste_type);
// `count` reports (the new one included) within the radius and window make a surge.
bool IsSurge(int64_t count, int threshold);
// Load at or above `percent` of capacity (a vehicle without capacity never alerts).
bool LoadHigh(int64_t load, int64_t capacity, int percent);
// A busy vehicle whose last position is `stale_seconds` old or older, or that never sent one.
bool GpsStale(const std::optional<SystemTime>& last_position, SystemTime now, int stale_seconds);
// Flood-risk levels that alert.
bool FloodAlerts(const std::string& level);

}  // namespace cleanai
