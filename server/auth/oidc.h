// SPDX-License-Identifier: AGPL-3.0-or-later
// An OpenID Connect relying party for one configured provider ([[auth.oidc]]): discovery
// from /.well-known/openid-configuration (cached an hour), its JWK Set (cached, fetched
// again when a token names an unknown key: the provider rotated), the authorization code
// flow with PKCE (S256), and every check the ID token must pass (signature, iss, aud, azp,
// exp, iat, nbf, nonce). Thread-safe. Outgoing calls time out after 5 seconds.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "auth/jose.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/status.h"

namespace cleanai {

// Who the provider says signed in.
struct OidcIdentity {
  std::string provider_id;
  std::string issuer, subject;  // together: the person at this provider, for good
  std::string email;
  bool email_verified = false;
  std::string name, preferred_username;
};

class OidcClient {
 public:
  OidcClient(OidcProviderConfig provider, std::string redirect_uri, const Clock& clock)
      : provider_(std::move(provider)), redirect_uri_(std::move(redirect_uri)), clock_(clock) {}

  const OidcProviderConfig& provider() const { return provider_; }
  const std::string& redirect_uri() const { return redirect_uri_; }

  // The provider's sign-in page for one attempt. Unavailable when it cannot be reached.
  Result<std::string> AuthorizationUrl(const std::string& state, const std::string& nonce,
                                       const std::string& code_challenge);
  // Exchanges `code` (once) and checks the ID token; email and name come from the
  // userinfo endpoint when the token does not carry them. Unavailable: the provider
  // cannot be reached; Unauthenticated: a check failed (the message says which).
  Result<OidcIdentity> Redeem(const std::string& code, const std::string& verifier,
                              const std::string& nonce);

 private:
  struct Metadata {
    std::string issuer, authorization_endpoint, token_endpoint, jwks_uri, userinfo_endpoint;
    bool basic_auth = true;  // client_secret_basic, else client_secret_post
  };
  Result<Metadata> Discover();
  Result<std::vector<PublicJwk>> Keys(const Metadata& meta, bool refresh);
  Result<OidcIdentity> CheckIdToken(const Metadata& meta, const std::string& id_token,
                                    const std::string& nonce);

  const OidcProviderConfig provider_;
  const std::string redirect_uri_;
  const Clock& clock_;
  std::mutex mu_;
  std::optional<Metadata> meta_;
  SystemTime meta_at_{};
  std::vector<PublicJwk> keys_;
  SystemTime keys_at_{};
  SystemTime forced_at_{};  // the last fetch asked for by an unknown key id
};

// S256 PKCE: the challenge sent with the request for a verifier kept by the browser.
std::string PkceChallenge(const std::string& verifier);

}  // namespace cleanai
