// SPDX-License-Identifier: AGPL-3.0-or-later
// "Already reported?": confirmations of an open report by other citizens (FixMyStreet's
// and TrashOut's answer to duplicate reports).
#include <boost/json.hpp>

#include "core/crypto.h"
#include "reports/report_sql.h"
#include "reports/reports.h"

namespace cleanai {

namespace {
constexpr int kConfirmationsToRaise = 3;
}  // namespace

Result<Report> ReportService::Confirm(const Principal& who, const std::string& id,
                                      const std::string& kind, const ClientInfo& client) {
  if (kind != "still_there" && kind != "more" && kind != "less" && kind != "cleaned") {
    return Err(Status::InvalidArgument("unknown answer",
                                       {{"kind", "must be still_there, more, less or cleaned"}}));
  }
  return db_.InTransaction<Report>([&](Connection& c) -> Result<Report> {
    auto cur = Load(c, id);
    if (!cur) return cur;
    if (cur->deleted_at || !IsOpen(cur->status))
      return Err(Status::NotFound("no such open report"));
    if (cur->user_id && *cur->user_id == who.user_id) {
      return Err(Status::Conflict("you filed this report; edit it instead"));
    }
    std::string now = FormatTime(clock_.Now());
    auto up = c.Execute(
        "INSERT INTO report_confirmations (report_id, user_id, kind, created_at, updated_at) "
        "VALUES ($1, $2, $3, $4, $4) ON CONFLICT (report_id, user_id) DO UPDATE SET kind = "
        "excluded.kind, updated_at = excluded.updated_at",
        {id, who.user_id, kind, now});
    if (!up) return Err(up.error());
    auto counts = c.Execute(
        "SELECT COUNT(*) AS total, SUM(CASE WHEN kind IN ('still_there', 'more') THEN 1 ELSE 0 "
        "END) AS present FROM report_confirmations WHERE report_id = $1",
        {id});
    if (!counts) return Err(counts.error());
    int64_t total = counts->rows[0].Int("total");
    int64_t present = counts->rows[0].Int("present");
    // Raise once, on the confirmation that reaches the threshold.
    bool raise = present == kConfirmationsToRaise && (kind == "still_there" || kind == "more") &&
                 cur->priority != Priority::kUrgent;
    const std::string priority(PriorityName(raise ? Raised(cur->priority) : cur->priority));
    auto upd = c.Execute(
        "UPDATE reports SET confirmations = $1, priority = $2, updated_at = $3 WHERE id = $4",
        {total, priority, now, id});
    if (!upd) return Err(upd.error());
    auto sub = c.Execute(
        "INSERT INTO report_subscriptions (report_id, user_id, created_at) VALUES ($1, $2, $3) ON "
        "CONFLICT DO NOTHING",
        {id, who.user_id, now});
    if (!sub) return Err(sub.error());
    boost::json::object details{{"kind", kind}, {"confirmations", total}};
    if (raise) details["priorityRaisedTo"] = priority;
    CLEANAI_RETURN_IF_ERROR(Audit(c, id, who, "report.confirmed", std::nullopt, std::nullopt,
                                  boost::json::serialize(details), client));
    CLEANAI_RETURN_IF_ERROR(PublishChange(c, "report.confirmed", id));
    return Load(c, id);
  });
}

}  // namespace cleanai
