// SPDX-License-Identifier: AGPL-3.0-or-later
// A report's history as the audit trail tells it: its own events, and the status changes
// of every report in a period (Open311's servicerequestupdates).
#include "reports/reports.h"

namespace cleanai {

Result<std::vector<ReportEvent>> ReportService::Events(const Principal& who,
                                                       const std::string& id) {
  return db_.WithConnection<std::vector<ReportEvent>>(
      [&](Connection& c) -> Result<std::vector<ReportEvent>> {
        auto r = Load(c, id);
        if (!r) return Err(r.error());
        if (!MayView(who, c, *r)) return Err(Status::NotFound("no such report"));
        auto rows = c.Execute(
            "SELECT e.id, e.event_type, e.old_status, e.new_status, e.details, e.user_id, "
            "u.username, e.created_at FROM event_logs e LEFT JOIN users u ON u.id = e.user_id "
            "WHERE e.report_id = $1 ORDER BY e.id",
            {id});
        if (!rows) return Err(rows.error());
        std::vector<ReportEvent> out;
        for (const auto& row : rows->rows) {
          out.push_back({row.Text("id"), row.Text("event_type"),
                         row.TimeText("created_at").value_or(""), row.OptText("user_id"),
                         row.OptText("username"), row.OptText("old_status"),
                         row.OptText("new_status"), row.OptText("details")});
        }
        return out;
      });
}

Result<std::vector<StatusUpdate>> ReportService::StatusUpdates(const std::string& from,
                                                               const std::string& to, int limit) {
  auto r = db_.Execute(
      "SELECT e.id, e.report_id, e.new_status, e.details, e.created_at, "
      "CASE WHEN r.photo_hidden THEN NULL ELSE r.verification_image_key END AS "
      "verification_image_key FROM event_logs e JOIN reports r ON r.id = e.report_id "
      "WHERE e.event_type IN ('report.status_changed', 'report.dispatched') AND "
      "e.created_at >= $1 AND e.created_at < $2 AND r.deleted_at IS NULL ORDER BY e.id LIMIT $3",
      {from, to, int64_t{limit}});
  if (!r) return Err(r.error());
  std::vector<StatusUpdate> out;
  for (const auto& row : r->rows) {
    out.push_back({row.Text("id"), row.Text("report_id"), row.Text("new_status"),
                   row.Text("details"), row.TimeText("created_at").value_or(""),
                   row.OptText("verification_image_key")});
  }
  return out;
}

}  // namespace cleanai
