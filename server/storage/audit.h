// SPDX-License-Identifier: AGPL-3.0-or-later
// The audit trail: one writer for every event_logs row, whatever the domain.
#pragma once

#include <optional>
#include <string>

#include "core/clock.h"
#include "storage/database.h"

namespace cleanai {

struct AuditRow {
  std::optional<std::string> report_id;  // absent for account and fleet events
  std::optional<std::string> user_id;    // who acted
  std::string event_type;                // e.g. report.status_changed, user.login
  std::optional<std::string> old_status, new_status;
  std::string details_json = "{}";
  std::string ip;          // "" when unknown
  std::string user_agent;  // cut to 512 bytes
};

// Inserts `row` in `c`'s transaction, so the audit row exists exactly when the change does.
Status WriteAudit(Connection& c, const Clock& clock, const AuditRow& row);

}  // namespace cleanai
