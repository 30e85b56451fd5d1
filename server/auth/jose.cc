// SPDX-License-Identifier: AGPL-3.0-or-later
#include "auth/jose.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <boost/json.hpp>

#include "core/crypto.h"

namespace cleanai {
namespace {

namespace json = boost::json;

std::string Field(const json::object& o, const char* name) {
  const json::value* v = o.if_contains(name);
  return v && v->is_string() ? std::string(v->as_string()) : "";
}

bool Decode(const json::object& o, const char* name, std::string* out) {
  std::string text = Field(o, name);
  return !text.empty() && Base64UrlDecode(text, out) && !out->empty();
}

std::shared_ptr<EVP_PKEY> FromParams(const char* type, OSSL_PARAM_BLD* bld) {
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr);
  EVP_PKEY* key = nullptr;
  bool ok = params && ctx && EVP_PKEY_fromdata_init(ctx) == 1 &&
            EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) == 1;
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  if (!ok) {
    EVP_PKEY_free(key);
    return nullptr;
  }
  // A point that is not on the curve (or a malformed modulus) is refused here.
  EVP_PKEY_CTX* check = EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr);
  ok = check && EVP_PKEY_public_check(check) == 1;
  EVP_PKEY_CTX_free(check);
  if (!ok) {
    EVP_PKEY_free(key);
    return nullptr;
  }
  return std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free);
}

std::shared_ptr<EVP_PKEY> RsaKey(const json::object& jwk) {
  std::string n, e;
  if (!Decode(jwk, "n", &n) || !Decode(jwk, "e", &e) || n.size() < 256 || n.size() > 1024 ||
      e.size() > 8) {
    return nullptr;  // under 2048 bits, over 8192, or an odd exponent
  }
  BIGNUM* bn_n =
      BN_bin2bn(reinterpret_cast<const unsigned char*>(n.data()), int(n.size()), nullptr);
  BIGNUM* bn_e =
      BN_bin2bn(reinterpret_cast<const unsigned char*>(e.data()), int(e.size()), nullptr);
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  std::shared_ptr<EVP_PKEY> key;
  if (bn_n && bn_e && bld && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn_n) == 1 &&
      OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e) == 1) {
    key = FromParams("RSA", bld);
  }
  OSSL_PARAM_BLD_free(bld);
  BN_free(bn_n);
  BN_free(bn_e);
  return key;
}

std::shared_ptr<EVP_PKEY> P256Key(const json::object& jwk) {
  std::string x, y;
  if (Field(jwk, "crv") != "P-256" || !Decode(jwk, "x", &x) || !Decode(jwk, "y", &y) ||
      x.size() != 32 || y.size() != 32) {
    return nullptr;
  }
  std::string point = "\x04" + x + y;  // uncompressed SEC1
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  std::shared_ptr<EVP_PKEY> key;
  if (bld &&
      OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) == 1 &&
      OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()) ==
          1) {
    key = FromParams("EC", bld);
  }
  OSSL_PARAM_BLD_free(bld);
  return key;
}

// JOSE's ES256 signature is r || s (32 bytes each); OpenSSL verifies DER.
bool JoseToDer(const std::string& sig, std::string* der) {
  if (sig.size() != 64) return false;
  ECDSA_SIG* s = ECDSA_SIG_new();
  BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(sig.data()), 32, nullptr);
  BIGNUM* ss = BN_bin2bn(reinterpret_cast<const unsigned char*>(sig.data()) + 32, 32, nullptr);
  if (!s || !r || !ss || ECDSA_SIG_set0(s, r, ss) != 1) {
    BN_free(r);
    BN_free(ss);
    ECDSA_SIG_free(s);
    return false;
  }
  int len = i2d_ECDSA_SIG(s, nullptr);
  bool ok = len > 0;
  if (ok) {
    der->resize(static_cast<size_t>(len));
    auto* p = reinterpret_cast<unsigned char*>(der->data());
    ok = i2d_ECDSA_SIG(s, &p) == len;
  }
  ECDSA_SIG_free(s);
  return ok;
}

