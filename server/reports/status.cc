// SPDX-License-Identifier: AGPL-3.0-or-later
// The status machine (see reports.h) and dispatching to a vehicle.
#include <boost/json.hpp>

#include "core/crypto.h"
#include "reports/report_sql.h"
#include "reports/reports.h"

namespace cleanai {
namespace {

using S = ReportStatus;

std::string Name(ReportStatus s) { return std::string(StatusName(s)); }

// Whether `role` may move a report from `from` to `to` (through ChangeStatus).
bool Allowed(ReportStatus from, ReportStatus to, bool admin, bool assigned_driver) {
  struct Edge {
    ReportStatus from, to;
    bool driver;  // the assigned driver may do it too
  };
  static const Edge kEdges[] = {
      {S::kSubmitted, S::kAcknowledged, false}, {S::kSubmitted, S::kRejected, false},
      {S::kSubmitted, S::kDuplicate, false},    {S::kAcknowledged, S::kRejected, false},
      {S::kAcknowledged, S::kDuplicate, false}, {S::kDispatched, S::kInProgress, true},
      {S::kDispatched, S::kResolved, true},     {S::kDispatched, S::kAcknowledged, true},
      {S::kDispatched, S::kRejected, false},    {S::kInProgress, S::kResolved, true},
      {S::kInProgress, S::kDispatched, false},  {S::kInProgress, S::kAcknowledged, true},
      {S::kResolved, S::kAcknowledged, false},  {S::kRejected, S::kAcknowledged, false},
  };
  for (const auto& e : kEdges) {
    if (from == e.from && to == e.to) return admin || (e.driver && assigned_driver);
  }
  return false;
}

// Sets a vehicle idle when it has no other open job.
Status FreeVehicleIfDone(Connection& c, const std::optional<std::string>& vehicle,
                         const std::string& now) {
  if (!vehicle) return Status::Ok();
  auto r = c.Execute(
      "UPDATE fleet SET status = 'idle', last_updated = $1 WHERE id = $2 AND status = 'busy' AND "
      "NOT EXISTS (SELECT 1 FROM reports WHERE dispatched_to = $2 AND status IN ('dispatched', "
      "'in_progress') AND deleted_at IS NULL)",
      {now, *vehicle});
  return r ? Status::Ok() : r.error();
}

// Seconds from filing to the first answer (any move out of "submitted"): the
// time-to-acknowledge figure. Null once answered, so COALESCE keeps the first value.
Value FirstResponseSeconds(const Report& cur, SystemTime now) {
  SystemTime created;
  if (cur.status != ReportStatus::kSubmitted || !ParseTime(cur.created_at, &created))
    return nullptr;
  return static_cast<int64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(now - created).count());
}

}  // namespace

