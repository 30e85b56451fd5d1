// SPDX-License-Identifier: AGPL-3.0-or-later
#include <algorithm>
#include <boost/json.hpp>
#include <unordered_map>

#include "auth/auth.h"
#include "auth/credentials.h"
#include "auth/user_rows.h"
#include "core/crypto.h"
#include "core/log.h"
#include "core/text.h"
#include "storage/audit.h"

namespace cleanai {

using auth_internal::Audit;
using auth_internal::kUserColumns;
using auth_internal::OrNull;
using auth_internal::UserFromRow;

AuthService::AuthService(Database& db, const Clock& clock, const Config& config,
                         std::unique_ptr<SigningKeys> keys)
    : db_(db), clock_(clock), config_(config), keys_(std::move(keys)) {}

Result<User> AuthService::CreateUser(const NewUser& in, const ClientInfo& client) {
  std::vector<FieldError> errors;
  if (auto m = CheckUsername(in.username); !m.empty()) errors.push_back({"username", m});
  if (auto m = CheckEmail(in.email); !m.empty()) errors.push_back({"email", m});
  if (auto m = CheckPassword(in.password, in.username, in.email); !m.empty()) {
    errors.push_back({"password", m});
  }
  if (in.phone) {
    if (auto m = CheckPhone(*in.phone); !m.empty()) errors.push_back({"phone", m});
  }
  if (!ParseRole(in.role)) {
    errors.push_back({"role", "must be citizen, driver or admin"});
  }
  if (!errors.empty()) return Err(Status::InvalidArgument("the account is not valid", errors));

  auto hash = HashPassword(in.password);
  if (!hash) return Err(hash.error());
  std::string now = FormatTime(clock_.Now());
  return db_.InTransaction<User>([&](Connection& c) -> Result<User> {
    auto taken = c.Execute(
        "SELECT lower(username) = lower($1) AS same_name, lower(email) = lower($2) AS same_email "
        "FROM users WHERE lower(username) = lower($1) OR lower(email) = lower($2)",
        {in.username, in.email});
    if (!taken) return Err(taken.error());
    if (!taken->rows.empty()) {
      std::vector<FieldError> fields;
      for (const auto& row : taken->rows) {
        if (row.Bool("same_name")) fields.push_back({"username", "is already taken"});
        if (row.Bool("same_email")) fields.push_back({"email", "is already registered"});
      }
      return Err(Status::Conflict("an account with these details already exists", fields));
    }
    std::string id = NewUuidV7();
    auto ins = c.Execute(
        std::string("INSERT INTO users (id, username, email, password_hash, role, phone, "
                    "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING ") +
            kUserColumns,
        {id, in.username, in.email, *hash, in.role, OrNull(in.phone), now});
    if (!ins) {
      // A concurrent registration of the same name lost the race on the unique index.
      if (ins.error().code() == StatusCode::kConflict) {
        return Err(Status::Conflict("an account with these details already exists",
                                    {{"username", "is already taken or the email registered"}}));
      }
      return Err(ins.error());
    }
    CLEANAI_RETURN_IF_ERROR(Audit(c, clock_, id, "user.registered",
                                  {{"username", in.username}, {"role", in.role}}, client));
    return UserFromRow(ins->rows.at(0));
  });
}

Result<Session> AuthService::Register(const NewUser& in, const ClientInfo& client) {
  NewUser citizen = in;
  citizen.role = "citizen";
  auto user = CreateUser(citizen, client);
  if (!user) return Err(user.error());
  return db_.InTransaction<Session>([&](Connection& c) -> Result<Session> {
    return IssueSession(c, *user, NewUuidV7(), client);
  });
}

std::string AuthService::MakeDeviceToken(const std::string& user_id) const {
  std::string nonce = Base64UrlEncode(RandomBytes(16));
  std::string body = user_id + "." + nonce;
  return "d1." + body + "." +
         Base64UrlEncode(HmacSha256(keys_->Get()->current, "cleanai-device|" + body));
}

AuthService::FailureKeys AuthService::KeysFor(const std::optional<std::string>& user_id,
                                              const std::string& login,
                                              const std::string& device_token) const {
  FailureKeys keys;
  // One count per account, whether its username or its email was typed.
  keys.account = user_id ? "user:" + *user_id : "name:" + AsciiLower(login).substr(0, 200);
  // "d1.<user id>.<nonce>.<mac>": honoured only for the account it was issued to.
  if (!user_id || device_token.size() > 200 || device_token.rfind("d1.", 0) != 0) return keys;
  std::string rest = device_token.substr(3);
  size_t mac_at = rest.rfind('.');
  if (mac_at == std::string::npos) return keys;
  std::string body = rest.substr(0, mac_at);
  std::string mac;
  if (!Base64UrlDecode(rest.substr(mac_at + 1), &mac)) return keys;
  auto signing = keys_->Get();
  // A device remembered before a key rotation stays remembered during the grace period.
  if (!ConstantTimeEquals(mac, HmacSha256(signing->current, "cleanai-device|" + body)) &&
      (signing->previous.empty() ||
       !ConstantTimeEquals(mac, HmacSha256(signing->previous, "cleanai-device|" + body))))
    return keys;
  size_t dot = body.find('.');
  if (dot == std::string::npos || body.substr(0, dot) != *user_id) return keys;
  keys.device = "device:" + body.substr(dot + 1);
  return keys;
}

Status AuthService::CheckLoginRate(const FailureKeys& keys, const std::string& ip) {
  SystemTime now = clock_.Now();
  std::string since = FormatTime(now - std::chrono::seconds(config_.login_failure_window_seconds));
  // A known device is counted apart from the account: strangers' failures do not hold it
  // back, and its own are limited as strictly as anyone's.
  const std::string& key = keys.device.empty() ? keys.account : keys.device;
  auto counts = db_.Execute(
      "SELECT (SELECT COUNT(*) FROM login_failures WHERE account_key = $1 AND created_at > $3) "
      "AS by_key, (SELECT MAX(created_at) FROM login_failures WHERE account_key = $1 AND "
      "created_at > $3) AS last_failure, (SELECT COUNT(*) FROM login_failures WHERE "
      "ip_address = $2 AND created_at > $3) AS by_ip",
      {key, ip, since});
  if (!counts) return counts.error();
  const Row& r = counts->rows.at(0);
  // An address may be shared (an office, a mobile carrier's NAT), so it gets more tries.
  if (r.Int("by_ip") >= 4 * config_.login_max_failures) {
    return Status::RateLimited("too many failed logins from this address; try again later",
                               config_.login_failure_window_seconds);
  }
  int64_t failures = r.Int("by_key");
  if (failures < config_.login_max_failures) return Status::Ok();
  if (!keys.device.empty()) {
    return Status::RateLimited("too many failed logins; try again later",
                               config_.login_failure_window_seconds);
  }
  // Progressive: 30 s after the fifth failure, 60 s after the sixth, ... up to the window.
  int64_t wait = config_.login_throttle_seconds;
  for (int64_t i = config_.login_max_failures;
       i < failures && wait < config_.login_failure_window_seconds; ++i) {
    wait *= 2;
  }
  wait = std::min<int64_t>(wait, config_.login_failure_window_seconds);
  auto last = r.Time("last_failure");
  if (!last) return Status::Ok();
  auto until = *last + std::chrono::seconds(wait);
  if (now >= until) return Status::Ok();
  auto left = std::chrono::duration_cast<std::chrono::seconds>(until - now).count() + 1;
  return Status::RateLimited("too many failed logins for this account; try again later",
                             static_cast<int>(left));
}

Status AuthService::RecordLoginFailure(const FailureKeys& keys, const std::string& ip) {
  auto rec = db_.Execute(
      "INSERT INTO login_failures (id, account_key, ip_address, created_at) "
      "VALUES ($1, $2, $3, $4)",
      {NewUuidV7(), keys.device.empty() ? keys.account : keys.device, ip,
       FormatTime(clock_.Now())});
  return rec ? Status::Ok() : rec.error();
}

Result<Session> AuthService::Login(const std::string& login, const std::string& password,
                                   const ClientInfo& client, const std::string& device_token) {
  std::string lowered = AsciiLower(login).substr(0, 255);
  auto found = db_.Execute(std::string("SELECT password_hash, ") + kUserColumns +
                               " FROM users WHERE lower(username) = $1 OR lower(email) = $1",
                           {lowered});
  if (!found) return Err(found.error());
  std::optional<std::string> user_id;
  if (!found->rows.empty()) user_id = found->rows[0].Text("id");
  FailureKeys keys = KeysFor(user_id, login, device_token);
  CLEANAI_RETURN_IF_ERROR(CheckLoginRate(keys, client.ip));
  bool ok = false;
  if (found->rows.empty()) {
    BurnPasswordCheck(password);
  } else {
    const Row& row = found->rows[0];
    ok = VerifyPassword(password, row.Text("password_hash")) && row.Bool("is_active");
  }
  if (!ok) {
    CLEANAI_RETURN_IF_ERROR(RecordLoginFailure(keys, client.ip));
    return Err(Status::Unauthenticated("invalid credentials"));
  }
  User user = UserFromRow(found->rows[0]);
  if (user.role == "admin") {
    // A city may require its staff's identity provider for admins (PUT /api/auth/oidc/policy).
    auto required = AdminProvider();
    if (!required) return Err(required.error());
    if (!required->empty()) {
      std::string name = *required;
      for (const auto& p : config_.oidc_providers)
        if (p.id == *required) name = p.display_name;
      return Err(Status::PermissionDenied("admins sign in with " + name));
    }
  }
  auto session = db_.InTransaction<Session>([&](Connection& c) -> Result<Session> {
    std::string now = FormatTime(clock_.Now());
    auto upd = c.Execute("UPDATE users SET last_login = $1 WHERE id = $2", {now, user.id});
    if (!upd) return Err(upd.error());
    user.last_login = now;
    // The rightful owner is in: the account's count starts again (the device's too).
    auto clear = c.Execute("DELETE FROM login_failures WHERE account_key = $1 OR account_key = $2",
                           {keys.account, keys.device.empty() ? keys.account : keys.device});
    if (!clear) return Err(clear.error());
    CLEANAI_RETURN_IF_ERROR(Audit(c, clock_, user.id, "user.login", {}, client));
    return IssueSession(c, user, NewUuidV7(), client);
  });
  if (!session) return session;
  session->device_token = keys.device.empty() ? MakeDeviceToken(user.id) : device_token;
  return session;
}

Result<Session> AuthService::IssueSession(Connection& c, const User& user,
                                          const std::string& family_id, const ClientInfo& client) {
  SystemTime now = clock_.Now();
  std::string refresh = Base64UrlEncode(RandomBytes(32));
  auto ins = c.Execute(
      "INSERT INTO refresh_tokens (id, user_id, family_id, token_hash, created_at, expires_at, "
      "ip_address, user_agent) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      {NewUuidV7(), user.id, family_id, Sha256Hex(refresh), FormatTime(now),
       FormatTime(now + std::chrono::seconds(config_.refresh_token_ttl_seconds)),
       client.ip.empty() ? Value(nullptr) : Value(client.ip),
       Value(client.user_agent.substr(0, 512))});
  if (!ins) return Err(ins.error());
  AccessClaims claims{user.id, user.role, family_id, now,
                      now + std::chrono::seconds(config_.access_token_ttl_seconds)};
  Session s;
  s.access_token = SignAccessToken(claims, config_.jwt_issuer, keys_->Get()->current);
  s.refresh_token = refresh;
  s.access_expires_in = config_.access_token_ttl_seconds;
  s.refresh_expires_in = config_.refresh_token_ttl_seconds;
  s.user = user;
  return s;
}

