#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <cstdio>

#include "core/crypto.h"
#include "core/log.h"
#include "storage/audit.h"
#include "reports/report_sql.h"
#include "reports/reports.h"

namespace cleanai {

namespace {

std::string Coordinates(double lat, double lng) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.5f, %.5f", lat, lng);
  return buf;
}

std::string RequestHash(const NewReport& in, std::string_view photo) {
  boost::json::object o{{"t", in.waste_type},
                        {"lat", in.lat ? boost::json::value(*in.lat) : nullptr},
                        {"lng", in.lng ? boost::json::value(*in.lng) : nullptr},
                        {"a", in.address.value_or("")},
                        {"d", in.description.value_or("")},
                        {"s", in.size.value_or("")},
                        {"b", in.blocks_drain},
                        {"p", Sha256Hex(photo)}};
  return Sha256Hex(boost::json::serialize(o));
}

}  // namespace

ReportService::ReportService(Database& db, const Clock& clock, const Config& config,
                             const MediaStore& media, const Notifier& notifier,
                             const EventLog& events)
    : db_(db), clock_(clock), config_(config), media_(media), notifier_(notifier),
      events_(events) {}

Status ReportService::PublishChange(Connection& c, const std::string& type,
                                    const std::string& id) {
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
  if (r->dispatched_to && (r->status == "dispatched" || r->status == "in_progress" ||
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
  if (who.role == "admin") return true;
  if (r.deleted_at) return false;
  if (r.user_id && *r.user_id == who.user_id) return true;
  if (who.role == "driver" && r.dispatched_to) {
    auto v = c.Execute("SELECT driver_id FROM fleet WHERE id = $1", {*r.dispatched_to});
    return v && !v->rows.empty() && v->rows[0].Text("driver_id") == who.user_id;
  }
  return false;
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
    CLEANAI_RETURN_STATUS_IF_ERROR(
        notifier_.Send(c, {.user_id = row.Text("user_id"),
                           .report_id = r.id,
                           .kind = kind,
                           .params = params,
                           .variant = variant}));
  }
  return Status::Ok();
}

Result<std::pair<Report, bool>> ReportService::Submit(const Principal& who, const NewReport& in,
                                                      std::string_view photo,
                                                      const ClientInfo& client) {
  const WasteType* type = FindWasteType(in.waste_type);
  std::vector<FieldError> errors;
  if (!type) errors.push_back({"wasteType", "must be one of the codes from /api/waste-types"});
  if (in.lat.has_value() != in.lng.has_value()) {
    errors.push_back({in.lat ? "lng" : "lat", "lat and lng must be given together"});
  }
  if (in.lat && (*in.lat < -90 || *in.lat > 90)) errors.push_back({"lat", "must be -90 to 90"});
  if (in.lng && (*in.lng < -180 || *in.lng > 180)) errors.push_back({"lng", "must be -180 to 180"});
  if (photo.empty()) errors.push_back({"photo", "is required"});
  if (!errors.empty()) return Err(Status::InvalidArgument("the report is not valid", errors));

  // Hashing a 4 MB photo costs ~15 ms: only retries (with a key) need it.
  std::string hash = in.idempotency_key ? RequestHash(in, photo) : "";
  auto replay = [&]() -> Result<std::optional<Report>> {
    if (!in.idempotency_key) return std::optional<Report>();
    return db_.WithConnection<std::optional<Report>>(
        [&](Connection& c) -> Result<std::optional<Report>> {
          auto k = c.Execute(
              "SELECT report_id, request_hash FROM idempotency_keys WHERE user_id = $1 AND "
              "idempotency_key = $2",
              {who.user_id, *in.idempotency_key});
          if (!k) return Err(k.error());
          if (k->rows.empty()) return std::optional<Report>();
          if (k->rows[0].Text("request_hash") != hash) {
            return Err(Status::Conflict(
                "this Idempotency-Key was already used for a different report",
                {{"Idempotency-Key", "reuse only when retrying the same request"}}));
          }
          auto r = Load(c, k->rows[0].Text("report_id"));
          if (!r) return Err(r.error());
          return std::optional<Report>(*r);
        });
  };
  auto earlier = replay();
  if (!earlier) return Err(earlier.error());
  if (*earlier) return std::make_pair(**earlier, true);

  PhotoLimits limits;
  auto stored = media_.Store(photo, limits);
  if (!stored) return Err(stored.error());

  double lat, lng;
  std::string source;
  if (in.lat) {
    lat = *in.lat;
    lng = *in.lng;
    source = "device";
  } else if (stored->gps_lat) {
    lat = *stored->gps_lat;
    lng = *stored->gps_lng;
    source = "exif";
  } else {
    media_.Discard(*stored);
    return Err(Status::InvalidArgument(
        "the report has no location",
        {{"lat", "give lat and lng, or a photo that carries its GPS position"}}));
  }
  std::string address = in.address && !in.address->empty() ? *in.address : Coordinates(lat, lng);
  std::optional<std::pair<std::string, std::string>> place;
  if (locator_) place = locator_(lat, lng);
  std::string priority = type->priority;
  if (in.blocks_drain) priority = RaisePriority(priority);

  std::string id = NewUuidV7();
  std::string now = FormatTime(clock_.Now());
  auto created = db_.InTransaction<Report>([&](Connection& c) -> Result<Report> {
    auto ins = c.Execute(
        "INSERT INTO reports (id, user_id, image_url, image_key, thumbnail_key, waste_type, "
        "location_lat, location_lng, location_address, location_source, description, status, "
        "priority, size, blocks_drain, captured_at, created_at, updated_at, location_city, "
        "location_country) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'submitted', "
        "$12, $13, $14, $15, $16, $16, $17, $18)",
        {id, who.user_id, MediaUrl(stored->image_key), stored->image_key, stored->thumbnail_key,
         in.waste_type, lat, lng, address, source,
         in.description ? Value(*in.description) : Value(nullptr), priority,
         in.size ? Value(*in.size) : Value(nullptr), in.blocks_drain,
         stored->captured_at ? Value(*stored->captured_at) : Value(nullptr), now,
         place ? Value(place->first) : Value(nullptr),
         place ? Value(place->second) : Value(std::string("Pakistan"))});
    if (!ins) return Err(ins.error());
    if (in.idempotency_key) {
      auto key = c.Execute(
          "INSERT INTO idempotency_keys (user_id, idempotency_key, request_hash, report_id, "
          "created_at) VALUES ($1, $2, $3, $4, $5)",
          {who.user_id, *in.idempotency_key, hash, id, now});
      if (!key) return Err(key.error());  // Conflict: a concurrent retry won
    }
    auto cnt = c.Execute("UPDATE users SET reports_submitted = reports_submitted + 1 WHERE id = $1",
                         {who.user_id});
    if (!cnt) return Err(cnt.error());
    auto sub = c.Execute(
        "INSERT INTO report_subscriptions (report_id, user_id, created_at) VALUES ($1, $2, $3)",
        {id, who.user_id, now});
    if (!sub) return Err(sub.error());
    boost::json::object details{{"wasteType", in.waste_type},
                                {"priority", priority},
                                {"locationSource", source},
                                {"imageKey", stored->image_key}};
    CLEANAI_RETURN_IF_ERROR(Audit(c, id, who, "report.created", std::nullopt,
                                  std::string("submitted"), boost::json::serialize(details),
                                  client));
    const Words type_words{type->label, type->label_ur};
    CLEANAI_RETURN_IF_ERROR(notifier_.Send(
        c, {.user_id = who.user_id,
            .report_id = id,
            .kind = "report.received",
            .params = {{"type", type_words}, {"address", Same(address)}}}));
    if (priority == "high" || priority == "urgent") {
      // Every admin hears of it (in-app, and by email/SMS/push where they chose to).
      auto admins = c.Execute("SELECT id FROM users WHERE role = 'admin' AND is_active = $1", {true});
      if (!admins) return Err(admins.error());
      for (const auto& row : admins->rows) {
        CLEANAI_RETURN_IF_ERROR(notifier_.Send(
            c, {.user_id = row.Text("id"),
                .report_id = id,
                .kind = "report.high_priority",
                .params = {{"priority", PriorityWords(priority)},
                           {"type", type_words},
                           {"address", Same(address)}},
                .variant = in.blocks_drain ? ".drain" : ""}));
      }
    }
    if (photo_hook_) CLEANAI_RETURN_IF_ERROR(photo_hook_(c, id, stored->image_key, "report"));
    CLEANAI_RETURN_IF_ERROR(PublishChange(c, "report.created", id));
    return Load(c, id);
  });
  if (!created) {
    media_.Discard(*stored);
    if (created.error().code() == StatusCode::kConflict && in.idempotency_key) {
      // Lost the race with an identical retry: answer with the winner.
      auto winner = replay();
      if (winner && *winner) return std::make_pair(**winner, true);
    }
    return Err(created.error());
  }
  LogInfo("report submitted", {{"reportId", id}, {"wasteType", in.waste_type},
                               {"priority", priority}});
  return std::make_pair(*created, false);
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
  static const std::vector<std::string> kOpenStatuses = {"submitted", "acknowledged",
                                                         "dispatched", "in_progress"};
  bool open_only = !f.statuses.empty() && !f.include_deleted && f.ids.empty();
  for (const auto& st : f.statuses) {
    open_only = open_only &&
                std::find(kOpenStatuses.begin(), kOpenStatuses.end(), st) != kOpenStatuses.end();
  }
  const bool use_open_index = open_only && f.min_lat.has_value();
  std::string sql = std::string(kSelectReportColumns) + " FROM " +
                    (use_open_index ? TableUsingIndex(db_.backend(), "reports r", "idx_reports_open")
                                    : std::string("reports r")) +
                    " LEFT JOIN users u ON u.id = r.user_id WHERE 1 = 1";
  if (use_open_index) {
    sql += " AND r.deleted_at IS NULL AND r.status IN ('submitted', 'acknowledged', "
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
    if (ParseTime(*f.from, &from)) sql += " AND r.id >= " + add(UuidV7Floor(from.time_since_epoch().count()));
  }
  if (f.to) sql += " AND r.created_at < " + add(*f.to);
  if (f.min_lat) {
    sql += " AND r.location_lat BETWEEN " + add(*f.min_lat) + " AND " + add(*f.max_lat);
    sql += " AND r.location_lng BETWEEN " + add(*f.min_lng) + " AND " + add(*f.max_lng);
  }
  // Ids are UUIDv7: their order is creation order, so they serve as the keyset cursor.
  if (f.cursor) sql += std::string(" AND r.id ") + (f.newest_first ? "<" : ">") + " " + add(*f.cursor);
  sql += std::string(" ORDER BY r.id ") + (f.newest_first ? "DESC" : "ASC");
  sql += " LIMIT " + add(int64_t{f.limit});
  if (f.offset > 0) sql += " OFFSET " + add(int64_t{f.offset});
  auto r = db_.Execute(sql, params);
  if (!r) return Err(r.error());
  std::vector<Report> out;
  for (const auto& row : r->rows) out.push_back(ReportFromRow(row));
  return out;
}

Result<std::vector<Report>> ReportService::ByUser(const Principal& who, const std::string& user_id,
                                                  int limit) {
  if (who.role != "admin" && who.user_id != user_id) return Err(Status::NotFound("no such user"));
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
    // GiST on ll_to_earth: the cube around the circle, then the exact distance below.
    sql = std::string(kSelectReport) +
          " WHERE earth_box(ll_to_earth($1, $2), $3) @> ll_to_earth(r.location_lat::float8, "
          "r.location_lng::float8)";
    params = {lat, lng, radius_m};
  }
  sql += " AND r.deleted_at IS NULL AND r.status IN ('submitted', 'acknowledged', 'dispatched', "
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
  std::sort(out.begin(), out.end(),
            [](const NearbyReport& a, const NearbyReport& b) { return a.distance_m < b.distance_m; });
  if (static_cast<int>(out.size()) > limit) out.resize(limit);
  return out;
}

