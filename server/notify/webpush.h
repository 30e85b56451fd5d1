// SPDX-License-Identifier: AGPL-3.0-or-later
// Web Push without a third party: the server's VAPID key (RFC 8292), made on first start
// and kept in storage.secrets_dir/vapid.pem, signs a short-lived JWT for each push service;
// the payload is encrypted for the browser's subscription keys with RFC 8291 `aes128gcm`
// (ECDH P-256, HKDF-SHA-256, AES-128-GCM) on OpenSSL.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"

struct evp_pkey_st;  // OpenSSL's EVP_PKEY

namespace cleanai {

class VapidKey {
 public:
  ~VapidKey();
  VapidKey(const VapidKey&) = delete;
  VapidKey& operator=(const VapidKey&) = delete;

  // Reads secrets_dir/vapid.pem, or makes it (0600, O_EXCL) when it is not there.
  static Result<std::unique_ptr<VapidKey>> LoadOrCreate(const std::string& secrets_dir);
  // The uncompressed public point (65 bytes), base64url: the web app's applicationServerKey.
  const std::string& public_key() const { return public_b64_; }
  // The Authorization header value for `endpoint`: "vapid t=<ES256 JWT>, k=<public key>",
  // with aud = the endpoint's origin, exp = now + 12 h, sub = `subject`.
  Result<std::string> Authorization(const std::string& endpoint, const std::string& subject,
                                    SystemTime now) const;

 private:
  VapidKey() = default;
  evp_pkey_st* key_ = nullptr;
  std::string public_b64_;
};

// The scheme, host and port of a URL: "https://push.example.net:443/x" ->
// "https://push.example.net:443".
std::string UrlOrigin(const std::string& url);

// Whether a subscription may name `endpoint`: https to one of `hosts` (the host or a
// subdomain of it); http only to a loopback host that is listed (tests).
bool PushEndpointAllowed(const std::string& endpoint, const std::vector<std::string>& hosts);

// True when `p256dh` (base64url) is an uncompressed point on P-256 and `auth` decodes to 16
// bytes: the keys a browser's PushSubscription gives.
bool ValidSubscriptionKeys(const std::string& p256dh, const std::string& auth);

// RFC 8291 §3/§4: one record, header salt(16) | rs=4096 | idlen=65 | sender public key.
// `ua_public` and `auth` are the subscription's keys (raw bytes). `salt` and
// `sender_private` (a raw 32-byte scalar) are fresh when empty; the tests pass the
// RFC's Appendix A values to compare byte for byte.
Result<std::string> EncryptPushPayload(const std::string& plaintext, const std::string& ua_public,
                                       const std::string& auth, const std::string& salt = {},
                                       const std::string& sender_private = {});

}  // namespace cleanai