Result<Session> AuthService::Refresh(const std::string& refresh_token, const ClientInfo& client) {
  if (refresh_token.empty() || refresh_token.size() > 128) {
    return Err(Status::Unauthenticated("invalid refresh token"));
  }
  std::string hash = Sha256Hex(refresh_token);
  // Reuse detection must commit even though the request fails, so it runs first in
  // its own transaction.
  auto state = db_.InTransaction<std::string>([&](Connection& c) -> Result<std::string> {
    auto r = c.Execute(
        "SELECT t.id, t.family_id, t.expires_at, t.rotated_at, t.revoked_at, u.is_active "
        "FROM refresh_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1",
        {hash});
    if (!r) return Err(r.error());
    if (r->rows.empty()) return std::string("unknown");
    const Row& row = r->rows[0];
    if (!row.IsNull("revoked_at")) return std::string("revoked");
    if (!row.IsNull("rotated_at")) {
      auto rev = c.Execute(
          "UPDATE refresh_tokens SET revoked_at = $1 WHERE family_id = $2 AND revoked_at IS NULL",
          {FormatTime(clock_.Now()), row.Text("family_id")});
      if (!rev) return Err(rev.error());
      CLEANAI_RETURN_IF_ERROR(AnnounceChange(c));
      auto owner = c.Execute("SELECT user_id FROM refresh_tokens WHERE id = $1", {row.Text("id")});
      if (!owner) return Err(owner.error());
      CLEANAI_RETURN_IF_ERROR(Audit(c, clock_, owner->rows.at(0).Text("user_id"),
                                    "session.token_reuse_detected",
                                    {{"familyId", row.Text("family_id")}}, client));
      LogWarn("refresh token reuse: session family revoked", {{"familyId", row.Text("family_id")}});
      return std::string("reused");
    }
    auto expires = row.Time("expires_at");
    if (!expires || *expires <= clock_.Now()) return std::string("expired");
    if (!row.Bool("is_active")) return std::string("inactive");
    return std::string("ok");
  });
  if (!state) return Err(state.error());
  if (*state != "ok") return Err(Status::Unauthenticated("invalid refresh token"));

  return db_.InTransaction<Session>([&](Connection& c) -> Result<Session> {
    // The conditional update makes two concurrent uses of one token race safely: only
    // one of them rotates it.
    auto rot = c.Execute(
        "UPDATE refresh_tokens SET rotated_at = $1 WHERE token_hash = $2 AND rotated_at IS NULL "
        "AND revoked_at IS NULL RETURNING user_id, family_id",
        {FormatTime(clock_.Now()), hash});
    if (!rot) return Err(rot.error());
    if (rot->rows.empty()) return Err(Status::Unauthenticated("invalid refresh token"));
    auto user = c.Execute(std::string("SELECT ") + kUserColumns + " FROM users WHERE id = $1",
                          {rot->rows[0].Text("user_id")});
    if (!user) return Err(user.error());
    return IssueSession(c, UserFromRow(user->rows.at(0)), rot->rows[0].Text("family_id"), client);
  });
}