Result<Report> ReportService::ChangeStatus(const Principal& who, const std::string& id,
                                           const StatusChange& ch, std::string_view after_photo,
                                           const ClientInfo& client) {
  if (ch.status == ReportStatus::kDispatched) {
    return Err(
        Status::InvalidArgument("dispatching needs a vehicle",
                                {{"status", "use PATCH /api/fleet/{id}/assign to dispatch"}}));
  }
  if (ch.status == ReportStatus::kRejected && (!ch.reason || ch.reason->empty())) {
    return Err(Status::InvalidArgument("a rejection needs a reason", {{"reason", "is required"}}));
  }
  if (ch.status == ReportStatus::kDuplicate && (!ch.duplicate_of || !IsUuid(*ch.duplicate_of))) {
    return Err(Status::InvalidArgument("a duplicate needs the original",
                                       {{"duplicateOf", "must be the id of the original report"}}));
  }
  if (!after_photo.empty() && ch.status != ReportStatus::kResolved) {
    return Err(Status::InvalidArgument("a photo belongs only to resolving",
                                       {{"photo", "send it with status resolved"}}));
  }
  std::optional<StoredPhoto> photo;
  if (!after_photo.empty()) {
    auto stored = media_.Store(after_photo, PhotoLimits{});
    if (!stored) return Err(stored.error());
    photo = *stored;
  }

  auto result = db_.InTransaction<Report>([&](Connection& c) -> Result<Report> {
    auto cur = Load(c, id);
    if (!cur) return cur;
    if (!MayView(who, c, *cur) || cur->deleted_at) return Err(Status::NotFound("no such report"));
    bool admin = who.role == Role::kAdmin;
    bool assigned_driver = false;
    if (who.role == Role::kDriver && cur->dispatched_to) {
      auto v = c.Execute("SELECT driver_id FROM fleet WHERE id = $1", {*cur->dispatched_to});
      if (!v) return Err(v.error());
      assigned_driver = !v->rows.empty() && v->rows[0].Text("driver_id") == who.user_id;
    }
    if (!admin && !assigned_driver) {
      return Err(Status::PermissionDenied("only admins and the assigned driver change the status"));
    }
    // A driver who could not clean hands the report back to the admins, saying why.
    if (!admin && ch.status == S::kAcknowledged && (!ch.reason || ch.reason->empty())) {
      return Err(
          Status::InvalidArgument("say why it could not be cleaned",
                                  {{"reason", "is required when a driver hands a report back"}}));
    }
    if (!Allowed(cur->status, ch.status, admin, assigned_driver)) {
      return Err(Status::Conflict("a report cannot go from " + Name(cur->status) + " to " +
                                  Name(ch.status)));
    }
    std::string now = FormatTime(clock_.Now());
    boost::json::object details;
    if (ch.reason) details["reason"] = *ch.reason;
    if (ch.note) details["note"] = *ch.note;
    std::optional<Report> original;
    if (ch.status == ReportStatus::kDuplicate) {
      if (*ch.duplicate_of == id) {
        return Err(Status::InvalidArgument("a report cannot duplicate itself",
                                           {{"duplicateOf", "is this report"}}));
      }
      auto o = Load(c, *ch.duplicate_of);
      if (!o || o->deleted_at) {
        return Err(Status::InvalidArgument("no such original",
                                           {{"duplicateOf", "is not an existing report"}}));
      }
      original = *o;
      details["duplicateOf"] = *ch.duplicate_of;
    }
    if (photo) details["verificationImageKey"] = photo->image_key;
    bool resolving = ch.status == ReportStatus::kResolved;
    // Each column's new value is decided here, so the SQL stays a plain parameterised
    // UPDATE on both backends.
    auto keep = [](const std::optional<std::string>& v) { return v ? Value(*v) : Value(nullptr); };
    Value rejection =
        ch.status == ReportStatus::kRejected ? Value(*ch.reason) : keep(cur->rejection_reason);
    Value duplicate =
        ch.status == ReportStatus::kDuplicate ? Value(*ch.duplicate_of) : keep(cur->duplicate_of);
    Value resolved_at = resolving ? Value(now) : keep(cur->resolved_at);
    Value resolved_by = resolving ? Value(who.user_id) : keep(cur->resolved_by);
    Value after_key = photo ? Value(photo->image_key) : keep(cur->verification_image_key);
    Value after_url =
        photo ? Value(MediaUrl(photo->image_key))
              : (cur->verification_image_key ? Value(MediaUrl(*cur->verification_image_key))
                                             : Value(nullptr));
    // Kept as a number so that averages are one portable aggregate on both backends.
    Value resolution = nullptr;
    SystemTime created;
    if (resolving && ParseTime(cur->created_at, &created)) {
      resolution = static_cast<int64_t>(
          std::chrono::duration_cast<std::chrono::seconds>(clock_.Now() - created).count());
    }
    auto upd = c.Execute(
        "UPDATE reports SET status = $1, updated_at = $2, rejection_reason = $3, "
        "duplicate_of = $4, resolved_at = $5, resolved_by = $6, verification_image_key = $7, "
        "verification_image_url = $8, resolution_seconds = COALESCE($9, resolution_seconds), "
        "response_seconds = COALESCE(response_seconds, $10) WHERE id = $11",
        {Name(ch.status), now, rejection, duplicate, resolved_at, resolved_by, after_key, after_url,
         resolution, FirstResponseSeconds(*cur, clock_.Now()), id});
    if (!upd) return Err(upd.error());
    if (resolving && cur->user_id) {
      auto bump =
          c.Execute("UPDATE users SET reports_resolved = reports_resolved + 1 WHERE id = $1",
                    {*cur->user_id});
      if (!bump) return Err(bump.error());
    }
    if (resolving && cur->dispatched_to) {
      // The truck now carries what it collected (up to its capacity): planning sees less
      // room until it unloads at a depot.
      auto load = c.Execute(
          "UPDATE fleet SET current_load = CASE WHEN current_load + $1 > capacity THEN capacity "
          "ELSE current_load + $1 END WHERE id = $2",
          {EstimatedVolume(*cur), *cur->dispatched_to});
      if (!load) return Err(load.error());
    }
    if (resolving || ch.status == ReportStatus::kAcknowledged ||
        ch.status == ReportStatus::kRejected) {
      CLEANAI_RETURN_IF_ERROR(FreeVehicleIfDone(c, cur->dispatched_to, now));
    }
    CLEANAI_RETURN_IF_ERROR(Audit(c, id, who, "report.status_changed", Name(cur->status),
                                  Name(ch.status), boost::json::serialize(details), client));

    TemplateParams words;
    std::string variant;
    if (ch.status == ReportStatus::kRejected) words["reason"] = Same(*ch.reason);
    if (resolving && photo) {
      words["photo"] = Same(config_.public_url + MediaUrl(photo->image_key));
      variant = ".photo";
    }
    if (ch.status == ReportStatus::kDuplicate && cur->user_id) {
      // The reporter follows the original from now on.
      auto sub = c.Execute(
          "INSERT INTO report_subscriptions (report_id, user_id, created_at) VALUES ($1, $2, $3) "
          "ON CONFLICT DO NOTHING",
          {original->id, *cur->user_id, now});
      if (!sub) return Err(sub.error());
    }
    CLEANAI_RETURN_IF_ERROR(
        NotifyReporterAndSubscribers(c, *cur, "report." + Name(ch.status), words, variant));
    if (photo && photo_hook_)
      CLEANAI_RETURN_IF_ERROR(photo_hook_(c, id, photo->image_key, "after"));
    if (photo && cur->photo_hidden) {
      // A hidden report's after photo is hidden with it.
      auto hide = c.Execute(
          "INSERT INTO hidden_media (media_key, report_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
          {photo->image_key, id});
      if (!hide) return Err(hide.error());
    }
    CLEANAI_RETURN_IF_ERROR(PublishChange(c, "report.status_changed", id));
    return Load(c, id);
  });
  if (!result && photo) media_.Discard(*photo);
  return result;
}

