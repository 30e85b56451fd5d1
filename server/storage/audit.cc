// SPDX-License-Identifier: AGPL-3.0-or-later
#include "storage/audit.h"

#include "core/crypto.h"

namespace cleanai {

Status WriteAudit(Connection& c, const Clock& clock, const AuditRow& row) {
  auto opt = [](const std::optional<std::string>& v) { return v ? Value(*v) : Value(nullptr); };
  auto r = c.Execute(
      "INSERT INTO event_logs (id, report_id, user_id, event_type, old_status, new_status, "
      "details, ip_address, user_agent, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
      "$10)",
      {NewUuidV7(), opt(row.report_id), opt(row.user_id), row.event_type, opt(row.old_status),
       opt(row.new_status), row.details_json, row.ip.empty() ? Value(nullptr) : Value(row.ip),
       row.user_agent.substr(0, 512), FormatTime(clock.Now())});
  return r ? Status::Ok() : r.error();
}

}  // namespace cleanai
