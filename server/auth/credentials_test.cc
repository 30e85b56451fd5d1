// SPDX-License-Identifier: AGPL-3.0-or-later
#include "auth/credentials.h"

#include <gtest/gtest.h>

#include "core/crypto.h"

namespace cleanai {
namespace {

class CredentialsTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(InitCrypto()); }
  SystemTime now_ = SystemClock().Now();
  AccessClaims Claims() {
    return {NewUuidV7(), "citizen", NewUuidV7(), now_, now_ + std::chrono::minutes(15)};
  }
};

TEST_F(CredentialsTest, Argon2idHashVerifies) {
  auto h = HashPassword("correct horse battery");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(VerifyPassword("correct horse battery", *h));
  EXPECT_FALSE(VerifyPassword("correct horse batterz", *h));
  EXPECT_FALSE(VerifyPassword("x", "not a hash"));
}

TEST_F(CredentialsTest, SignedTokenVerifies) {
  AccessClaims c = Claims();
  std::string t = SignAccessToken(c, "cleanai", "key-1");
  auto v = VerifyAccessToken(t, "cleanai", "key-1", now_);
  ASSERT_TRUE(v) << v.error().message();
  EXPECT_EQ(v->user_id, c.user_id);
  EXPECT_EQ(v->session_id, c.session_id);
  EXPECT_EQ(v->role, "citizen");
}

TEST_F(CredentialsTest, ExpiredWrongKeyWrongIssuerAndTamperedAreRefused) {
  std::string t = SignAccessToken(Claims(), "cleanai", "key-1");
  EXPECT_FALSE(VerifyAccessToken(t, "cleanai", "key-1", now_ + std::chrono::minutes(16)));
  EXPECT_FALSE(VerifyAccessToken(t, "cleanai", "key-2", now_));
  EXPECT_FALSE(VerifyAccessToken(t, "other", "key-1", now_));
  std::string tampered = t;
  tampered[tampered.find('.') + 5] ^= 1;
  EXPECT_FALSE(VerifyAccessToken(tampered, "cleanai", "key-1", now_));
  EXPECT_FALSE(VerifyAccessToken("a.b", "cleanai", "key-1", now_));
  EXPECT_FALSE(VerifyAccessToken("", "cleanai", "key-1", now_));
}

TEST_F(CredentialsTest, AlgorithmNoneAndOtherAlgorithmsAreRefused) {
  std::string t = SignAccessToken(Claims(), "cleanai", "key-1");
  std::string payload = t.substr(t.find('.') + 1, t.rfind('.') - t.find('.') - 1);
  std::string none = Base64UrlEncode(R"({"alg":"none","typ":"JWT"})") + "." + payload + ".";
  EXPECT_FALSE(VerifyAccessToken(none, "cleanai", "key-1", now_));
  std::string rs_header = Base64UrlEncode(R"({"alg":"RS256","typ":"JWT"})");
  std::string input = rs_header + "." + payload;
  std::string rs = input + "." + Base64UrlEncode(HmacSha256("key-1", input));
  EXPECT_FALSE(VerifyAccessToken(rs, "cleanai", "key-1", now_));
}

}  // namespace
}  // namespace cleanai