bool VerifyWith(EVP_PKEY* key, std::string_view data, const std::string& sig) {
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  bool ok = md && EVP_DigestVerifyInit(md, nullptr, EVP_sha256(), nullptr, key) == 1 &&
            EVP_DigestVerify(md, reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                             reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
  EVP_MD_CTX_free(md);
  return ok;
}

}  // namespace

Result<std::vector<PublicJwk>> ParseJwks(std::string_view text) {
  boost::system::error_code ec;
  json::value doc = json::parse(text, ec);
  const json::value* keys = !ec && doc.is_object() ? doc.as_object().if_contains("keys") : nullptr;
  if (!keys || !keys->is_array()) return Err(Status::InvalidArgument("not a JWK Set"));
  std::vector<PublicJwk> out;
  for (const auto& k : keys->as_array()) {
    if (!k.is_object() || out.size() >= 50) continue;
    const json::object& jwk = k.as_object();
    std::string use = Field(jwk, "use");
    if (!use.empty() && use != "sig") continue;
    PublicJwk key{Field(jwk, "kid"), Field(jwk, "kty"), Field(jwk, "alg"), nullptr};
    if (key.kty == "RSA" && (key.alg.empty() || key.alg == "RS256")) {
      key.key = RsaKey(jwk);
    } else if (key.kty == "EC" && (key.alg.empty() || key.alg == "ES256")) {
      key.key = P256Key(jwk);
    }
    if (key.key) out.push_back(std::move(key));
  }
  return out;
}

Result<DecodedJws> DecodeJws(std::string_view compact) {
  auto bad = [](const char* why) { return Err(Status::Unauthenticated(why)); };
  if (compact.size() > 16384) return bad("token too long");
  size_t d1 = compact.find('.');
  size_t d2 = d1 == std::string_view::npos ? d1 : compact.find('.', d1 + 1);
  if (d2 == std::string_view::npos || compact.find('.', d2 + 1) != std::string_view::npos)
    return bad("malformed token");
  std::string header_text, payload_text, sig;
  if (!Base64UrlDecode(compact.substr(0, d1), &header_text) ||
      !Base64UrlDecode(compact.substr(d1 + 1, d2 - d1 - 1), &payload_text) ||
      !Base64UrlDecode(compact.substr(d2 + 1), &sig)) {
    return bad("malformed token");
  }
  boost::system::error_code ec;
  json::value header = json::parse(header_text, ec);
  if (ec || !header.is_object()) return bad("malformed token header");
  json::value payload = json::parse(payload_text, ec);
  if (ec || !payload.is_object()) return bad("malformed token payload");
  DecodedJws out{std::move(header.as_object()), std::move(payload.as_object()), "", ""};
  out.alg = Field(out.header, "alg");
  out.kid = Field(out.header, "kid");
  if (out.alg != "RS256" && out.alg != "ES256") return bad("unsupported token algorithm");
  if (out.header.if_contains("crit")) return bad("unsupported critical token header");
  return out;
}

Status VerifyJws(std::string_view compact, const DecodedJws& decoded,
                 const std::vector<PublicJwk>& keys) {
  const size_t last = compact.rfind('.');
  std::string sig;
  if (last == std::string_view::npos || !Base64UrlDecode(compact.substr(last + 1), &sig))
    return Status::Unauthenticated("malformed token");
  const std::string kty = decoded.alg == "RS256" ? "RSA" : "EC";
  std::string der;
  if (kty == "EC" && !JoseToDer(sig, &der)) return Status::Unauthenticated("invalid signature");
  bool tried = false;
  for (const auto& k : keys) {
    if (k.kty != kty || (!k.alg.empty() && k.alg != decoded.alg)) continue;
    if (!decoded.kid.empty() && k.kid != decoded.kid) continue;
    tried = true;
    if (VerifyWith(k.key.get(), compact.substr(0, last), kty == "EC" ? der : sig))
      return Status::Ok();
  }
  if (!tried) return Status::NotFound("no key with id '" + decoded.kid + "'");
  return Status::Unauthenticated("invalid signature");
}

}  // namespace cleanai
