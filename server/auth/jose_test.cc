// SPDX-License-Identifier: AGPL-3.0-or-later
// JWK Sets and JWS signatures with keys made here by OpenSSL: RS256 and ES256 verify;
// everything else (none, HS256, a changed byte, an unknown key, short RSA, a point off
// the curve) does not.
#include "auth/jose.h"

#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <boost/json.hpp>

#include "auth/oidc.h"
#include "core/crypto.h"

namespace cleanai {
namespace {

namespace json = boost::json;

EVP_PKEY* MakeKey(const char* type, int bits_or_zero) {
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr);
  EVP_PKEY* key = nullptr;
  EVP_PKEY_keygen_init(ctx);
  if (bits_or_zero)
    EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, bits_or_zero);
  else
    EVP_PKEY_CTX_set_group_name(ctx, "prime256v1");
  EVP_PKEY_generate(ctx, &key);
  EVP_PKEY_CTX_free(ctx);
  return key;
}

std::string Bn(EVP_PKEY* key, const char* name, size_t pad = 0) {
  BIGNUM* bn = nullptr;
  EVP_PKEY_get_bn_param(key, name, &bn);
  std::string out(std::max<size_t>(BN_num_bytes(bn), pad), '\0');
  BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(out.size()));
  BN_free(bn);
  return Base64UrlEncode(out);
}

json::object Jwk(EVP_PKEY* key, const std::string& kid) {
  if (EVP_PKEY_is_a(key, "RSA")) {
    return {{"kty", "RSA"},
            {"kid", kid},
            {"use", "sig"},
            {"alg", "RS256"},
            {"n", Bn(key, OSSL_PKEY_PARAM_RSA_N)},
            {"e", Bn(key, OSSL_PKEY_PARAM_RSA_E)}};
  }
  return {{"kty", "EC"},
          {"kid", kid},
          {"crv", "P-256"},
          {"x", Bn(key, OSSL_PKEY_PARAM_EC_PUB_X, 32)},
          {"y", Bn(key, OSSL_PKEY_PARAM_EC_PUB_Y, 32)}};
}

std::string Sign(EVP_PKEY* key, const json::object& header, const json::object& payload) {
  std::string input =
      Base64UrlEncode(json::serialize(header)) + "." + Base64UrlEncode(json::serialize(payload));
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  EVP_DigestSignInit(md, nullptr, EVP_sha256(), nullptr, key);
  size_t len = 0;
  EVP_DigestSign(md, nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()),
                 input.size());
  std::string sig(len, '\0');
  EVP_DigestSign(md, reinterpret_cast<unsigned char*>(sig.data()), &len,
                 reinterpret_cast<const unsigned char*>(input.data()), input.size());
  sig.resize(len);
  EVP_MD_CTX_free(md);
  if (EVP_PKEY_is_a(key, "EC")) {  // DER -> JOSE's r || s
    const auto* p = reinterpret_cast<const unsigned char*>(sig.data());
    ECDSA_SIG* s = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size()));
    std::string rs(64, '\0');
    BN_bn2binpad(ECDSA_SIG_get0_r(s), reinterpret_cast<unsigned char*>(rs.data()), 32);
    BN_bn2binpad(ECDSA_SIG_get0_s(s), reinterpret_cast<unsigned char*>(rs.data()) + 32, 32);
    ECDSA_SIG_free(s);
    sig = rs;
  }
  return input + "." + Base64UrlEncode(sig);
}

class JoseTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    InitCrypto();
    rsa_ = MakeKey("RSA", 2048);
    ec_ = MakeKey("EC", 0);
  }
  static void TearDownTestSuite() {
    EVP_PKEY_free(rsa_);
    EVP_PKEY_free(ec_);
  }
  std::vector<PublicJwk> Set() {
    json::object set{{"keys", json::array{Jwk(rsa_, "r1"), Jwk(ec_, "e1")}}};
    auto keys = ParseJwks(json::serialize(set));
    EXPECT_TRUE(keys);
    return keys ? *keys : std::vector<PublicJwk>{};
  }
  Status Check(const std::string& token) {
    auto d = DecodeJws(token);
    if (!d) return d.error();
    return VerifyJws(token, *d, Set());
  }
  static inline EVP_PKEY* rsa_ = nullptr;
  static inline EVP_PKEY* ec_ = nullptr;
  json::object payload_{{"sub", "amina"}, {"iss", "https://id.city.example"}};
};

