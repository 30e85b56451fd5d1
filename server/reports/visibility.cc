// SPDX-License-Identifier: AGPL-3.0-or-later
// What the public may see of a report, an admin hiding its photos, and following it.
#include <boost/json.hpp>

#include "core/crypto.h"
#include "reports/report_sql.h"

namespace cleanai {

bool IsPublic(const Report& r) {
  return !r.deleted_at && r.status != ReportStatus::kRejected &&
         r.status != ReportStatus::kDuplicate;
}

bool PhotoIsPublic(const Report& r) {
  return IsPublic(r) && !r.photo_hidden && r.status != ReportStatus::kSubmitted;
}

Result<Report> ReportService::SetPhotoHidden(const Principal& admin, const std::string& id,
                                             bool hidden, const ClientInfo& client) {
  return db_.InTransaction<Report>([&](Connection& c) -> Result<Report> {
    auto cur = Load(c, id);
    if (!cur) return cur;
    if (cur->photo_hidden == hidden) return cur;  // already so: nothing to audit
    auto upd = c.Execute("UPDATE reports SET photo_hidden = $1, updated_at = $2 WHERE id = $3",
                         {hidden, FormatTime(clock_.Now()), id});
    if (!upd) return Err(upd.error());
    if (hidden) {
      std::vector<std::string> keys{cur->image_key, cur->thumbnail_key};
      if (cur->verification_image_key) keys.push_back(*cur->verification_image_key);
      for (const auto& key : keys) {
        auto ins = c.Execute(
            "INSERT INTO hidden_media (media_key, report_id) VALUES ($1, $2) "
            "ON CONFLICT DO NOTHING",
            {key, id});
        if (!ins) return Err(ins.error());
      }
    } else {
      auto del = c.Execute("DELETE FROM hidden_media WHERE report_id = $1", {id});
      if (!del) return Err(del.error());
    }
    const std::string status(StatusName(cur->status));
    CLEANAI_RETURN_IF_ERROR(Audit(c, id, admin,
                                  hidden ? "report.photo_hidden" : "report.photo_shown", status,
                                  status, "{}", client));
    CLEANAI_RETURN_IF_ERROR(PublishChange(c, "report.updated", id));
    return Load(c, id);
  });
}

Result<bool> ReportService::MayReadMedia(const std::string& key,
                                         const std::optional<Principal>& who) {
  if (who && who->role == Role::kAdmin) return true;
  auto rows = db_.Execute(
      "SELECT r.user_id FROM hidden_media h JOIN reports r ON r.id = h.report_id "
      "WHERE h.media_key = $1",
      {key});
  if (!rows) return Err(rows.error());
  if (rows->rows.empty()) return true;  // not hidden
  if (!who) return false;
  for (const auto& row : rows->rows) {
    if (row.OptText("user_id") == who->user_id) return true;
  }
  return false;
}

Status ReportService::Follow(const Principal& who, const std::string& id, bool follow) {
  auto done = db_.InTransaction<bool>([&](Connection& c) -> Result<bool> {
    auto cur = Load(c, id);
    if (!cur) return Err(cur.error());
    if (!IsPublic(*cur) && !MayView(who, c, *cur)) return Err(Status::NotFound("no such report"));
    if (cur->user_id && *cur->user_id == who.user_id && !follow) {
      // The reporter always hears of their own report.
      return Err(Status::Conflict("you filed this report; its news always reaches you"));
    }
    auto r = follow ? c.Execute(
                          "INSERT INTO report_subscriptions (report_id, user_id, created_at) "
                          "VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                          {id, who.user_id, FormatTime(clock_.Now())})
                    : c.Execute(
                          "DELETE FROM report_subscriptions WHERE report_id = $1 AND "
                          "user_id = $2",
                          {id, who.user_id});
    if (!r) return Err(r.error());
    return true;
  });
  return done ? Status::Ok() : done.error();
}

Result<std::pair<Report, std::vector<ReportService::PublicStep>>> ReportService::GetPublic(
    const std::string& id) {
  using Answer = std::pair<Report, std::vector<PublicStep>>;
  return db_.WithConnection<Answer>([&](Connection& c) -> Result<Answer> {
    auto r = Load(c, id);
    if (!r) return Err(r.error());
    if (!IsPublic(*r)) return Err(Status::NotFound("no such report"));
    auto rows = c.Execute(
        "SELECT new_status, created_at FROM event_logs WHERE report_id = $1 AND event_type IN "
        "('report.created', 'report.status_changed', 'report.dispatched') ORDER BY id",
        {id});
    if (!rows) return Err(rows.error());
    Answer out{std::move(*r), {}};
    for (const auto& row : rows->rows) {
      auto status = row.OptText("new_status");
      if (!status) continue;
      // Two steps to the same status in a row (a truck swapped) read as one.
      if (!out.second.empty() && out.second.back().status == *status) continue;
      out.second.push_back({*status, row.TimeText("created_at").value_or("")});
    }
    return out;
  });
}

Result<bool> ReportService::Follows(const Principal& who, const std::string& id) {
  if (!IsUuid(id)) return Err(Status::NotFound("no such report"));
  auto r =
      db_.Execute("SELECT 1 AS x FROM report_subscriptions WHERE report_id = $1 AND user_id = $2",
                  {id, who.user_id});
  if (!r) return Err(r.error());
  return !r->rows.empty();
}

}  // namespace cleanai
