// SPDX-License-Identifier: AGPL-3.0-or-later
// Internal to auth/: reading users rows and writing audit rows, shared by the service's
// files (service.cc, identities.cc).
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>

#include "auth/auth.h"
#include "core/clock.h"
#include "storage/audit.h"
#include "storage/database.h"

namespace cleanai::auth_internal {

inline constexpr const char* kUserColumns =
    "id, username, email, role, phone, is_active, created_at, updated_at, last_login, "
    "reports_submitted, reports_resolved";

inline User UserFromRow(const Row& r) {
  User u;
  u.id = r.Text("id");
  u.username = r.Text("username");
  u.email = r.Text("email");
  u.role = r.Text("role");
  u.phone = r.OptText("phone");
  u.is_active = r.Bool("is_active");
  auto norm = [&](const char* col) -> std::optional<std::string> {
    auto t = r.Time(col);
    return t ? std::optional<std::string>(FormatTime(*t)) : std::nullopt;
  };
  u.created_at = norm("created_at").value_or("");
  u.updated_at = norm("updated_at").value_or("");
  u.last_login = norm("last_login");
  u.reports_submitted = r.Int("reports_submitted");
  u.reports_resolved = r.Int("reports_resolved");
  return u;
}

inline Value OrNull(const std::optional<std::string>& s) { return s ? Value(*s) : Value(nullptr); }

// Writes an audit row (event_logs) inside the caller's transaction.
inline Status Audit(Connection& c, const Clock& clock, const std::optional<std::string>& user_id,
                    const std::string& event_type, boost::json::object details,
                    const ClientInfo& client) {
  AuditRow row;
  row.user_id = user_id;
  row.event_type = event_type;
  row.details_json = boost::json::serialize(details);
  row.ip = client.ip;
  row.user_agent = client.user_agent;
  return WriteAudit(c, clock, row);
}

}  // namespace cleanai::auth_internal