Status AuthService::AnnounceChange(Connection& c) {
  // Every instance's session cache hears it (auth/session_cache.h); this one at commit.
  if (c.backend() == Backend::kPostgres) {
    auto n =
        c.Execute("SELECT pg_notify($1, '') AS notified", {std::string(SessionCache::kChannel)});
    if (!n) return n.error();
  }
  if (sessions_) c.AfterCommit([sessions = sessions_] { sessions->Invalidate(); });
  return Status::Ok();
}

Status AuthService::Logout(const std::string& session_id) {
  auto done = db_.InTransaction<bool>([&](Connection& c) -> Result<bool> {
    auto r = c.Execute(
        "UPDATE refresh_tokens SET revoked_at = $1 WHERE family_id = $2 AND revoked_at IS NULL",
        {FormatTime(clock_.Now()), session_id});
    if (!r) return Err(r.error());
    CLEANAI_RETURN_IF_ERROR(AnnounceChange(c));
    return true;
  });
  return done ? Status::Ok() : done.error();
}

Status AuthService::RevokeRefreshToken(const std::string& refresh_token) {
  if (refresh_token.empty() || refresh_token.size() > 128) return Status::Ok();
  auto done = db_.InTransaction<bool>([&](Connection& c) -> Result<bool> {
    auto r = c.Execute(
        "UPDATE refresh_tokens SET revoked_at = $1 WHERE revoked_at IS NULL AND family_id = "
        "(SELECT family_id FROM refresh_tokens WHERE token_hash = $2)",
        {FormatTime(clock_.Now()), Sha256Hex(refresh_token)});
    if (!r) return Err(r.error());
    CLEANAI_RETURN_IF_ERROR(AnnounceChange(c));
    return true;
  });
  return done ? Status::Ok() : done.error();
}

