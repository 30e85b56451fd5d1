// SPDX-License-Identifier: AGPL-3.0-or-later
// Web Push crypto against RFC 8291's Appendix A (byte for byte) and the VAPID token's
// shape and signature.
#include "notify/webpush.h"

#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>

#include "core/crypto.h"

namespace cleanai {
namespace {

std::string B64(const char* s) {
  std::string out;
  EXPECT_TRUE(Base64UrlDecode(s, &out)) << s;
  return out;
}

// RFC 8291 Appendix A (published test data, not credentials).
constexpr const char* kUaPublic =
    "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
constexpr const char* kAuth = "BTBZMqHH6r4Tts7J_aSIgg";
constexpr const char* kSalt = "DGv6ra1nlYgDCS1FRnbzlw";
constexpr const char* kSenderPrivate = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw";
constexpr const char* kBody =
    "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_"
    "c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6Tl"
    "zAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_"
    "Qulcy4a-fN";

TEST(WebPush, EncryptsTheRfc8291ExampleByteForByte) {
  auto body = EncryptPushPayload("When I grow up, I want to be a watermelon", B64(kUaPublic),
                                 B64(kAuth), B64(kSalt), B64(kSenderPrivate));
  ASSERT_TRUE(body) << body.error().message();
  EXPECT_EQ(Base64UrlEncode(*body), kBody);
}

TEST(WebPush, FreshSaltAndKeyEachTime) {
  auto a = EncryptPushPayload("hello", B64(kUaPublic), B64(kAuth));
  auto b = EncryptPushPayload("hello", B64(kUaPublic), B64(kAuth));
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->size(), 86u + 5 + 1 + 16);
  EXPECT_NE(a->substr(0, 16), b->substr(0, 16));
  EXPECT_NE(a->substr(21, 65), b->substr(21, 65));
}

TEST(WebPush, RefusesBadKeysAndOversizedPayloads) {
  EXPECT_TRUE(ValidSubscriptionKeys(kUaPublic, kAuth));
  std::string off_curve = B64(kUaPublic);
  off_curve[64] ^= 1;  // y no longer matches x
  EXPECT_FALSE(ValidSubscriptionKeys(Base64UrlEncode(off_curve), kAuth));
  EXPECT_FALSE(ValidSubscriptionKeys(kUaPublic, "c2hvcnQ"));
  EXPECT_FALSE(ValidSubscriptionKeys("not base64!", kAuth));
  EXPECT_FALSE(ValidSubscriptionKeys(Base64UrlEncode(B64(kUaPublic).substr(1)), kAuth));
  EXPECT_FALSE(EncryptPushPayload("x", off_curve, B64(kAuth)));
  EXPECT_FALSE(EncryptPushPayload(std::string(3994, 'x'), B64(kUaPublic), B64(kAuth)));
  EXPECT_TRUE(EncryptPushPayload(std::string(3993, 'x'), B64(kUaPublic), B64(kAuth)));
}

TEST(WebPush, OnlyPushServicesMayBeSubscriptionEndpoints) {
  const std::vector<std::string> hosts = {"fcm.googleapis.com", "push.apple.com", "127.0.0.1"};
  EXPECT_TRUE(PushEndpointAllowed("https://fcm.googleapis.com/fcm/send/abc", hosts));
  EXPECT_TRUE(PushEndpointAllowed("https://web.push.apple.com/QGuQ", hosts));
  EXPECT_TRUE(PushEndpointAllowed("https://FCM.googleapis.com:443/x", hosts));
  EXPECT_TRUE(PushEndpointAllowed("http://127.0.0.1:8080/push/1", hosts));
  EXPECT_FALSE(PushEndpointAllowed("http://fcm.googleapis.com/x", hosts));  // not https
  EXPECT_FALSE(PushEndpointAllowed("https://evilfcm.googleapis.com.example/x", hosts));
  EXPECT_FALSE(PushEndpointAllowed("https://notpush.apple.com.evil/x", hosts));
  EXPECT_FALSE(PushEndpointAllowed("https://xpush.apple.com/x", hosts));  // not a subdomain
  EXPECT_FALSE(PushEndpointAllowed("https://user@fcm.googleapis.com/x", hosts));
  EXPECT_FALSE(PushEndpointAllowed("https://10.0.0.5/x", hosts));
  EXPECT_FALSE(PushEndpointAllowed("http://localhost:8080/x", hosts));  // not listed
  EXPECT_FALSE(PushEndpointAllowed("http://127.0.0.1.nip.example/x", hosts));
  EXPECT_FALSE(PushEndpointAllowed("ftp://fcm.googleapis.com/x", hosts));
  EXPECT_FALSE(PushEndpointAllowed("fcm.googleapis.com/x", hosts));
}

TEST(WebPush, OriginOfAnEndpoint) {
  EXPECT_EQ(UrlOrigin("https://fcm.googleapis.com/fcm/send/abc"), "https://fcm.googleapis.com");
  EXPECT_EQ(UrlOrigin("http://127.0.0.1:8080/push/1?x"), "http://127.0.0.1:8080");
  EXPECT_EQ(UrlOrigin("no-scheme"), "");
}

// Verifies an ES256 JWS with the raw public point, as a push service does.
bool VerifyEs256(const std::string& signing_input, const std::string& raw_sig,
                 const std::string& point) {
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0);
  OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size());
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
  EVP_PKEY_CTX* pctx = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
  EVP_PKEY* key = nullptr;
  EVP_PKEY_fromdata_init(pctx);
  EVP_PKEY_fromdata(pctx, &key, EVP_PKEY_PUBLIC_KEY, params);
  ECDSA_SIG* sig = ECDSA_SIG_new();
  ECDSA_SIG_set0(
      sig, BN_bin2bn(reinterpret_cast<const unsigned char*>(raw_sig.data()), 32, nullptr),
      BN_bin2bn(reinterpret_cast<const unsigned char*>(raw_sig.data()) + 32, 32, nullptr));
  unsigned char* der = nullptr;
  int der_len = i2d_ECDSA_SIG(sig, &der);
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  bool ok = key && EVP_DigestVerifyInit(md, nullptr, EVP_sha256(), nullptr, key) == 1 &&
            EVP_DigestVerify(md, der, static_cast<size_t>(der_len),
                             reinterpret_cast<const unsigned char*>(signing_input.data()),
                             signing_input.size()) == 1;
  EVP_MD_CTX_free(md);
  OPENSSL_free(der);
  ECDSA_SIG_free(sig);
  EVP_PKEY_free(key);
  EVP_PKEY_CTX_free(pctx);
  OSSL_PARAM_free(params);
  OSSL_PARAM_BLD_free(bld);
  return ok;
}

