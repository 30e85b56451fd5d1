// SPDX-License-Identifier: AGPL-3.0-or-later
// The flood-risk index on constructed cases, and the forecast format it reads.
#include "flood/risk.h"

#include <gtest/gtest.h>

#include "flood/weather.h"

namespace cleanai {
namespace {

TEST(FloodRisk, BlockageGrowsWithAgeForTwoWeeks) {
  EXPECT_DOUBLE_EQ(BlockageWeight(0), 1.0);
  EXPECT_DOUBLE_EQ(BlockageWeight(7), 2.0);
  EXPECT_DOUBLE_EQ(BlockageWeight(14), 3.0);
  EXPECT_DOUBLE_EQ(BlockageWeight(40), 3.0);
  EXPECT_DOUBLE_EQ(BlockageWeight(-1), 1.0);  // a clock skewed into the future
}

TEST(FloodRisk, VolumeBySize) {
  EXPECT_EQ(SizeVolume("bag"), 1);
  EXPECT_EQ(SizeVolume("wheelbarrow"), 3);
  EXPECT_EQ(SizeVolume("truck"), 10);
  EXPECT_EQ(SizeVolume(""), 1);
}

TEST(FloodRisk, RainBandsAtTheirEdges) {
  EXPECT_EQ(RainMultiplier(std::nullopt), 1);
  EXPECT_EQ(RainMultiplier(0.99), 0.5);
  EXPECT_EQ(RainMultiplier(1), 1);
  EXPECT_EQ(RainMultiplier(9.99), 1);
  EXPECT_EQ(RainMultiplier(10), 1.5);
  EXPECT_EQ(RainMultiplier(30), 2);
  EXPECT_EQ(RainMultiplier(59.9), 2);
  EXPECT_EQ(RainMultiplier(60), 3);
}

TEST(FloodRisk, LevelsAtTheirEdges) {
  EXPECT_EQ(FloodLevel(1.999), "low");
  EXPECT_EQ(FloodLevel(2), "moderate");
  EXPECT_EQ(FloodLevel(3.999), "moderate");
  EXPECT_EQ(FloodLevel(4), "high");
  EXPECT_EQ(FloodLevel(7.999), "high");
  EXPECT_EQ(FloodLevel(8), "severe");
}

TEST(FloodRisk, ConstructedStreets) {
  // One fresh blocked drain, a dry day: low.
  FloodScore dry = ScoreFlood({1, 1, 0.0, false});
  EXPECT_DOUBLE_EQ(dry.index, 1.1 * 0.5);
  EXPECT_EQ(dry.level, "low");
  // Three fresh blockages, bags beside them, 40 mm coming: (3 + 0.3) × 2 = 6.6, high.
  FloodScore wet = ScoreFlood({3, 3, 40.0, false});
  EXPECT_DOUBLE_EQ(wet.index, 6.6);
  EXPECT_EQ(wet.level, "high");
  // The same street marked low-lying: 9.9, severe.
  FloodScore low = ScoreFlood({3, 3, 40.0, true});
  EXPECT_DOUBLE_EQ(low.index, 9.9);
  EXPECT_EQ(low.level, "severe");
  // A truckload of rubbish with no blocked drain counts a tenth as much as a drain.
  EXPECT_DOUBLE_EQ(ScoreFlood({0, 10, std::nullopt, false}).index, 1.0);
}

TEST(Forecast, SumsTheThreeHourRainOfTheNextDay) {
  SystemTime now = SystemTime(std::chrono::seconds(1'800'000'000));
  std::string json = R"({"cod":"200","list":[
    {"dt":1799999000,"rain":{"3h":50}},
    {"dt":1800000000,"rain":{"3h":2.5}},
    {"dt":1800010800,"weather":[{"main":"Clouds"}]},
    {"dt":1800021600,"rain":{"3h":10}},
    {"dt":1800086399,"rain":{"3h":1}},
    {"dt":1800086400,"rain":{"3h":100}}]})";
  auto mm = RainNext24hFromForecast(json, now);
  ASSERT_TRUE(mm.has_value());
  EXPECT_DOUBLE_EQ(*mm, 13.5);
  EXPECT_FALSE(RainNext24hFromForecast("{\"message\":\"Invalid API key\"}", now).has_value());
  EXPECT_FALSE(RainNext24hFromForecast("not json", now).has_value());
}

}  // namespace
}  // namespace cleanai
