// SPDX-License-Identifier: AGPL-3.0-or-later
#include "auth/credentials.h"

#include <sodium.h>

#include <boost/json.hpp>

#include "auth/signing_keys.h"
#include "core/crypto.h"

namespace cleanai {

Result<std::string> HashPassword(const std::string& password) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Err(Status::Internal("password hashing ran out of memory"));
  }
  return std::string(out);
}

bool VerifyPassword(const std::string& password, const std::string& hash) {
  if (hash.size() >= crypto_pwhash_STRBYTES) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

void BurnPasswordCheck(const std::string& password) {
  static const std::string kDummy = [] {
    auto h = HashPassword("not-a-real-password-just-for-timing");
    return h ? *h : std::string();
  }();
  (void)VerifyPassword(password, kDummy);
}

namespace {
int64_t Seconds(SystemTime t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}
SystemTime FromSeconds(int64_t s) { return SystemTime(std::chrono::milliseconds(s * 1000)); }
}  // namespace

std::string SignAccessToken(const AccessClaims& c, const std::string& issuer,
                            const std::string& key) {
  // The key's id lets an operator see which key signed a token (rotation); verification
  // does not trust it.
  const std::string header =
      Base64UrlEncode(R"({"alg":"HS256","typ":"JWT","kid":")" + SigningKeyId(key) + "\"}");
  boost::json::object payload{{"iss", issuer},
                              {"sub", c.user_id},
                              {"role", c.role},
                              {"sid", c.session_id},
                              {"iat", Seconds(c.issued_at)},
                              {"exp", Seconds(c.expires_at)}};
  std::string signing_input = header + "." + Base64UrlEncode(boost::json::serialize(payload));
  return signing_input + "." + Base64UrlEncode(HmacSha256(key, signing_input));
}

Result<AccessClaims> VerifyAccessToken(const std::string& token, const std::string& issuer,
                                       const std::string& key, SystemTime now) {
  auto fail = [](const char* why) { return Err(Status::Unauthenticated(why)); };
  if (token.size() > 4096) return fail("access token too long");
  size_t d1 = token.find('.');
  size_t d2 = d1 == std::string::npos ? d1 : token.find('.', d1 + 1);
  if (d2 == std::string::npos || token.find('.', d2 + 1) != std::string::npos) {
    return fail("malformed access token");
  }
  std::string header_json, payload_json, signature;
  if (!Base64UrlDecode(std::string_view(token).substr(0, d1), &header_json) ||
      !Base64UrlDecode(std::string_view(token).substr(d1 + 1, d2 - d1 - 1), &payload_json) ||
      !Base64UrlDecode(std::string_view(token).substr(d2 + 1), &signature)) {
    return fail("malformed access token");
  }
  boost::system::error_code ec;
  boost::json::value header = boost::json::parse(header_json, ec);
  if (ec || !header.is_object()) return fail("malformed access token");
  const auto* alg = header.as_object().if_contains("alg");
  // Only the algorithm we issue: refusing "none" and public-key algorithms stops the
  // classic algorithm-confusion attacks.
  if (!alg || !alg->is_string() || alg->as_string() != "HS256") {
    return fail("unsupported token algorithm");
  }
  std::string expected = HmacSha256(key, std::string_view(token).substr(0, d2));
  if (!ConstantTimeEquals(expected, signature)) return fail(kBadSignature);

  boost::json::value payload = boost::json::parse(payload_json, ec);
  if (ec || !payload.is_object()) return fail("malformed access token");
  const auto& p = payload.as_object();
  auto str = [&](const char* k) -> std::string {
    const auto* v = p.if_contains(k);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
  };
  auto num = [&](const char* k) -> int64_t {
    const auto* v = p.if_contains(k);
    return v && v->is_int64() ? v->as_int64() : 0;
  };
  if (str("iss") != issuer) return fail("wrong token issuer");
  AccessClaims c{str("sub"), str("role"), str("sid"), FromSeconds(num("iat")),
                 FromSeconds(num("exp"))};
  if (c.user_id.empty() || c.session_id.empty() || num("exp") == 0) {
    return fail("incomplete access token");
  }
  if (now >= c.expires_at) return fail("access token expired");
  return c;
}

}  // namespace cleanai
