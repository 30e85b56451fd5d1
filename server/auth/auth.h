// SPDX-License-Identifier: AGPL-3.0-or-later
// Accounts, sessions and roles. The public interface of the auth domain.
//
// Sessions: a login creates a refresh-token family. Access tokens are short-lived HS256
// JWTs naming the family (sid); every authenticated request checks that the user is
// still active and the family not revoked, so logout, deactivation and role changes take
// effect at once. Refresh tokens are opaque, stored as SHA-256 hashes and rotated on
// every use; presenting an already-rotated token revokes the whole family (theft).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "auth/oidc.h"
#include "auth/session_cache.h"
#include "auth/signing_keys.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/status.h"
#include "http/message.h"
#include "http/router.h"
#include "storage/database.h"

namespace cleanai {

struct User {
  std::string id;
  std::string username;
  std::string email;
  std::string role;
  std::optional<std::string> phone;
  bool is_active = true;
  std::string created_at;
  std::string updated_at;
  std::optional<std::string> last_login;
  int64_t reports_submitted = 0;
  int64_t reports_resolved = 0;
};

struct NewUser {
  std::string username;
  std::string email;
  std::string password;
  std::optional<std::string> phone;
  std::string role = "citizen";
};

struct Session {
  std::string access_token;
  std::string refresh_token;
  int access_expires_in = 0;  // seconds
  int refresh_expires_in = 0;
  User user;
  // Set by Login: a signed token naming this user and this device. Presented again
  // (the browser's cookie), it lets the device past the account's failure throttle, so a
  // stranger who knows a username cannot lock its owner out (docs/security.md).
  std::string device_token;
};

struct UserFilter {
  std::optional<std::string> role;
  std::optional<bool> active;
  std::optional<std::string> query;  // matches username or email, case-insensitive
  std::string after_id = "00000000-0000-0000-0000-000000000000";  // cursor (UUIDv7 order)
  int limit = 50;
};

// An OpenID Connect identity linked to an account (oidc_identities).
struct LinkedIdentity {
  std::string id;
  std::string provider_id;
  std::string email;  // as the provider said at linking ("" when it did not)
  std::string created_at;
  std::optional<std::string> last_used_at;
};

struct UserChange {
  std::optional<std::string> role;
  std::optional<bool> is_active;
};

class AuthService {
 public:
  AuthService(Database& db, const Clock& clock, const Config& config,
              std::unique_ptr<SigningKeys> keys);

  // Validates and creates an account. InvalidArgument with field errors for rule
  // violations; Conflict (field username or email) when either is taken.
  Result<User> CreateUser(const NewUser& in, const ClientInfo& client);
  // Creates a citizen account and logs it in.
  Result<Session> Register(const NewUser& in, const ClientInfo& client);
  // `login` is a username or an email. Unauthenticated("invalid credentials") for any
  // mismatch (unknown account, wrong password, deactivated); RateLimited after too many
  // recent failures for the account or the address.
  // After login_max_failures recent failures for the account (whatever name or email was
  // typed) each further try waits longer (login_throttle_seconds, doubling, up to the
  // window); a device that signed in before (`device_token`) is exempt from that and has
  // a limit of its own.
  Result<Session> Login(const std::string& login, const std::string& password,
                        const ClientInfo& client, const std::string& device_token = "");
  // Rotates a refresh token. Unauthenticated when unknown, expired or revoked; reuse of
  // a rotated token revokes its family and is Unauthenticated too.
  Result<Session> Refresh(const std::string& refresh_token, const ClientInfo& client);
  // Revokes the session family. Idempotent.
  Status Logout(const std::string& session_id);
  // Revokes the session family a refresh token belongs to, whatever its state (RFC 7009:
  // a client whose access token expired can still end its session). Unknown tokens are
  // not an error.
  Status RevokeRefreshToken(const std::string& refresh_token);
  // Checks a bearer access token and that its user and session are still live. With the
  // primary unreachable, the read replica answers (it has the revocations, a moment late),
  // so signed-in reads go on while writes fail.
  Result<Principal> Authenticate(const std::string& access_token);
  void SetReadReplica(Database& replica) { replica_ = &replica; }
  // Answers most Authenticate calls from memory (serve); without it every call queries.
  void SetSessionCache(SessionCache* sessions) { sessions_ = sessions; }
  Result<User> GetUser(const std::string& id);
  // Verifies the current password, sets the new one and revokes the user's other sessions.
  Status ChangePassword(const Principal& who, const std::string& session_id,
                        const std::string& current, const std::string& next,
                        const ClientInfo& client);
  Result<std::vector<User>> ListUsers(const UserFilter& filter);
  // Admin change of role / active flag. NotFound for unknown ids; InvalidArgument when an
  // admin tries to demote or deactivate themselves.
  Result<User> UpdateUser(const Principal& admin, const std::string& id, const UserChange& change,
                          const ClientInfo& client);
  // True if at least one active admin exists.
  Result<bool> HasAdmin();