namespace {
// Tokens this thread verified (no lock: a thread's own): a token seen again skips base64,
// HMAC and JSON. An entry holds the key that verified it and counts only while that key is
// still the current or the previous one (a rotation's grace period ending drops its
// tokens); expiry is checked on every use.
struct VerifiedToken {
  std::string key;
  AccessClaims claims;
};
constexpr size_t kMaxVerifiedPerThread = 4096;  // then start again
}  // namespace

Result<Principal> AuthService::Authenticate(const std::string& access_token) {
  auto signing = keys_->Get();
  const SystemTime now = clock_.Now();
  thread_local std::unordered_map<std::string, VerifiedToken> verified;
  Result<AccessClaims> claims = Err(Status::Unauthenticated("invalid access token"));
  auto seen = verified.find(access_token);
  if (seen != verified.end() &&
      (seen->second.key == signing->current ||
       (!signing->previous.empty() && seen->second.key == signing->previous)) &&
      now < seen->second.claims.expires_at) {
    claims = seen->second.claims;
  } else {
    const std::string* key = &signing->current;
    claims = VerifyAccessToken(access_token, config_.jwt_issuer, *key, now);
    if (!claims && !signing->previous.empty() && claims.error().message() == kBadSignature) {
      // Signed before the last rotation, within its grace period.
      key = &signing->previous;
      claims = VerifyAccessToken(access_token, config_.jwt_issuer, *key, now);
    }
    if (claims) {
      if (verified.size() >= kMaxVerifiedPerThread) verified.clear();
      verified[access_token] = {*key, *claims};
    }
  }
  if (!claims) return Err(claims.error());
  if (!IsUuid(claims->user_id) || !IsUuid(claims->session_id)) {
    return Err(Status::Unauthenticated("incomplete access token"));
  }
  // Most requests: the session is known and nothing about it changed since (exact: see
  // auth/session_cache.h).
  if (sessions_) {
    if (auto known = sessions_->Find(claims->session_id, claims->user_id))
      return Principal{claims->user_id, known->username, known->role, claims->session_id};
  }
  const uint64_t generation = sessions_ ? sessions_->Generation() : 0;
  const char* sql =
      "SELECT u.username, u.role, u.is_active, (SELECT COUNT(*) FROM refresh_tokens t WHERE "
      "t.family_id = $2 AND t.revoked_at IS NULL) AS live FROM users u WHERE u.id = $1";
  auto r = db_.Execute(sql, {claims->user_id, claims->session_id});
  bool from_replica = false;
  if (!r && r.error().code() == StatusCode::kUnavailable && replica_) {
    r = replica_->Execute(sql, {claims->user_id, claims->session_id});
    from_replica = true;
  }
  if (!r) return Err(r.error());
  if (r->rows.empty() || !r->rows[0].Bool("is_active") || r->rows[0].Int("live") == 0) {
    return Err(Status::Unauthenticated("session is no longer valid"));
  }
  // The role comes from the database, not the token, so a change applies at once.
  auto role = ParseRole(r->rows[0].Text("role"));
  if (!role) return Err(Status::Unauthenticated("session is no longer valid"));
  // A replica's answer may be a moment old: used, never kept.
  if (sessions_ && !from_replica) {
    sessions_->Put(claims->session_id, {claims->user_id, r->rows[0].Text("username"), *role},
                   generation);
  }
  return Principal{claims->user_id, r->rows[0].Text("username"), *role, claims->session_id};
}