TEST_F(JoseTest, Rs256AndEs256Verify) {
  EXPECT_EQ(Set().size(), 2u);
  EXPECT_TRUE(Check(Sign(rsa_, {{"alg", "RS256"}, {"kid", "r1"}}, payload_)).ok());
  EXPECT_TRUE(Check(Sign(ec_, {{"alg", "ES256"}, {"kid", "e1"}}, payload_)).ok());
  // No kid: any key of the right type may verify it.
  EXPECT_TRUE(Check(Sign(rsa_, {{"alg", "RS256"}}, payload_)).ok());
  auto d = DecodeJws(Sign(ec_, {{"alg", "ES256"}, {"kid", "e1"}}, payload_));
  ASSERT_TRUE(d);
  EXPECT_EQ(d->payload.at("sub").as_string(), "amina");
}

TEST_F(JoseTest, AChangedByteAnotherKeyOrAnUnknownKidIsRefused) {
  std::string token = Sign(rsa_, {{"alg", "RS256"}, {"kid", "r1"}}, payload_);
  json::object evil = payload_;
  evil["sub"] = "admin";
  std::string forged = token.substr(0, token.find('.')) + "." +
                       Base64UrlEncode(json::serialize(evil)) + token.substr(token.rfind('.'));
  EXPECT_EQ(Check(forged).code(), StatusCode::kUnauthenticated);
  EVP_PKEY* other = MakeKey("RSA", 2048);
  EXPECT_EQ(Check(Sign(other, {{"alg", "RS256"}, {"kid", "r1"}}, payload_)).code(),
            StatusCode::kUnauthenticated);
  EXPECT_EQ(Check(Sign(other, {{"alg", "RS256"}, {"kid", "r9"}}, payload_)).code(),
            StatusCode::kNotFound)
      << "an unknown kid asks for the set again";
  EVP_PKEY_free(other);
  // The EC key under the RSA key's id: the types do not match.
  EXPECT_EQ(Check(Sign(ec_, {{"alg", "ES256"}, {"kid", "r1"}}, payload_)).code(),
            StatusCode::kNotFound);
}

TEST_F(JoseTest, NoneHmacAndCritAreNeverAccepted) {
  std::string body = Base64UrlEncode(json::serialize(payload_));
  for (const char* header : {R"({"alg":"none"})", R"({"alg":"HS256","kid":"r1"})",
                             R"({"alg":"RS512","kid":"r1"})", R"({"kid":"r1"})"}) {
    auto d = DecodeJws(Base64UrlEncode(header) + "." + body + ".");
    EXPECT_FALSE(d) << header;
    if (!d) {
      EXPECT_EQ(d.error().code(), StatusCode::kUnauthenticated);
    }
  }
  EXPECT_FALSE(DecodeJws(Sign(rsa_, {{"alg", "RS256"}, {"crit", json::array{"exp"}}}, payload_)));
  for (const char* junk : {"", "a.b", "a.b.c.d", "!!.!!.!!", "e30.e30"})
    EXPECT_FALSE(DecodeJws(junk));
}

TEST_F(JoseTest, KeysThatAreTooWeakOrNotOnTheCurveAreLeftOut) {
  EVP_PKEY* small = MakeKey("RSA", 1024);
  json::object bad_point = Jwk(ec_, "bad");
  bad_point["y"] = Base64UrlEncode(std::string(32, '\x01'));
  json::object enc = Jwk(rsa_, "enc");
  enc["use"] = "enc";
  json::object set{{"keys", json::array{Jwk(small, "s"), bad_point, enc,
                                        json::object{{"kty", "oct"}, {"k", "c2VjcmV0"}}}}};
  auto keys = ParseJwks(json::serialize(set));
  ASSERT_TRUE(keys);
  EXPECT_TRUE(keys->empty());
  EVP_PKEY_free(small);
  EXPECT_FALSE(ParseJwks("[]"));
  EXPECT_FALSE(ParseJwks("{\"keys\": 3}"));
}

// RFC 7636, appendix B: the example verifier and its S256 challenge.
TEST(PkceTest, TheRfcExampleChallenge) {
  EXPECT_EQ(PkceChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

}  // namespace
}  // namespace cleanai
