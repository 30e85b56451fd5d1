// SPDX-License-Identifier: AGPL-3.0-or-later
// Accounts and OpenID Connect identities: sign-in, linking, unlinking, the admins' rule.
#include <algorithm>
#include <cctype>

#include "auth/auth.h"
#include "auth/user_rows.h"
#include "core/crypto.h"
#include "core/text.h"

namespace cleanai {

using auth_internal::Audit;
using auth_internal::kUserColumns;
using auth_internal::OrNull;
using auth_internal::UserFromRow;

namespace {

// Never a valid Argon2id string: an account made by a provider has no password until
// its owner sets one.
constexpr const char* kNoPassword = "!oidc";
constexpr const char* kAdminProviderKey = "auth.admins_sign_in_with";

// A username from what the provider said: its preferred name, the email's local part or
// the name, reduced to the characters usernames allow; "user" when nothing is left.
std::string UsernameBase(const OidcIdentity& who) {
  for (std::string source :
       {who.preferred_username, who.email.substr(0, who.email.find('@')), who.name}) {
    std::string out;
    for (unsigned char c : source) {
      if (std::isalnum(c) || c == '_' || c == '.' || c == '-') out.push_back(static_cast<char>(c));
      if (out.size() >= 40) break;
    }
    while (!out.empty() && !std::isalnum(static_cast<unsigned char>(out.front()))) out.erase(0, 1);
    if (out.size() >= 3) return AsciiLower(out);
  }
  return "user";
}

}  // namespace

Result<std::string> AuthService::AdminProvider() {
  auto r = db_.Execute("SELECT value FROM app_state WHERE name = $1", {kAdminProviderKey});
  if (!r) return Err(r.error());
  return r->rows.empty() ? std::string() : r->rows[0].Text("value");
}

Result<Session> AuthService::SignInWithIdentity(const OidcProviderConfig& provider,
                                                const OidcIdentity& who,
                                                const std::optional<std::string>& link_user_id,
                                                const ClientInfo& client) {
  auto admins_with = AdminProvider();
  if (!admins_with) return Err(admins_with.error());
  const std::string now = FormatTime(clock_.Now());
  return db_.InTransaction<Session>([&](Connection& c) -> Result<Session> {
    auto known = c.Execute(
        "SELECT id AS identity_id, user_id FROM oidc_identities WHERE issuer = $1 AND subject = $2",
        {who.issuer, who.subject});
    if (!known) return Err(known.error());
    std::optional<User> user;
    if (!known->rows.empty()) {
      auto owner = c.Execute(std::string("SELECT ") + kUserColumns + " FROM users WHERE id = $1",
                             {known->rows[0].Text("user_id")});
      if (!owner) return Err(owner.error());
      if (owner->rows.empty()) return Err(Status::Internal("identity without its account"));
      user = UserFromRow(owner->rows[0]);
      if (link_user_id && *link_user_id != user->id) {
        return Err(Status::Conflict("identity-taken"));  // linked to another account
      }
      auto touch = c.Execute(
          "UPDATE oidc_identities SET last_used_at = $1, email = $2 WHERE id = $3",
          {now, OrNull(who.email.empty() ? std::nullopt : std::optional<std::string>(who.email)),
           known->rows[0].Text("identity_id")});
      if (!touch) return Err(touch.error());
    } else if (link_user_id) {
      // The account proved itself (signed in); the provider must vouch for the email.
      if (!who.email_verified) return Err(Status::PermissionDenied("email-unverified"));
      auto found = c.Execute(std::string("SELECT ") + kUserColumns + " FROM users WHERE id = $1",
                             {*link_user_id});
      if (!found) return Err(found.error());
      if (found->rows.empty()) return Err(Status::Unauthenticated("not signed in"));
      user = UserFromRow(found->rows[0]);
    } else {
      if (who.email.empty()) return Err(Status::PermissionDenied("no-email"));
      if (!who.email_verified) return Err(Status::PermissionDenied("email-unverified"));
      auto same_email =
          c.Execute("SELECT id FROM users WHERE lower(email) = lower($1)", {who.email});
      if (!same_email) return Err(same_email.error());
      // Never linked by email alone: the owner signs in and links it from the settings.
      if (!same_email->rows.empty()) return Err(Status::Conflict("account-exists"));
      std::string base = UsernameBase(who), username = base;
      for (int n = 2; n < 1000; ++n) {
        auto taken = c.Execute("SELECT 1 AS x FROM users WHERE lower(username) = $1", {username});
        if (!taken) return Err(taken.error());
        if (taken->rows.empty()) break;
        username = base.substr(0, 44) + std::to_string(n);
      }
      const std::string id = NewUuidV7();
      auto ins = c.Execute(
          std::string("INSERT INTO users (id, username, email, password_hash, role, created_at, "
                      "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING ") +
              kUserColumns,
          {id, username, who.email, kNoPassword, provider.new_account_role, now});
      if (!ins) return Err(ins.error());
      user = UserFromRow(ins->rows.at(0));
      CLEANAI_RETURN_IF_ERROR(Audit(
          c, clock_, id, "user.registered",
          {{"username", username}, {"role", provider.new_account_role}, {"provider", provider.id}},
          client));
    }
    if (known->rows.empty()) {
      auto link = c.Execute(
          "INSERT INTO oidc_identities (id, user_id, provider_id, issuer, subject, email, "
          "created_at, last_used_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
          {NewUuidV7(), user->id, provider.id, who.issuer, who.subject,
           OrNull(who.email.empty() ? std::nullopt : std::optional<std::string>(who.email)), now});
      if (!link) return Err(link.error());
      CLEANAI_RETURN_IF_ERROR(
          Audit(c, clock_, user->id, "user.identity_linked", {{"provider", provider.id}}, client));
    }
    if (!user->is_active) return Err(Status::Unauthenticated("inactive"));
    if (user->role == "admin" &&
        (!provider.allow_admins || (!admins_with->empty() && *admins_with != provider.id))) {
      return Err(Status::PermissionDenied("admin-provider"));
    }
    auto upd = c.Execute("UPDATE users SET last_login = $1 WHERE id = $2", {now, user->id});
    if (!upd) return Err(upd.error());
    user->last_login = now;
    CLEANAI_RETURN_IF_ERROR(
        Audit(c, clock_, user->id, "user.login", {{"provider", provider.id}}, client));
    return IssueSession(c, *user, NewUuidV7(), client);
  });
}

Result<std::vector<LinkedIdentity>> AuthService::ListIdentities(const std::string& user_id) {
  auto r = db_.Execute(
      "SELECT id, provider_id, email, created_at, last_used_at FROM oidc_identities WHERE "
      "user_id = $1 ORDER BY created_at",
      {user_id});
  if (!r) return Err(r.error());
  std::vector<LinkedIdentity> out;
  for (const Row& row : r->rows) {
    out.push_back({row.Text("id"), row.Text("provider_id"), row.OptText("email").value_or(""),
                   row.TimeText("created_at").value_or(""), row.TimeText("last_used_at")});
  }
  return out;
}

Status AuthService::RemoveIdentity(const std::string& user_id, const std::string& identity_id,
                                   const ClientInfo& client) {
  if (!IsUuid(identity_id)) return Status::NotFound("no such identity");
  auto done = db_.InTransaction<bool>([&](Connection& c) -> Result<bool> {
    auto mine = c.Execute(
        "SELECT i.provider_id, u.password_hash, (SELECT COUNT(*) FROM oidc_identities o WHERE "
        "o.user_id = i.user_id) AS n FROM oidc_identities i JOIN users u ON u.id = i.user_id "
        "WHERE i.id = $1 AND i.user_id = $2",
        {identity_id, user_id});
    if (!mine) return Err(mine.error());
    if (mine->rows.empty()) return Err(Status::NotFound("no such identity"));
    const Row& row = mine->rows[0];
    if (row.Int("n") <= 1 && row.Text("password_hash") == kNoPassword) {
      return Err(Status::Conflict(
          "this is the only way into the account: set a password first, or link another"));
    }
    auto del = c.Execute("DELETE FROM oidc_identities WHERE id = $1", {identity_id});
    if (!del) return Err(del.error());
    CLEANAI_RETURN_IF_ERROR(Audit(c, clock_, user_id, "user.identity_unlinked",
                                  {{"provider", row.Text("provider_id")}}, client));
    return true;
  });
  return done ? Status::Ok() : done.error();
}

Status AuthService::SetAdminProvider(const Principal& admin, const std::string& provider_id,
                                     const ClientInfo& client) {
  if (!provider_id.empty()) {
    auto it = std::find_if(config_.oidc_providers.begin(), config_.oidc_providers.end(),
                           [&](const OidcProviderConfig& p) { return p.id == provider_id; });
    if (it == config_.oidc_providers.end()) {
      return Status::InvalidArgument("no such provider", {{"provider", "is not configured"}});
    }
    if (!it->allow_admins) {
      return Status::InvalidArgument("this provider may not sign in admins",
                                     {{"provider", "has allow_admins = false"}});
    }
    auto mine =
        db_.Execute("SELECT 1 AS x FROM oidc_identities WHERE user_id = $1 AND provider_id = $2",
                    {admin.user_id, provider_id});
    if (!mine) return mine.error();
    if (mine->rows.empty()) {
      return Status::Conflict(
          "link your own account to this provider first (you would be "
          "locked out)",
          {{"provider", "is not linked to your account"}});
    }
  }
  auto done = db_.InTransaction<bool>([&](Connection& c) -> Result<bool> {
    auto del = c.Execute("DELETE FROM app_state WHERE name = $1", {kAdminProviderKey});
    if (!del) return Err(del.error());
    if (!provider_id.empty()) {
      auto ins = c.Execute("INSERT INTO app_state (name, value) VALUES ($1, $2)",
                           {kAdminProviderKey, provider_id});
      if (!ins) return Err(ins.error());
    }
    CLEANAI_RETURN_IF_ERROR(Audit(c, clock_, admin.user_id, "auth.admin_provider_set",
                                  {{"provider", provider_id}}, client));
    return true;
  });
  return done ? Status::Ok() : done.error();
}

}  // namespace cleanai
