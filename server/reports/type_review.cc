// SPDX-License-Identifier: AGPL-3.0-or-later
// An admin's review of the waste type a citizen chose (PUT /api/ai/reports/:id/label).
#include <boost/json.hpp>

#include "reports/reports.h"

namespace cleanai {

Result<Report> ReportService::ReviewType(const Principal& admin, const std::string& id,
                                         const std::string& waste_type, int64_t boxes,
                                         const ClientInfo& client,
                                         const std::function<Status(Connection&)>& also) {
  if (!FindWasteType(waste_type)) {
    return Err(Status::InvalidArgument(
        "unknown waste type", {{"wasteType", "must be one of the codes from /api/waste-types"}}));
  }
  return db_.InTransaction<Report>([&](Connection& c) -> Result<Report> {
    auto cur = Load(c, id);
    if (!cur) return cur;
    if (!MayView(admin, c, *cur)) return Err(Status::NotFound("no such report"));
    CLEANAI_RETURN_IF_ERROR(also(c));
    const bool corrected = waste_type != cur->waste_type;
    if (corrected) {
      auto fix = c.Execute("UPDATE reports SET waste_type = $1, updated_at = $2 WHERE id = $3",
                           {waste_type, FormatTime(clock_.Now()), id});
      if (!fix) return Err(fix.error());
    }
    boost::json::object details{{"from", cur->waste_type}, {"to", waste_type}, {"boxes", boxes}};
    CLEANAI_RETURN_IF_ERROR(
        Audit(c, id, admin, corrected ? "report.type_corrected" : "report.type_confirmed",
              std::nullopt, std::nullopt, boost::json::serialize(details), client));
    CLEANAI_RETURN_IF_ERROR(PublishChange(c, "report.updated", id));
    return Load(c, id);
  });
}

}  // namespace cleanai