Result<Report> ReportService::Edit(const Principal& who, const std::string& id,
                                   const ReportEdit& e, const ClientInfo& client) {
  return db_.InTransaction<Report>([&](Connection& c) -> Result<Report> {
    auto cur = Load(c, id);
    if (!cur) return cur;
    if (!MayView(who, c, *cur)) return Err(Status::NotFound("no such report"));
    bool admin = who.role == "admin";
    bool owner = cur->user_id && *cur->user_id == who.user_id;
    if (!admin && !owner) return Err(Status::PermissionDenied("only the reporter or an admin"));
    std::vector<FieldError> errors;
    if (!admin) {
      if (e.priority) errors.push_back({"priority", "only admins may change the priority"});
      if (e.address) errors.push_back({"address", "only admins may change the address"});
      if (e.blocks_drain) errors.push_back({"blocksDrain", "only admins may change this"});
      if (e.size) errors.push_back({"size", "only admins may change this"});
      if (!errors.empty()) return Err(Status::InvalidArgument("not allowed", errors));
      if (cur->status != "submitted") {
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
      changed["priority"] = boost::json::array{boost::json::value(cur->priority),
                                               boost::json::value(*e.priority)};
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
         next.priority, next.size ? Value(*next.size) : Value(nullptr), next.address,
         next.blocks_drain, FormatTime(clock_.Now()), id});
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
    CLEANAI_RETURN_IF_ERROR(
        Audit(c, id, admin, "report.deleted", cur->status, cur->status, "{}", client));
    // Only admins hear of a deletion: for everyone else the report simply is gone.
    CLEANAI_RETURN_IF_ERROR(events_.Publish(
        c, std::nullopt, id, "report.deleted",
        boost::json::serialize(boost::json::object{{"type", "report.deleted"}, {"reportId", id}})));
    return true;
  });
  return done ? Status::Ok() : done.error();
}

}  // namespace cleanai