TEST(WebPush, VapidKeyIsMadeOnceAndSignsForTheEndpointsOrigin) {
  ASSERT_TRUE(InitCrypto());
  auto dir = std::filesystem::temp_directory_path() / ("vapid-" + Base64UrlEncode(RandomBytes(6)));
  auto key = VapidKey::LoadOrCreate((dir / "secrets").string());
  ASSERT_TRUE(key) << key.error().message();
  EXPECT_EQ((std::filesystem::status(dir / "secrets" / "vapid.pem").permissions() &
             std::filesystem::perms::all),
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  auto again = VapidKey::LoadOrCreate((dir / "secrets").string());
  ASSERT_TRUE(again);
  EXPECT_EQ((*key)->public_key(), (*again)->public_key());
  EXPECT_EQ(B64((*key)->public_key().c_str()).size(), 65u);

  const SystemTime now =
      std::chrono::time_point_cast<SystemTime::duration>(std::chrono::system_clock::now());
  auto header =
      (*again)->Authorization("https://push.example.net/send/abc", "mailto:ops@city.example", now);
  ASSERT_TRUE(header);
  ASSERT_EQ(header->rfind("vapid t=", 0), 0u);
  const size_t comma = header->find(", k=");
  ASSERT_NE(comma, std::string::npos);
  EXPECT_EQ(header->substr(comma + 4), (*key)->public_key());
  const std::string jwt = header->substr(8, comma - 8);
  const size_t dot2 = jwt.rfind('.');
  const std::string claims_b64 = jwt.substr(jwt.find('.') + 1, dot2 - jwt.find('.') - 1);
  auto claims = boost::json::parse(B64(claims_b64.c_str())).as_object();
  EXPECT_EQ(claims.at("aud").as_string(), "https://push.example.net");
  EXPECT_EQ(claims.at("sub").as_string(), "mailto:ops@city.example");
  const int64_t exp = claims.at("exp").as_int64();
  const int64_t now_s =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  EXPECT_GT(exp, now_s);
  EXPECT_LE(exp, now_s + 24 * 3600);  // RFC 8292: no more than 24 hours
  const std::string sig = B64(jwt.substr(dot2 + 1).c_str());
  ASSERT_EQ(sig.size(), 64u);
  EXPECT_TRUE(VerifyEs256(jwt.substr(0, dot2), sig, B64((*key)->public_key().c_str())));
  std::string forged = sig;
  forged[10] ^= 1;
  EXPECT_FALSE(VerifyEs256(jwt.substr(0, dot2), forged, B64((*key)->public_key().c_str())));
  std::filesystem::remove_all(dir);
}

TEST(WebPush, AnUnreadableKeyFileIsAClearError) {
  auto dir = std::filesystem::temp_directory_path() / ("vapid-" + Base64UrlEncode(RandomBytes(6)));
  std::filesystem::create_directories(dir / "secrets");
  { std::ofstream(dir / "secrets" / "vapid.pem") << "not a key"; }
  auto key = VapidKey::LoadOrCreate((dir / "secrets").string());
  ASSERT_FALSE(key);
  EXPECT_NE(key.error().message().find("vapid.pem"), std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace cleanai
