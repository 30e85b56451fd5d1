// SPDX-License-Identifier: AGPL-3.0-or-later
// The flood-risk index: a guide for crews to clear the drains that matter first, not a
// hydrological model. Per area (a 0.01° cell, about 1.1 km):
//
//   blockage  B = Σ over open reports of waste blocking a drain: 1 + min(age in days, 14) / 7
//                 (a fresh blockage counts 1, one left for two weeks counts 3)
//   volume    V = Σ over all open reports in the area: bag 1, wheelbarrow 3, truck 10
//                 (unknown size counts as a bag)
//   load      L = B + V / 10
//   rain      M = 0.5 below 1 mm expected in the next 24 h, 1 below 10 mm, 1.5 below 30 mm,
//                 2 below 60 mm, 3 from 60 mm; 1 when no forecast or entry is known
//   terrain   G = 1.5 inside an area an admin marked as low-lying, else 1
//   index     I = L × M × G   → low below 2, moderate below 4, high below 8, severe from 8
//
// So one fresh blocked drain in a dry week is low; three under heavy rain are high; the
// same three in a low-lying street are severe. docs/architecture.md explains the choice.
#pragma once

#include <optional>
#include <string>

namespace cleanai {

struct FloodFactors {
  double blockage = 0;            // B
  double volume = 0;              // V
  std::optional<double> rain_mm;  // expected in the next 24 h; nullopt: unknown
  bool low_lying = false;
};

struct FloodScore {
  double load = 0, rain_multiplier = 1, terrain_multiplier = 1, index = 0;
  std::string level;  // low, moderate, high, severe
};

// One drain-blocking report's weight for its age in days (negative ages count as 0).
double BlockageWeight(double age_days);
// A report's volume by its size (bag, wheelbarrow, truck; anything else counts as a bag).
double SizeVolume(const std::string& size);
double RainMultiplier(const std::optional<double>& rain_mm);
std::string FloodLevel(double index);
FloodScore ScoreFlood(const FloodFactors& f);

}  // namespace cleanai
