// SPDX-License-Identifier: AGPL-3.0-or-later
#include "notify/webpush.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include <boost/json.hpp>
#include <cctype>

#include "core/crypto.h"
#include "core/secrets.h"

namespace cleanai {
namespace {

constexpr const char* kCurve = "prime256v1";
constexpr size_t kPointBytes = 65;  // 0x04 | x | y
constexpr uint32_t kRecordSize = 4096;
// What fits in one 4096-byte record after the 86-byte header, the 16-byte tag and the
// padding delimiter (push services refuse larger bodies).
constexpr size_t kMaxPlaintext = kRecordSize - 86 - 16 - 1;

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;

const unsigned char* Bytes(const std::string& s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

std::string PublicPoint(EVP_PKEY* key) {
  unsigned char buf[kPointBytes];
  size_t len = 0;
  if (EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, buf, sizeof buf, &len) != 1 ||
      len != kPointBytes) {
    return {};
  }
  return std::string(reinterpret_cast<char*>(buf), len);
}

// A P-256 key from its raw public point and, when given, private scalar. OpenSSL checks
// that the point lies on the curve.
PkeyPtr KeyFromRaw(const std::string& point, const BIGNUM* scalar) {
  if (point.size() != kPointBytes || point[0] != 0x04) return nullptr;
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  if (!bld) return nullptr;
  OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, kCurve, 0);
  OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size());
  if (scalar) OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, scalar);
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
  OSSL_PARAM_BLD_free(bld);
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* key = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &key, scalar ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, params) !=
          1) {
    key = nullptr;
  }
  OSSL_PARAM_free(params);
  return PkeyPtr(key);
}

// The key of a raw private scalar (the RFC's test vector), its public point computed.
PkeyPtr KeyFromScalar(const std::string& raw) {
  BnPtr d(BN_bin2bn(Bytes(raw), static_cast<int>(raw.size()), nullptr));
  EC_GROUP* group = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
  EC_POINT* q = group ? EC_POINT_new(group) : nullptr;
  std::string point(kPointBytes, '\0');
  bool ok = d && q && EC_POINT_mul(group, q, d.get(), nullptr, nullptr, nullptr) == 1 &&
            EC_POINT_point2oct(group, q, POINT_CONVERSION_UNCOMPRESSED,
                               reinterpret_cast<unsigned char*>(point.data()), point.size(),
                               nullptr) == kPointBytes;
  EC_POINT_free(q);
  EC_GROUP_free(group);
  return ok ? KeyFromRaw(point, d.get()) : nullptr;
}

std::string Ecdh(EVP_PKEY* own, EVP_PKEY* peer) {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new(own, nullptr));
  size_t len = 0;
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1 ||
      EVP_PKEY_derive_set_peer(ctx.get(), peer) != 1 ||
      EVP_PKEY_derive(ctx.get(), nullptr, &len) != 1) {
    return {};
  }
  std::string secret(len, '\0');
  if (EVP_PKEY_derive(ctx.get(), reinterpret_cast<unsigned char*>(secret.data()), &len) != 1)
    return {};
  secret.resize(len);
  return secret;
}

// HKDF-SHA-256 (RFC 5869) for outputs of at most 32 bytes: one expand block.
std::string Hkdf(const std::string& salt, const std::string& ikm, const std::string& info,
                 size_t length) {
  std::string prk = HmacSha256(salt, ikm);
  return HmacSha256(prk, info + '\x01').substr(0, length);
}

