// SPDX-License-Identifier: AGPL-3.0-or-later
#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <cstdio>

#include "core/crypto.h"
#include "core/log.h"
#include "core/text.h"
#include "reports/report_sql.h"
#include "reports/reports.h"
#include "storage/audit.h"

namespace cleanai {

ReportService::ReportService(Database& db, const Clock& clock, const Config& config,
                             const MediaStore& media, const Notifier& notifier,
                             const EventLog& events)
    : db_(db),
      clock_(clock),
      config_(config),
      media_(media),
      notifier_(notifier),
      events_(events) {}

Status ReportService::PublishChange(Connection& c, const std::string& type, const std::string& id) {
  auto r = Load(c, id);
  if (!r) return r.error();
  auto envelope = [&](bool full) {
    return boost::json::serialize(
        boost::json::object{{"type", type}, {"report", ReportJson(*r, full)}});
  };
  CLEANAI_RETURN_STATUS_IF_ERROR(events_.Publish(c, std::nullopt, id, type, envelope(true)));
  auto subs = c.Execute("SELECT user_id FROM report_subscriptions WHERE report_id = $1", {id});
  if (!subs) return subs.error();
  for (const auto& row : subs->rows) {
    std::string user = row.Text("user_id");
    bool owner = r->user_id && *r->user_id == user;
    CLEANAI_RETURN_STATUS_IF_ERROR(events_.Publish(c, user, id, type, envelope(owner)));
  }
  if (r->dispatched_to &&
      (r->status == ReportStatus::kDispatched || r->status == ReportStatus::kInProgress ||
       type == "report.status_changed")) {
    auto d = c.Execute("SELECT driver_id FROM fleet WHERE id = $1 AND driver_id IS NOT NULL",
                       {*r->dispatched_to});
    if (!d) return d.error();
    if (!d->rows.empty()) {
      CLEANAI_RETURN_STATUS_IF_ERROR(
          events_.Publish(c, d->rows[0].Text("driver_id"), id, type, envelope(false)));
    }
  }
  return Status::Ok();
}

Result<Report> ReportService::Load(Connection& c, const std::string& id) {
  if (!IsUuid(id)) return Err(Status::NotFound("no such report"));
  auto r = c.Execute(std::string(kSelectReport) + " WHERE r.id = $1", {id});
  if (!r) return Err(r.error());
  if (r->rows.empty()) return Err(Status::NotFound("no such report"));
  return ReportFromRow(r->rows[0]);
}

bool ReportService::MayView(const Principal& who, Connection& c, const Report& r) {
  if (who.role == Role::kAdmin) return true;
  if (r.deleted_at) return false;
  if (r.user_id && *r.user_id == who.user_id) return true;
  if (who.role == Role::kDriver && r.dispatched_to) {
    auto v = c.Execute("SELECT driver_id FROM fleet WHERE id = $1", {*r.dispatched_to});
    if (v && !v->rows.empty() && v->rows[0].Text("driver_id") == who.user_id) return true;
  }
  // Its followers: citizens who confirmed it, or whose own report was merged into it (they
  // get its news, so its page must open for them; without the reporter's identity).
  auto f =
      c.Execute("SELECT 1 AS x FROM report_subscriptions WHERE report_id = $1 AND user_id = $2",
                {r.id, who.user_id});
  return f && !f->rows.empty();
}

Status ReportService::Audit(Connection& c, const std::string& report_id, const Principal& who,
                            const std::string& event_type,
                            const std::optional<std::string>& old_status,
                            const std::optional<std::string>& new_status,
                            const std::string& details_json, const ClientInfo& client) {
  return WriteAudit(c, clock_,
                    {report_id, who.user_id, event_type, old_status, new_status, details_json,
                     client.ip, client.user_agent});
}

Status ReportService::NotifyReporterAndSubscribers(Connection& c, const Report& r,
                                                   const std::string& kind,
                                                   const TemplateParams& params,
                                                   const std::string& variant) {
  auto subs = c.Execute("SELECT user_id FROM report_subscriptions WHERE report_id = $1", {r.id});
  if (!subs) return subs.error();
  for (const auto& row : subs->rows) {
    CLEANAI_RETURN_STATUS_IF_ERROR(notifier_.Send(c, {.user_id = row.Text("user_id"),
                                                      .report_id = r.id,
                                                      .kind = kind,
                                                      .params = params,
                                                      .variant = variant}));
  }
  return Status::Ok();
}

Result<Report> ReportService::Get(const Principal& who, const std::string& id) {
  return db_.WithConnection<Report>([&](Connection& c) -> Result<Report> {
    auto r = Load(c, id);
    if (!r) return r;
    if (!MayView(who, c, *r)) return Err(Status::NotFound("no such report"));
    return r;
  });
}

Result<std::vector<Report>> ReportService::List(const ReportFilter& f) {
  // A map's box over open reports reads idx_reports_open (migration 8): the box's share
  // of the open reports, not of every report ever filed. Elsewhere id order finds the
  // newest page at once.
  static const std::vector<std::string> kOpenStatuses = {"submitted", "acknowledged", "dispatched",
                                                         "in_progress"};
  bool open_only = !f.statuses.empty() && !f.include_deleted && f.ids.empty();
  for (const auto& st : f.statuses) {
    open_only = open_only &&
                std::find(kOpenStatuses.begin(), kOpenStatuses.end(), st) != kOpenStatuses.end();
  }
  const bool use_open_index = open_only && f.min_lat.has_value();
  std::string sql =
      std::string(kSelectReportColumns) + " FROM " +
      (use_open_index ? TableUsingIndex(db_.backend(), "reports r", "idx_reports_open")
                      : std::string("reports r")) +
      " LEFT JOIN users u ON u.id = r.user_id WHERE 1 = 1";
  if (use_open_index) {
    sql +=
        " AND r.deleted_at IS NULL AND r.status IN ('submitted', 'acknowledged', "
        "'dispatched', 'in_progress')";
  }
  std::vector<Value> params;
  auto add = [&](Value v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  };
  auto in_list = [&](const char* column, const std::vector<std::string>& values) {
    if (values.empty()) return;
    sql += std::string(" AND ") + column + " IN (";
    for (size_t i = 0; i < values.size(); ++i) sql += (i ? ", " : "") + add(values[i]);
    sql += ")";
  };
  in_list("r.id", f.ids);
  in_list("r.status", f.statuses);
  in_list("r.waste_type", f.types);
  in_list("r.priority", f.priorities);
  if (!f.include_deleted) sql += " AND r.deleted_at IS NULL";
  if (f.city) sql += " AND lower(r.location_city) = lower(" + add(*f.city) + ")";
  if (f.from) {
    sql += " AND r.created_at >= " + add(*f.from);
    // Ids are UUIDv7 made no earlier than created_at: the same bound on the id lets an
    // id-ordered page stop where the window starts instead of scanning all history.
    SystemTime from;
    if (ParseTime(*f.from, &from))
      sql += " AND r.id >= " + add(UuidV7Floor(from.time_since_epoch().count()));
  }
  if (f.to) sql += " AND r.created_at < " + add(*f.to);
  if (f.min_lat) {
    sql += " AND r.location_lat BETWEEN " + add(*f.min_lat) + " AND " + add(*f.max_lat);
    sql += " AND r.location_lng BETWEEN " + add(*f.min_lng) + " AND " + add(*f.max_lng);
  }
  if (f.search) {
    const std::string like = add(LikeContains(*f.search));
    sql += " AND (lower(r.location_address) LIKE " + like + " ESCAPE '\\' OR lower(" +
           "COALESCE(r.location_city, '')) LIKE " + like + " ESCAPE '\\' OR lower(" +
           "COALESCE(r.description, '')) LIKE " + like + " ESCAPE '\\')";
  }
  if (f.vehicle_id) sql += " AND r.dispatched_to = " + add(*f.vehicle_id);
  if (f.by_priority) {
    // The work order: urgent first, then the oldest; the cursor is "<rank>.<id>".
    const std::string rank =
        "(CASE r.priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END)";
    if (f.cursor) {
      const int64_t after_rank = (*f.cursor)[0] - '0';
      const std::string after_id = f.cursor->substr(2);
      sql += " AND (" + rank + " > " + add(after_rank) + " OR (" + rank + " = " + add(after_rank) +
             " AND r.id > " + add(after_id) + "))";
    }
    sql += " ORDER BY " + rank + ", r.id ASC";
  } else {
    // Ids are UUIDv7: their order is creation order, so they serve as the keyset cursor.
    if (f.cursor)
      sql += std::string(" AND r.id ") + (f.newest_first ? "<" : ">") + " " + add(*f.cursor);
    sql += std::string(" ORDER BY r.id ") + (f.newest_first ? "DESC" : "ASC");
  }
  sql += " LIMIT " + add(int64_t{f.limit});
  if (f.offset > 0) sql += " OFFSET " + add(int64_t{f.offset});
  Database& db = f.from_replica ? *reads_ : db_;
  auto r = db.Execute(sql, params);
  if (!r) return Err(r.error());
  std::vector<Report> out;
  for (const auto& row : r->rows) out.push_back(ReportFromRow(row));
  return out;
}

Result<std::vector<Report>> ReportService::ByUser(const Principal& who, const std::string& user_id,
                                                  int limit) {
  if (who.role != Role::kAdmin && who.user_id != user_id)
    return Err(Status::NotFound("no such user"));
  if (!IsUuid(user_id)) return Err(Status::NotFound("no such user"));
  auto r = db_.Execute(std::string(kSelectReport) +
                           " WHERE r.user_id = $1 AND r.deleted_at IS NULL ORDER BY r.id DESC "
                           "LIMIT $2",
                       {user_id, int64_t{limit}});
  if (!r) return Err(r.error());
  std::vector<Report> out;
  for (const auto& row : r->rows) out.push_back(ReportFromRow(row));
  return out;
}

Result<std::vector<NearbyReport>> ReportService::Nearby(double lat, double lng, double radius_m,
                                                        const std::optional<std::string>& type,
                                                        int limit) {
  std::string sql;
  std::vector<Value> params;
  if (db_.backend() == Backend::kSqlite) {
    // R*Tree candidates inside the bounding box of the circle.
    double dlat = radius_m / 111320.0;
    double dlng = radius_m / (111320.0 * std::max(0.01, std::cos(lat * M_PI / 180.0)));
    // CROSS JOIN pins the join order: the R*Tree drives, each hit fetches its row.
    sql = std::string(kSelectReportColumns) +
          " FROM reports_geo g CROSS JOIN reports r ON r.rowid = g.id LEFT JOIN users u ON "
          "u.id = r.user_id WHERE g.min_lat >= $1 AND g.max_lat <= $2 AND g.min_lng >= $3 AND "
          "g.max_lng <= $4";
    params = {lat - dlat, lat + dlat, lng - dlng, lng + dlng};
  } else {
    // GiST on ll_to_earth (through the restorable wrapper of migration 016): the cube
    // around the circle, then the exact distance below.
    sql = std::string(kSelectReport) +
          " WHERE earth_box(ll_to_earth($1, $2), $3) @> cleanai_ll_to_earth("
          "r.location_lat::float8, r.location_lng::float8)";
    params = {lat, lng, radius_m};
  }
  sql +=
      " AND r.deleted_at IS NULL AND r.status IN ('submitted', 'acknowledged', 'dispatched', "
      "'in_progress')";
  if (type) {
    params.push_back(*type);
    sql += " AND r.waste_type = $" + std::to_string(params.size());
  }
  auto r = db_.Execute(sql, params);
  if (!r) return Err(r.error());
  std::vector<NearbyReport> out;
  for (const auto& row : r->rows) {
    Report rep = ReportFromRow(row);
    double d = HaversineMeters(lat, lng, rep.lat, rep.lng);
    if (d <= radius_m) out.push_back({std::move(rep), d});
  }
  std::sort(out.begin(), out.end(), [](const NearbyReport& a, const NearbyReport& b) {
    return a.distance_m < b.distance_m;
  });
  if (static_cast<int>(out.size()) > limit) out.resize(limit);
  return out;
}

Result<Report> ReportService::Edit(const Principal& who, const std::string& id, const ReportEdit& e,
                                   const ClientInfo& client) {
  return db_.InTransaction<Report>([&](Connection& c) -> Result<Report> {
    auto cur = Load(c, id);
    if (!cur) return cur;
    if (!MayView(who, c, *cur)) return Err(Status::NotFound("no such report"));
    bool admin = who.role == Role::kAdmin;
    bool owner = cur->user_id && *cur->user_id == who.user_id;
    if (!admin && !owner) return Err(Status::PermissionDenied("only the reporter or an admin"));
    std::vector<FieldError> errors;
    if (!admin) {
      if (e.priority) errors.push_back({"priority", "only admins may change the priority"});
      if (e.address) errors.push_back({"address", "only admins may change the address"});
      if (e.blocks_drain) errors.push_back({"blocksDrain", "only admins may change this"});
      if (e.size) errors.push_back({"size", "only admins may change this"});
      if (!errors.empty()) return Err(Status::InvalidArgument("not allowed", errors));
      if (cur->status != ReportStatus::kSubmitted) {
        return Err(Status::Conflict("the report is being handled and can no longer be edited"));
      }
    }
    if (cur->deleted_at) return Err(Status::NotFound("no such report"));
    Report next = *cur;
    boost::json::object changed;
    if (e.waste_type && *e.waste_type != cur->waste_type) {
      next.waste_type = *e.waste_type;
      changed["wasteType"] = boost::json::array{boost::json::value(cur->waste_type),
                                                boost::json::value(*e.waste_type)};
    }
    if (e.description) {
      next.description = *e.description;
      changed["description"] = true;
    }
    if (e.priority && *e.priority != cur->priority) {
      next.priority = *e.priority;
      changed["priority"] = boost::json::array{boost::json::value(PriorityName(cur->priority)),
                                               boost::json::value(PriorityName(*e.priority))};
    }
    if (e.size) {
      next.size = *e.size;
      changed["size"] = *e.size;
    }
    if (e.address) {
      next.address = *e.address;
      changed["address"] = true;
    }
    if (e.blocks_drain) {
      next.blocks_drain = *e.blocks_drain;
      changed["blocksDrain"] = *e.blocks_drain;
    }
    if (changed.empty()) return next;
    auto upd = c.Execute(
        "UPDATE reports SET waste_type = $1, description = $2, priority = $3, size = $4, "
        "location_address = $5, blocks_drain = $6, updated_at = $7 WHERE id = $8",
        {next.waste_type, next.description ? Value(*next.description) : Value(nullptr),
         std::string(PriorityName(next.priority)), next.size ? Value(*next.size) : Value(nullptr),
         next.address, next.blocks_drain, FormatTime(clock_.Now()), id});
    if (!upd) return Err(upd.error());
    CLEANAI_RETURN_IF_ERROR(Audit(c, id, who, "report.updated", std::nullopt, std::nullopt,
                                  boost::json::serialize(changed), client));
    CLEANAI_RETURN_IF_ERROR(PublishChange(c, "report.updated", id));
    return Load(c, id);
  });
}

Status ReportService::Delete(const Principal& admin, const std::string& id,
                             const ClientInfo& client) {
  auto done = db_.InTransaction<bool>([&](Connection& c) -> Result<bool> {
    auto cur = Load(c, id);
    if (!cur) return Err(cur.error());
    if (cur->deleted_at) return Err(Status::NotFound("no such report"));
    auto upd = c.Execute("UPDATE reports SET deleted_at = $1, updated_at = $1 WHERE id = $2",
                         {FormatTime(clock_.Now()), id});
    if (!upd) return Err(upd.error());
    CLEANAI_RETURN_IF_ERROR(Audit(c, id, admin, "report.deleted",
                                  std::string(StatusName(cur->status)),
                                  std::string(StatusName(cur->status)), "{}", client));
    // Only admins hear of a deletion: for everyone else the report simply is gone.
    CLEANAI_RETURN_IF_ERROR(events_.Publish(
        c, std::nullopt, id, "report.deleted",
        boost::json::serialize(boost::json::object{{"type", "report.deleted"}, {"reportId", id}})));
    return true;
  });
  return done ? Status::Ok() : done.error();
}

}  // namespace cleanai
