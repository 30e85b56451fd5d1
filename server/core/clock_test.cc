// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/clock.h"

#include <gtest/gtest.h>

namespace cleanai {
namespace {

TEST(ClockTest, FormatParseRoundTrip) {
  SystemTime t(std::chrono::milliseconds(1795545010123));
  std::string s = FormatTime(t);
  EXPECT_EQ(s, "2026-11-24T18:30:10.123Z");
  SystemTime back;
  ASSERT_TRUE(ParseTime(s, &back));
  EXPECT_EQ(back, t);
}

TEST(ClockTest, ParsesPostgresTextOutput) {
  SystemTime a, b;
  ASSERT_TRUE(ParseTime("2026-11-24 18:30:10.123+00", &a));
  ASSERT_TRUE(ParseTime("2026-11-24T23:30:10.123+05:00", &b));
  EXPECT_EQ(FormatTime(a), "2026-11-24T18:30:10.123Z");
  EXPECT_EQ(a, b);
  ASSERT_TRUE(ParseTime("2026-11-24 18:30:10+00", &a));
  EXPECT_EQ(FormatTime(a), "2026-11-24T18:30:10.000Z");
}

TEST(ClockTest, RejectsGarbage) {
  SystemTime t;
  EXPECT_FALSE(ParseTime("", &t));
  EXPECT_FALSE(ParseTime("yesterday", &t));
  EXPECT_FALSE(ParseTime("2026-13-01T00:00:00Z", &t));
  EXPECT_FALSE(ParseTime("2026-11-24T18:30:10Q", &t));
}

}  // namespace
}  // namespace cleanai
