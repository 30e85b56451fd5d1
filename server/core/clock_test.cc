// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/clock.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <ctime>

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

TEST(ClockTest, FormatsEveryPartOfTheCalendar) {
  using std::chrono::milliseconds;
  EXPECT_EQ(FormatTime(SystemTime(milliseconds(0))), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatTime(SystemTime(milliseconds(-1))), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(FormatTime(SystemTime(milliseconds(951782400000))), "2000-02-29T00:00:00.000Z");
  EXPECT_EQ(FormatTime(SystemTime(milliseconds(253402300799999))), "9999-12-31T23:59:59.999Z");
  EXPECT_EQ(FormatTime(SystemTime(milliseconds(253402300800000))), "10000-01-01T00:00:00.000Z");
  // Through 2024 (a leap year) a day less 7.777 s at a time, so that the time of day and
  // the milliseconds move too: the same text as the C library's calendar.
  for (int64_t ms = 1704067200000; ms < 1735689600000; ms += 86400000 - 7777) {
    std::time_t secs = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char want[64];
    std::snprintf(want, sizeof want, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<int>(ms % 1000));
    ASSERT_EQ(FormatTime(SystemTime(milliseconds(ms))), want) << ms;
  }
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