std::string Aes128GcmSeal(const std::string& key, const std::string& nonce,
                          const std::string& plaintext) {
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  std::string out(plaintext.size() + 16, '\0');
  int len = 0, fin = 0;
  bool ok =
      ctx && EVP_EncryptInit_ex(ctx, EVP_aes_128_gcm(), nullptr, nullptr, nullptr) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, 12, nullptr) == 1 &&
      EVP_EncryptInit_ex(ctx, nullptr, nullptr, Bytes(key), Bytes(nonce)) == 1 &&
      EVP_EncryptUpdate(ctx, reinterpret_cast<unsigned char*>(out.data()), &len, Bytes(plaintext),
                        static_cast<int>(plaintext.size())) == 1 &&
      EVP_EncryptFinal_ex(ctx, reinterpret_cast<unsigned char*>(out.data()) + len, &fin) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, out.data() + len + fin) == 1;
  EVP_CIPHER_CTX_free(ctx);
  return ok ? out : std::string();
}

}  // namespace

VapidKey::~VapidKey() { EVP_PKEY_free(key_); }

Result<std::unique_ptr<VapidKey>> VapidKey::LoadOrCreate(const std::string& secrets_dir) {
  // A new P-256 key as PKCS#8 PEM, made only when the file is not there yet.
  auto pem = LoadOrCreateSecretFile(secrets_dir, "vapid.pem", []() -> Result<std::string> {
    PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    BIO* bio = BIO_new(BIO_s_mem());
    char* data = nullptr;
    long len = 0;
    bool ok =
        key && bio &&
        PEM_write_bio_PrivateKey(bio, key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1 &&
        (len = BIO_get_mem_data(bio, &data)) > 0;
    std::string out = ok ? std::string(data, static_cast<size_t>(len)) : std::string();
    BIO_free(bio);
    if (!ok) return Err(Status::Internal("cannot make a P-256 key"));
    return out;
  });
  if (!pem) return Err(pem.error());
  const std::string file = secrets_dir + "/vapid.pem";
  std::unique_ptr<VapidKey> out(new VapidKey());
  BIO* bio = BIO_new_mem_buf(pem->data(), static_cast<int>(pem->size()));
  out->key_ = bio ? PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr) : nullptr;
  BIO_free(bio);
  std::string point = out->key_ && EVP_PKEY_is_a(out->key_, "EC") ? PublicPoint(out->key_) : "";
  if (point.empty()) {
    return Err(
        Status::Unavailable("cannot read the VAPID key " + file + " (a P-256 private key in PEM)"));
  }
  out->public_b64_ = Base64UrlEncode(point);
  return out;
}

Result<std::string> VapidKey::Authorization(const std::string& endpoint, const std::string& subject,
                                            SystemTime now) const {
  const int64_t exp = std::chrono::duration_cast<std::chrono::seconds>(
                          (now + std::chrono::hours(12)).time_since_epoch())
                          .count();
  const std::string claims = boost::json::serialize(
      boost::json::object{{"aud", UrlOrigin(endpoint)}, {"exp", exp}, {"sub", subject}});
  const std::string signing_input =
      Base64UrlEncode(R"({"typ":"JWT","alg":"ES256"})") + "." + Base64UrlEncode(claims);
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  size_t der_len = 0;
  std::string der;
  bool ok = md && EVP_DigestSignInit(md, nullptr, EVP_sha256(), nullptr, key_) == 1 &&
            EVP_DigestSign(md, nullptr, &der_len, Bytes(signing_input), signing_input.size()) == 1;
  if (ok) {
    der.resize(der_len);
    ok = EVP_DigestSign(md, reinterpret_cast<unsigned char*>(der.data()), &der_len,
                        Bytes(signing_input), signing_input.size()) == 1;
  }
  EVP_MD_CTX_free(md);
  if (!ok) return Err(Status::Internal("cannot sign the VAPID token"));
  // JWS wants r | s, 32 bytes each, not OpenSSL's DER.
  const unsigned char* p = Bytes(der);
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der_len));
  if (!sig) return Err(Status::Internal("cannot read the VAPID signature"));
  std::string raw(64, '\0');
  BN_bn2binpad(ECDSA_SIG_get0_r(sig), reinterpret_cast<unsigned char*>(raw.data()), 32);
  BN_bn2binpad(ECDSA_SIG_get0_s(sig), reinterpret_cast<unsigned char*>(raw.data()) + 32, 32);
  ECDSA_SIG_free(sig);
  return "vapid t=" + signing_input + "." + Base64UrlEncode(raw) + ", k=" + public_b64_;
}

