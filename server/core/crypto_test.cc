// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/crypto.h"

#include <gtest/gtest.h>

#include <set>

namespace cleanai {
namespace {

class CryptoTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(InitCrypto()); }
};

TEST_F(CryptoTest, Base64UrlRoundTripWithoutPadding) {
  std::string bytes = "\xff\xfe\x00\x01hello";
  bytes.push_back('\0');
  std::string enc = Base64UrlEncode(bytes);
  EXPECT_EQ(enc.find('='), std::string::npos);
  EXPECT_EQ(enc.find('+'), std::string::npos);
  std::string dec;
  ASSERT_TRUE(Base64UrlDecode(enc, &dec));
  EXPECT_EQ(dec, bytes);
  EXPECT_FALSE(Base64UrlDecode("not base64!", &dec));
}

TEST_F(CryptoTest, Sha256KnownVector) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_F(CryptoTest, HmacSha256KnownVector) {
  // RFC 4231 test case 2.
  std::string mac = HmacSha256("Jefe", "what do ya want for nothing?");
  std::string hex;
  for (unsigned char c : mac) {
    char b[3];
    snprintf(b, sizeof b, "%02x", c);
    hex += b;
  }
  EXPECT_EQ(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_F(CryptoTest, UuidV7IsVersionedUniqueAndTimeOrdered) {
  std::set<std::string> seen;
  std::string prev;
  for (int i = 0; i < 1000; ++i) {
    std::string id = NewUuidV7();
    ASSERT_TRUE(IsUuid(id)) << id;
    EXPECT_EQ(id[14], '7');
    EXPECT_TRUE(id[19] == '8' || id[19] == '9' || id[19] == 'a' || id[19] == 'b');
    EXPECT_TRUE(seen.insert(id).second);
    EXPECT_GT(id.substr(0, 18), prev.substr(0, 18)) << "ids must increase: " << prev << " " << id;
    prev = id;
  }
  EXPECT_FALSE(IsUuid("01a20ed2-8fb9-73a4-8fd9-e3f0292c13bZ"));
  EXPECT_FALSE(IsUuid("' OR 1=1 --"));
}

}  // namespace
TEST_F(CryptoTest, UuidV7AtCarriesTheGivenTime) {
  std::string a = UuidV7At(1'700'000'000'000), b = UuidV7At(1'700'000'000'001);
  EXPECT_TRUE(IsUuid(a));
  EXPECT_EQ(a[14], '7');                                          // version
  EXPECT_NE(std::string("89ab").find(a[19]), std::string::npos);  // variant
  EXPECT_EQ(a.substr(0, 13), "018bcfe5-6800");                    // 1,700,000,000,000 ms in hex
  EXPECT_LT(a, b);
  EXPECT_EQ(UuidV7Floor(1'700'000'000'000), "018bcfe5-6800-7000-8000-000000000000");
  EXPECT_LE(UuidV7Floor(1'700'000'000'000), a);
  EXPECT_GT(UuidV7Floor(1'700'000'000'001), a);
  EXPECT_LE(UuidV7Floor(1'700'000'000'000), NewUuidV7());
}

}  // namespace cleanai
