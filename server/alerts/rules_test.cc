// SPDX-License-Identifier: AGPL-3.0-or-later
// Each alert rule at its boundary: one step below does not fire, the boundary does.
#include "alerts/rules.h"

#include <gtest/gtest.h>

namespace cleanai {
namespace {

SystemTime At(int64_t seconds) { return SystemTime(std::chrono::seconds(seconds)); }

TEST(AlertRules, DispatchOverdueFiresAtTheLimitNotBefore) {
  SystemTime filed = At(1'000'000);
  EXPECT_FALSE(DispatchOverdue(filed, filed + std::chrono::milliseconds(3'599'999), 3600));
  EXPECT_TRUE(DispatchOverdue(filed, filed + std::chrono::seconds(3600), 3600));
  EXPECT_TRUE(DispatchOverdue(filed, filed + std::chrono::hours(5), 3600));
  EXPECT_FALSE(DispatchOverdue(filed, filed + std::chrono::hours(500), 0));  // rule off
}

TEST(AlertRules, DispatchLimitsComeFromTheConfigurationPerPriority) {
  Config c;
  c.alerts_dispatch_limit_urgent_seconds = 60;
  c.alerts_dispatch_limit_high_seconds = 120;
  c.alerts_dispatch_limit_medium_seconds = 0;
  c.alerts_dispatch_limit_low_seconds = 999;
  EXPECT_EQ(DispatchLimitSeconds(c, "urgent"), 60);
  EXPECT_EQ(DispatchLimitSeconds(c, "high"), 120);
  EXPECT_EQ(DispatchLimitSeconds(c, "medium"), 0);
  EXPECT_EQ(DispatchLimitSeconds(c, "low"), 999);
  EXPECT_EQ(DispatchLimitSeconds(c, "whatever"), 0);
}

TEST(AlertRules, HazardousAndMedicalOnly) {
  EXPECT_TRUE(IsHazardousType("hazardous"));
  EXPECT_TRUE(IsHazardousType("medical"));
  for (const char* t : {"plastic", "e-waste", "construction", "mixed", "other", ""}) {
    EXPECT_FALSE(IsHazardousType(t)) << t;
  }
}

TEST(AlertRules, SurgeAtTheThreshold) {
  EXPECT_FALSE(IsSurge(4, 5));
  EXPECT_TRUE(IsSurge(5, 5));
  EXPECT_TRUE(IsSurge(6, 5));
}

TEST(AlertRules, LoadAtNinetyPercent) {
  EXPECT_FALSE(LoadHigh(89, 100, 90));
  EXPECT_TRUE(LoadHigh(90, 100, 90));
  EXPECT_FALSE(LoadHigh(8, 9, 90));  // 88.9 %
  EXPECT_TRUE(LoadHigh(9, 10, 90));
  EXPECT_FALSE(LoadHigh(17, 19, 90));  // 89.5 %: integer arithmetic does not round up
  EXPECT_TRUE(LoadHigh(18, 20, 90));
  EXPECT_FALSE(LoadHigh(5, 0, 90));  // no capacity recorded
}

TEST(AlertRules, GpsStaleAtTheLimitOrWithoutAnyPosition) {
  SystemTime now = At(2'000'000);
  EXPECT_FALSE(GpsStale(now - std::chrono::milliseconds(599'999), now, 600));
  EXPECT_TRUE(GpsStale(now - std::chrono::seconds(600), now, 600));
  EXPECT_TRUE(GpsStale(std::nullopt, now, 600));
}

TEST(AlertRules, FloodAlertsFromHighUp) {
  EXPECT_FALSE(FloodAlerts("low"));
  EXPECT_FALSE(FloodAlerts("moderate"));
  EXPECT_TRUE(FloodAlerts("high"));
  EXPECT_TRUE(FloodAlerts("severe"));
}

}  // namespace
}  // namespace cleanai
