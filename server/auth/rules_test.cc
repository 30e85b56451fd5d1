// SPDX-License-Identifier: AGPL-3.0-or-later
#include <gtest/gtest.h>

#include "auth/auth.h"

namespace cleanai {
namespace {

TEST(RulesTest, Usernames) {
  EXPECT_EQ(CheckUsername("ali_khan.99"), "");
  EXPECT_NE(CheckUsername("al"), "");
  EXPECT_NE(CheckUsername("_ali"), "");
  EXPECT_NE(CheckUsername("ali khan"), "");
  EXPECT_NE(CheckUsername(std::string(51, 'a')), "");
  EXPECT_NE(CheckUsername("علی"), "");
}

TEST(RulesTest, Emails) {
  EXPECT_EQ(CheckEmail("ali@lahore.gov.pk"), "");
  EXPECT_NE(CheckEmail("ali"), "");
  EXPECT_NE(CheckEmail("ali@localhost"), "");
  EXPECT_NE(CheckEmail("a@b@c.pk"), "");
  EXPECT_NE(CheckEmail("ali @x.pk"), "");
  EXPECT_NE(CheckEmail("ali@x.pk\r\nBcc: all@x.pk"), "");
  EXPECT_NE(CheckEmail("ali@x..pk"), "");
}

TEST(RulesTest, Passwords) {
  EXPECT_EQ(CheckPassword("a long passphrase", "ali", "ali@x.pk"), "");
  EXPECT_NE(CheckPassword("short", "ali", "ali@x.pk"), "");
  EXPECT_NE(CheckPassword(std::string(129, 'p'), "ali", "ali@x.pk"), "");
  EXPECT_NE(CheckPassword("AliKhan123", "alikhan123", "a@x.pk"), "");
  EXPECT_NE(CheckPassword("ali@lahore.pk", "someone", "ALI@lahore.pk"), "");
  // Length counts characters, not bytes: ten Urdu letters are enough.
  EXPECT_EQ(CheckPassword("ابپتٹثجچحخ", "ali", "ali@x.pk"), "");
}

TEST(RulesTest, Phones) {
  EXPECT_EQ(CheckPhone("+923001234567"), "");
  EXPECT_NE(CheckPhone("03001234567"), "");
  EXPECT_NE(CheckPhone("+92 300 1234567"), "");
  EXPECT_NE(CheckPhone("+1"), "");
}

}  // namespace
}  // namespace cleanai