Result<User> AuthService::GetUser(const std::string& id) {
  if (!IsUuid(id)) return Err(Status::NotFound("no such user"));
  auto r = db_.Execute(std::string("SELECT ") + kUserColumns + " FROM users WHERE id = $1", {id});
  if (!r) return Err(r.error());
  if (r->rows.empty()) return Err(Status::NotFound("no such user"));
  return UserFromRow(r->rows[0]);
}

Status AuthService::ChangePassword(const Principal& who, const std::string& session_id,
                                   const std::string& current, const std::string& next,
                                   const ClientInfo& client) {
  FailureKeys keys = KeysFor(who.user_id, who.username, "");
  CLEANAI_RETURN_STATUS_IF_ERROR(CheckLoginRate(keys, client.ip));
  auto r = db_.Execute("SELECT email, password_hash FROM users WHERE id = $1", {who.user_id});
  if (!r) return r.error();
  if (r->rows.empty()) return Status::NotFound("no such user");
  if (!VerifyPassword(current, r->rows[0].Text("password_hash"))) {
    (void)RecordLoginFailure(keys, client.ip);
    return Status::InvalidArgument("the current password is not correct",
                                   {{"currentPassword", "is not correct"}});
  }
  if (auto m = CheckPassword(next, who.username, r->rows[0].Text("email")); !m.empty()) {
    return Status::InvalidArgument("the new password is not valid", {{"newPassword", m}});
  }
  auto hash = HashPassword(next);
  if (!hash) return hash.error();
  auto done = db_.InTransaction<bool>([&](Connection& c) -> Result<bool> {
    std::string now = FormatTime(clock_.Now());
    auto u = c.Execute("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3",
                       {*hash, now, who.user_id});
    if (!u) return Err(u.error());
    auto rev = c.Execute(
        "UPDATE refresh_tokens SET revoked_at = $1 WHERE user_id = $2 AND family_id <> $3 AND "
        "revoked_at IS NULL",
        {now, who.user_id, session_id});
    if (!rev) return Err(rev.error());
    CLEANAI_RETURN_IF_ERROR(AnnounceChange(c));
    CLEANAI_RETURN_IF_ERROR(Audit(c, clock_, who.user_id, "user.password_changed",
                                  {{"otherSessionsRevoked", rev->affected_rows}}, client));
    return true;
  });
  return done ? Status::Ok() : done.error();
}

