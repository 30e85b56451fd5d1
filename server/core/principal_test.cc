// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/principal.h"

#include <gtest/gtest.h>

namespace cleanai {
namespace {

TEST(PrincipalTest, RoleNamesRoundTripAndUnknownNamesAreNone) {
  for (Role r : {Role::kCitizen, Role::kDriver, Role::kAdmin}) {
    EXPECT_EQ(ParseRole(RoleName(r)), r);
  }
  EXPECT_EQ(RoleName(Role::kAdmin), "admin");
  EXPECT_EQ(ParseRole("Admin"), std::nullopt);
  EXPECT_EQ(ParseRole(""), std::nullopt);
  Principal p{"u1", "ana", Role::kDriver, "s1"};
  EXPECT_TRUE(p.is_driver());
  EXPECT_FALSE(p.is_admin());
}

}  // namespace
}  // namespace cleanai