  // Signs in the person a provider vouched for (auth/identities.cc). A known identity
  // signs in its account. `link_user_id` (an account that proved itself by being signed
  // in) gets the identity linked, if the provider verified the email. Otherwise a first
  // sign-in creates an account with the provider's role — unless an account already has
  // that email: then Conflict("account-exists"), never a silent link.
  // PermissionDenied("admin-provider") when an admin may not sign in this way.
  Result<Session> SignInWithIdentity(const OidcProviderConfig& provider, const OidcIdentity& who,
                                     const std::optional<std::string>& link_user_id,
                                     const ClientInfo& client);
  Result<std::vector<LinkedIdentity>> ListIdentities(const std::string& user_id);
  // NotFound when it is not this user's; Conflict when it is the last way in (no password).
  Status RemoveIdentity(const std::string& user_id, const std::string& identity_id,
                        const ClientInfo& client);
  // The provider admins must sign in with ("" = any way, passwords included).
  Result<std::string> AdminProvider();
  // Set by an admin who has an identity at that provider (no one locks themselves out).
  Status SetAdminProvider(const Principal& admin, const std::string& provider_id,
                          const ClientInfo& client);

  const Config& config() const { return config_; }
  // What seals a sign-in attempt's cookie (the current signing key).
  std::string FlowSecret() const { return keys_->Get()->current; }

 private:
  // Tells every instance's session cache, in `c`'s transaction, that sessions changed.
  Status AnnounceChange(Connection& c);
  Result<Session> IssueSession(Connection& c, const User& user, const std::string& family_id,
                               const ClientInfo& client);
  // The keys failures are counted under: the account (or the typed name when there is no
  // such account), and the device when it presented a valid token for that account.
  struct FailureKeys {
    std::string account;
    std::string device;  // empty: not a known device
  };
  FailureKeys KeysFor(const std::optional<std::string>& user_id, const std::string& login,
                      const std::string& device_token) const;
  Status CheckLoginRate(const FailureKeys& keys, const std::string& ip);
  Status RecordLoginFailure(const FailureKeys& keys, const std::string& ip);
  std::string MakeDeviceToken(const std::string& user_id) const;

  Database& db_;
  Database* replica_ = nullptr;
  const Clock& clock_;
  const Config& config_;
  std::unique_ptr<SigningKeys> keys_;
  SessionCache* sessions_ = nullptr;
};

// Who sends the request: its bearer token (or, for /api/events alone, ?accessToken=, as
// EventSource cannot send headers). The router's Authenticator.
Result<Principal> AuthenticateRequest(AuthService& auth, const HttpRequest& req);

// Registers /api/auth/* and /api/users* on `router`.
void RegisterAuthRoutes(Router& router, AuthService& auth);
// "Sign in with …" (auth/oidc_routes.cc), one client per configured provider.
void RegisterOidcRoutes(Router& router, AuthService& auth,
                        std::vector<std::unique_ptr<OidcClient>>& clients, const Clock& clock);
// Whether cookies get `Secure`: under TLS or behind an https public URL.
bool SecureCookies(const Config& cfg);
// The cookies a browser keeps a session with (the HttpOnly refresh token and its hint).
void AddSessionCookies(HttpResponse& resp, const Config& cfg, const Session& session);

// Field rules, shared by the service and tests. Each returns "" when valid, otherwise
// the message.
std::string CheckUsername(const std::string& username);
std::string CheckEmail(const std::string& email);
std::string CheckPassword(const std::string& password, const std::string& username,
                          const std::string& email);
std::string CheckPhone(const std::string& phone);

}  // namespace cleanai
