// SPDX-License-Identifier: AGPL-3.0-or-later
#include "flood/risk.h"

#include <algorithm>

namespace cleanai {

double BlockageWeight(double age_days) { return 1.0 + std::clamp(age_days, 0.0, 14.0) / 7.0; }

double SizeVolume(const std::string& size) {
  if (size == "truck") return 10;
  if (size == "wheelbarrow") return 3;
  return 1;
}

double RainMultiplier(const std::optional<double>& rain_mm) {
  if (!rain_mm) return 1;
  if (*rain_mm < 1) return 0.5;
  if (*rain_mm < 10) return 1;
  if (*rain_mm < 30) return 1.5;
  if (*rain_mm < 60) return 2;
  return 3;
}

std::string FloodLevel(double index) {
  if (index < 2) return "low";
  if (index < 4) return "moderate";
  if (index < 8) return "high";
  return "severe";
}

FloodScore ScoreFlood(const FloodFactors& f) {
  FloodScore s;
  s.load = f.blockage + f.volume / 10.0;
  s.rain_multiplier = RainMultiplier(f.rain_mm);
  s.terrain_multiplier = f.low_lying ? 1.5 : 1.0;
  s.index = s.load * s.rain_multiplier * s.terrain_multiplier;
  s.level = FloodLevel(s.index);
  return s;
}

}  // namespace cleanai
