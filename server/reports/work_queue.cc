// SPDX-License-Identifier: AGPL-3.0-or-later
// The open work the fleet plans over: reports waiting for a truck, and a truck's stops.
#include "reports/report_sql.h"
#include "reports/reports.h"

namespace cleanai {

Result<std::vector<Report>> ReportService::AwaitingDispatch(int limit) {
  auto rows = db_.Execute(
      std::string(kSelectReport) +
          " WHERE r.status IN ('submitted', 'acknowledged') AND r.deleted_at IS NULL "
          "ORDER BY CASE r.priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' "
          "THEN 2 ELSE 3 END, r.id LIMIT $1",
      {int64_t{limit}});
  if (!rows) return Err(rows.error());
  std::vector<Report> out;
  for (const auto& row : rows->rows) out.push_back(ReportFromRow(row));
  return out;
}

Result<std::vector<Report>> ReportService::StopsOf(const std::string& vehicle_id, int limit) {
  auto rows = db_.Execute(std::string(kSelectReport) +
                              " WHERE r.dispatched_to = $1 AND r.status IN ('dispatched', "
                              "'in_progress') AND r.deleted_at IS NULL ORDER BY r.id LIMIT $2",
                          {vehicle_id, int64_t{limit}});
  if (!rows) return Err(rows.error());
  std::vector<Report> out;
  for (const auto& row : rows->rows) out.push_back(ReportFromRow(row));
  return out;
}

}  // namespace cleanai
