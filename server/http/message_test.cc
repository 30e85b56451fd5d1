// SPDX-License-Identifier: AGPL-3.0-or-later
// Query-string value parsers shared by the handlers.
#include "http/message.h"

#include <gtest/gtest.h>

namespace cleanai {
namespace {

TEST(ParseBoundingBox, FourNumbersInTheWorldMinNotAboveMax) {
  auto b = ParseBoundingBox("60.5,20,78,37.25");
  ASSERT_TRUE(b.has_value());
  EXPECT_DOUBLE_EQ(b->min_lng, 60.5);
  EXPECT_DOUBLE_EQ(b->min_lat, 20);
  EXPECT_DOUBLE_EQ(b->max_lng, 78);
  EXPECT_DOUBLE_EQ(b->max_lat, 37.25);
  EXPECT_TRUE(ParseBoundingBox("-180,-90,180,90").has_value());
  for (const char* bad : {"", "60,20,78", "60,20,78,37,1", "60,20,,78,37", "60,20,78,37,",
                          ",60,20,78", "60,20,78,x", "78,20,60,37", "60,37,78,20", "-181,0,0,0",
                          "0,0,0,91", "nan,0,1,1", "inf,0,1,1", "1e400,0,1,1", "60 ,20,78,37"}) {
    EXPECT_FALSE(ParseBoundingBox(bad).has_value()) << bad;
  }
}

TEST(ParseFiniteDouble, WholeFiniteNumbersOnly) {
  double v = 0;
  EXPECT_TRUE(ParseFiniteDouble("-74.5", &v));
  EXPECT_DOUBLE_EQ(v, -74.5);
  for (const char* bad : {"", "1x", "nan", "inf", "1e999", "123456789012345678901234567890123"}) {
    EXPECT_FALSE(ParseFiniteDouble(bad, &v)) << bad;
  }
}

}  // namespace
}  // namespace cleanai