Result<Report> ReportService::Dispatch(const Principal& admin, const std::string& vehicle_id,
                                       const std::string& report_id, const ClientInfo& client) {
  if (!IsUuid(vehicle_id)) return Err(Status::NotFound("no such vehicle"));
  if (!IsUuid(report_id)) {
    return Err(Status::InvalidArgument("no such report", {{"reportId", "is not a report id"}}));
  }
  return db_.InTransaction<Report>([&](Connection& c) -> Result<Report> {
    auto v = c.Execute("SELECT id, vehicle_number, driver_id, status FROM fleet WHERE id = $1",
                       {vehicle_id});
    if (!v) return Err(v.error());
    if (v->rows.empty()) return Err(Status::NotFound("no such vehicle"));
    const Row& vehicle = v->rows[0];
    if (vehicle.Text("status") == "offline" || vehicle.Text("status") == "maintenance") {
      return Err(Status::Conflict("the vehicle is " + vehicle.Text("status")));
    }
    auto cur = Load(c, report_id);
    if (!cur || cur->deleted_at) {
      return Err(Status::InvalidArgument("no such report", {{"reportId", "is not a report id"}}));
    }
    if (cur->status != ReportStatus::kSubmitted && cur->status != ReportStatus::kAcknowledged) {
      return Err(
          Status::Conflict("a report cannot go from " + Name(cur->status) + " to dispatched"));
    }
    std::string now = FormatTime(clock_.Now());
    auto upd = c.Execute(
        "UPDATE reports SET status = 'dispatched', dispatched_to = $1, dispatched_at = $2, "
        "updated_at = $2, response_seconds = COALESCE(response_seconds, $3) WHERE id = $4",
        {vehicle_id, now, FirstResponseSeconds(*cur, clock_.Now()), report_id});
    if (!upd) return Err(upd.error());
    auto busy = c.Execute("UPDATE fleet SET status = 'busy', last_updated = $1 WHERE id = $2",
                          {now, vehicle_id});
    if (!busy) return Err(busy.error());
    std::string number = vehicle.Text("vehicle_number");
    boost::json::object details{{"vehicleId", vehicle_id}, {"vehicleNumber", number}};
    CLEANAI_RETURN_IF_ERROR(Audit(c, report_id, admin, "report.dispatched", Name(cur->status),
                                  std::string("dispatched"), boost::json::serialize(details),
                                  client));
    CLEANAI_RETURN_IF_ERROR(
        NotifyReporterAndSubscribers(c, *cur, "report.dispatched",
                                     {{"vehicle", Same(number)}, {"address", Same(cur->address)}}));
    if (!vehicle.IsNull("driver_id")) {
      const WasteType* type = FindWasteType(cur->waste_type);
      CLEANAI_RETURN_IF_ERROR(notifier_.Send(
          c,
          {.user_id = vehicle.Text("driver_id"),
           .report_id = report_id,
           .kind = "assignment.new",
           .params = {{"type", type ? Words{type->label, type->label_ur} : Same(cur->waste_type)},
                      {"address", Same(cur->address)},
                      {"priority", PriorityWords(std::string(PriorityName(cur->priority)))}}}));
    }
    CLEANAI_RETURN_IF_ERROR(PublishChange(c, "report.dispatched", report_id));
    return Load(c, report_id);
  });
}

}  // namespace cleanai