std::string UrlOrigin(const std::string& url) {
  size_t scheme = url.find("://");
  if (scheme == std::string::npos) return {};
  size_t path = url.find_first_of("/?#", scheme + 3);
  return url.substr(0, path);
}

bool PushEndpointAllowed(const std::string& endpoint, const std::vector<std::string>& hosts) {
  const std::string origin = UrlOrigin(endpoint);
  const bool https = origin.rfind("https://", 0) == 0, http = origin.rfind("http://", 0) == 0;
  if (!https && !http) return false;
  std::string host = origin.substr(https ? 8 : 7);
  if (host.empty() || host.find('@') != std::string::npos) return false;  // no user:pass@
  if (host[0] == '[') {
    host = host.substr(0, host.find(']') + 1);  // [::1]:443 -> [::1]
  } else {
    host = host.substr(0, host.find(':'));
  }
  for (char& ch : host) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  const bool loopback = host == "127.0.0.1" || host == "localhost" || host == "[::1]";
  if (http && !loopback) return false;
  for (const auto& allowed : hosts) {
    if (host == allowed) return true;
    if (!loopback && host.size() > allowed.size() &&
        host.compare(host.size() - allowed.size(), allowed.size(), allowed) == 0 &&
        host[host.size() - allowed.size() - 1] == '.') {
      return true;
    }
  }
  return false;
}

bool ValidSubscriptionKeys(const std::string& p256dh, const std::string& auth) {
  std::string point, secret;
  if (!Base64UrlDecode(p256dh, &point) || !Base64UrlDecode(auth, &secret)) return false;
  return secret.size() == 16 && KeyFromRaw(point, nullptr) != nullptr;
}

Result<std::string> EncryptPushPayload(const std::string& plaintext, const std::string& ua_public,
                                       const std::string& auth, const std::string& salt_in,
                                       const std::string& sender_private) {
  if (plaintext.size() > kMaxPlaintext) {
    return Err(Status::InvalidArgument("a push payload holds at most " +
                                       std::to_string(kMaxPlaintext) + " bytes"));
  }
  PkeyPtr peer = KeyFromRaw(ua_public, nullptr);
  if (!peer || auth.size() != 16)
    return Err(Status::InvalidArgument("not a push subscription's keys"));
  PkeyPtr own = sender_private.empty() ? PkeyPtr(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"))
                                       : KeyFromScalar(sender_private);
  if (!own) return Err(Status::Internal("cannot make an ECDH key"));
  const std::string own_public = PublicPoint(own.get());
  const std::string shared = Ecdh(own.get(), peer.get());
  if (own_public.empty() || shared.empty()) return Err(Status::Internal("ECDH failed"));
  const std::string salt = salt_in.empty() ? RandomBytes(16) : salt_in;

  // RFC 8291 §3.4: the input key from the shared secret and the subscription's auth…
  const std::string ikm =
      Hkdf(auth, shared, std::string("WebPush: info") + '\0' + ua_public + own_public, 32);
  // …then RFC 8188's content key and nonce under the salt.
  const std::string cek = Hkdf(salt, ikm, std::string("Content-Encoding: aes128gcm") + '\0', 16);
  const std::string nonce = Hkdf(salt, ikm, std::string("Content-Encoding: nonce") + '\0', 12);
  std::string sealed = Aes128GcmSeal(cek, nonce, plaintext + '\x02');  // last-record delimiter
  if (sealed.empty()) return Err(Status::Internal("AES-GCM failed"));

  std::string body = salt;
  for (int shift = 24; shift >= 0; shift -= 8)
    body += static_cast<char>((kRecordSize >> shift) & 0xff);
  body += static_cast<char>(own_public.size());
  body += own_public;
  body += sealed;
  return body;
}

}  // namespace cleanai