Result<std::vector<User>> AuthService::ListUsers(const UserFilter& f) {
  std::string sql = std::string("SELECT ") + kUserColumns + " FROM users WHERE id > $1";
  std::vector<Value> params{f.after_id};
  if (f.role) {
    params.push_back(*f.role);
    sql += " AND role = $" + std::to_string(params.size());
  }
  if (f.active) {
    params.push_back(*f.active);
    sql += " AND is_active = $" + std::to_string(params.size());
  }
  if (f.query) {
    params.push_back(LikeContains(*f.query));  // matched literally
    std::string n = std::to_string(params.size());
    sql += " AND (lower(username) LIKE $" + n + " ESCAPE '\\' OR lower(email) LIKE $" + n +
           " ESCAPE '\\')";
  }
  params.push_back(int64_t{f.limit});
  sql += " ORDER BY id LIMIT $" + std::to_string(params.size());
  auto r = db_.Execute(sql, params);
  if (!r) return Err(r.error());
  std::vector<User> out;
  for (const auto& row : r->rows) out.push_back(UserFromRow(row));
  return out;
}

Result<User> AuthService::UpdateUser(const Principal& admin, const std::string& id,
                                     const UserChange& change, const ClientInfo& client) {
  if (!IsUuid(id)) return Err(Status::NotFound("no such user"));
  if (change.role && !ParseRole(*change.role)) {
    return Err(
        Status::InvalidArgument("invalid change", {{"role", "must be citizen, driver or admin"}}));
  }
  if (id == admin.user_id &&
      ((change.role && *change.role != "admin") || (change.is_active && !*change.is_active))) {
    return Err(Status::InvalidArgument(
        "you cannot demote or deactivate your own account",
        {{change.role ? "role" : "isActive", "cannot be changed on your own account"}}));
  }
  return db_.InTransaction<User>([&](Connection& c) -> Result<User> {
    auto cur = c.Execute(std::string("SELECT ") + kUserColumns + " FROM users WHERE id = $1", {id});
    if (!cur) return Err(cur.error());
    if (cur->rows.empty()) return Err(Status::NotFound("no such user"));
    User before = UserFromRow(cur->rows[0]);
    std::string now = FormatTime(clock_.Now());
    std::string role = change.role.value_or(before.role);
    bool active = change.is_active.value_or(before.is_active);
    auto upd = c.Execute(std::string("UPDATE users SET role = $1, is_active = $2, updated_at = $3 "
                                     "WHERE id = $4 RETURNING ") +
                             kUserColumns,
                         {role, active, now, id});
    if (!upd) return Err(upd.error());
    if (!active && before.is_active) {
      auto rev = c.Execute(
          "UPDATE refresh_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
          {now, id});
      if (!rev) return Err(rev.error());
    }
    CLEANAI_RETURN_IF_ERROR(AnnounceChange(c));  // the role or the access changed
    boost::json::object details{{"targetUserId", id},
                                {"oldRole", before.role},
                                {"newRole", role},
                                {"oldActive", before.is_active},
                                {"newActive", active}};
    CLEANAI_RETURN_IF_ERROR(Audit(c, clock_, admin.user_id, "user.updated", details, client));
    return UserFromRow(upd->rows.at(0));
  });
}

Result<bool> AuthService::HasAdmin() {
  auto r = db_.Execute("SELECT COUNT(*) AS n FROM users WHERE role = 'admin' AND is_active = $1",
                       {true});
  if (!r) return Err(r.error());
  return r->rows.at(0).Int("n") > 0;
}

}  // namespace cleanai
