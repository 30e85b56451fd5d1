// SPDX-License-Identifier: AGPL-3.0-or-later
#include "fleet/fleet.h"

#include <boost/json.hpp>

#include "core/crypto.h"
#include "http/json_input.h"
#include "http/problem.h"
#include "storage/audit.h"

namespace cleanai {
namespace {

constexpr const char* kSelectVehicle =
    "SELECT id, vehicle_number, driver_id, driver_name, current_lat, current_lng, status, "
    "capacity, current_load, last_updated, position_updated_at, position_recorded_at, heading, "
    "speed_kmh, created_at FROM fleet";

const char* const kVehicleStatuses[] = {"idle", "busy", "offline", "maintenance"};

}  // namespace

Vehicle FleetService::FromRow(const Row& r) const {
  Vehicle v;
  v.id = r.Text("id");
  v.vehicle_number = r.Text("vehicle_number");
  v.driver_id = r.OptText("driver_id");
  v.driver_name = r.OptText("driver_name");
  if (!r.IsNull("current_lat")) v.current_lat = r.Double("current_lat");
  if (!r.IsNull("current_lng")) v.current_lng = r.Double("current_lng");
  v.status = r.Text("status");
  v.capacity = r.Int("capacity");
  v.current_load = r.Int("current_load");
  v.last_updated = r.TimeText("last_updated");
  if (auto t = r.Time("position_updated_at")) {
    v.position_updated_at = FormatTime(*t);
    v.position_stale = clock_.Now() - *t >= std::chrono::seconds(config_.alerts_gps_stale_seconds);
  }
  v.position_recorded_at = r.TimeText("position_recorded_at");
  if (!r.IsNull("heading")) v.heading = r.Double("heading");
  if (!r.IsNull("speed_kmh")) v.speed_kmh = r.Double("speed_kmh");
  v.created_at = r.TimeText("created_at").value_or("");
  return v;
}

boost::json::object VehicleJson(const Vehicle& v) {
  auto opt = [](const auto& o) { return o ? boost::json::value(*o) : boost::json::value(nullptr); };
  return {{"id", v.id},
          {"vehicleNumber", v.vehicle_number},
          {"driverId", opt(v.driver_id)},
          {"driverName", opt(v.driver_name)},
          {"currentLat", opt(v.current_lat)},
          {"currentLng", opt(v.current_lng)},
          {"status", v.status},
          {"capacity", v.capacity},
          {"currentLoad", v.current_load},
          {"lastUpdated", opt(v.last_updated)},
          {"positionUpdatedAt", opt(v.position_updated_at)},
          {"positionRecordedAt", opt(v.position_recorded_at)},
          {"positionStale", v.position_stale},
          {"heading", opt(v.heading)},
          {"speedKmh", opt(v.speed_kmh)},
          {"createdAt", v.created_at}};
}

namespace {

Status Audit(Connection& c, const Clock& clock, const Principal& who, const std::string& type,
             const boost::json::object& details, const ClientInfo& client) {
  return WriteAudit(c, clock,
                    {std::nullopt, who.user_id, type, std::nullopt, std::nullopt,
                     boost::json::serialize(details), client.ip, client.user_agent});
}

// Reads the vehicle fields of a JSON body. `driverId: null` unassigns the driver.
Result<VehicleInput> ParseVehicle(const HttpRequest& req, bool creating) {
  JsonInput in(req);
  VehicleInput v;
  v.vehicle_number = in.String("vehicleNumber", {.required = creating, .min = 1, .max = 20});
  v.status = in.String("status", {.max = 20});
  auto driver = in.String("driverId", {.max = 36});
  v.capacity = in.Int("capacity", 1, 100000);
  v.current_load = in.Int("currentLoad", 0, 100000);
  v.current_lat = in.Double("currentLat", -90, 90);
  v.current_lng = in.Double("currentLng", -180, 180);
  if (driver) {
    v.driver_id = driver;
  } else if (in.IsNull("driverId")) {
    v.driver_id = std::optional<std::string>();  // unassign
  }
  Status st = in.Finish();
  if (!st.ok()) return Err(st);
  return v;
}

}  // namespace

// Admins' dashboards (and the alert rules) follow vehicles through the live event log.
Status FleetService::PublishVehicle(Connection& c, const Vehicle& v) {
  return events_.Publish(c, std::nullopt, std::nullopt, "vehicle.updated",
                         boost::json::serialize(boost::json::object{{"type", "vehicle.updated"},
                                                                    {"vehicle", VehicleJson(v)}}));
}

Result<Vehicle> FleetService::Load(Connection& c, const std::string& id) {
  if (!IsUuid(id)) return Err(Status::NotFound("no such vehicle"));
  auto r = c.Execute(std::string(kSelectVehicle) + " WHERE id = $1", {id});
  if (!r) return Err(r.error());
  if (r->rows.empty()) return Err(Status::NotFound("no such vehicle"));
  return FromRow(r->rows[0]);
}

Status FleetService::Validate(Connection& c, const VehicleInput& in, bool creating) {
  std::vector<FieldError> errors;
  if (in.vehicle_number) {
    bool ok = !in.vehicle_number->empty();
    for (unsigned char ch : *in.vehicle_number) {
      ok = ok && (std::isalnum(ch) || ch == '-' || ch == ' ');
    }
    if (!ok) errors.push_back({"vehicleNumber", "letters, digits, '-' and spaces only"});
  }
  if (in.status) {
    bool ok = false;
    for (const char* s : kVehicleStatuses) ok |= *in.status == s;
    if (!ok) errors.push_back({"status", "must be idle, busy, offline or maintenance"});
  }
  if (in.driver_id && *in.driver_id) {
    const std::string& d = **in.driver_id;
    bool ok = IsUuid(d);
    if (ok) {
      auto u = c.Execute("SELECT role FROM users WHERE id = $1 AND is_active = $2", {d, true});
      if (!u) return u.error();
      ok = !u->rows.empty() && u->rows[0].Text("role") == "driver";
    }
    if (!ok) errors.push_back({"driverId", "must be the id of an active driver"});
  }
  if (in.current_lat.has_value() != in.current_lng.has_value()) {
    errors.push_back({in.current_lat ? "currentLng" : "currentLat",
                      "a position needs both currentLat and currentLng"});
  }
  if (creating && in.current_load && in.current_load > in.capacity.value_or(100)) {
    errors.push_back({"currentLoad", "must not exceed the capacity"});
  }
  if (!errors.empty()) return Status::InvalidArgument("invalid vehicle", errors);
  return Status::Ok();
}

Result<std::vector<Vehicle>> FleetService::List(const Principal& who) {
  auto r = who.role == Role::kAdmin
               ? db_.Execute(std::string(kSelectVehicle) + " ORDER BY vehicle_number")
               : db_.Execute(
                     std::string(kSelectVehicle) + " WHERE driver_id = $1 ORDER BY vehicle_number",
                     {who.user_id});
  if (!r) return Err(r.error());
  std::vector<Vehicle> out;
  for (const auto& row : r->rows) out.push_back(FromRow(row));
  return out;
}

Result<Vehicle> FleetService::Get(const Principal& who, const std::string& id) {
  return db_.WithConnection<Vehicle>([&](Connection& c) -> Result<Vehicle> {
    auto v = Load(c, id);
    if (!v) return v;
    if (who.role != Role::kAdmin && v->driver_id != who.user_id) {
      return Err(Status::NotFound("no such vehicle"));
    }
    return v;
  });
}

Result<Vehicle> FleetService::Create(const Principal& admin, const VehicleInput& in,
                                     const ClientInfo& client) {
  return db_.InTransaction<Vehicle>([&](Connection& c) -> Result<Vehicle> {
    CLEANAI_RETURN_IF_ERROR(Validate(c, in, true));
    std::string id = NewUuidV7(), now = FormatTime(clock_.Now());
    std::optional<std::string> driver = in.driver_id ? *in.driver_id : std::nullopt;
    auto ins = c.Execute(
        "INSERT INTO fleet (id, vehicle_number, driver_id, driver_name, status, capacity, "
        "current_load, current_lat, current_lng, position_updated_at, last_updated, created_at) "
        "VALUES ($1, $2, $3, (SELECT username FROM users WHERE id = $3), $4, $5, $6, $7, $8, "
        "$9, $10, $10)",
        {id, *in.vehicle_number, driver ? Value(*driver) : Value(nullptr),
         in.status.value_or("idle"), in.capacity.value_or(100), in.current_load.value_or(0),
         in.current_lat ? Value(*in.current_lat) : Value(nullptr),
         in.current_lng ? Value(*in.current_lng) : Value(nullptr),
         in.current_lat ? Value(now) : Value(nullptr), now});
    if (!ins) {
      if (ins.error().code() == StatusCode::kConflict) {
        return Err(Status::Conflict("vehicle number in use", {{"vehicleNumber", "is taken"}}));
      }
      return Err(ins.error());
    }
    CLEANAI_RETURN_IF_ERROR(Audit(c, clock_, admin, "fleet.created",
                                  {{"vehicleId", id}, {"vehicleNumber", *in.vehicle_number}},
                                  client));
    auto created = Load(c, id);
    if (!created) return created;
    CLEANAI_RETURN_IF_ERROR(PublishVehicle(c, *created));
    return created;
  });
}

Result<Vehicle> FleetService::Update(const Principal& admin, const std::string& id,
                                     const VehicleInput& in, const ClientInfo& client) {
  return db_.InTransaction<Vehicle>([&](Connection& c) -> Result<Vehicle> {
    auto cur = Load(c, id);
    if (!cur) return cur;
    CLEANAI_RETURN_IF_ERROR(Validate(c, in, false));
    std::optional<std::string> driver = in.driver_id ? *in.driver_id : cur->driver_id;
    int64_t capacity = in.capacity.value_or(cur->capacity);
    int64_t load = in.current_load.value_or(cur->current_load);
    if (load > capacity) {
      return Err(Status::InvalidArgument(
          "invalid vehicle",
          {{"currentLoad", "must not exceed the capacity (" + std::to_string(capacity) + ")"}}));
    }
    std::string now = FormatTime(clock_.Now());
    bool moved = in.current_lat.has_value();
    auto upd = c.Execute(
        "UPDATE fleet SET vehicle_number = $1, driver_id = $2, driver_name = (SELECT username "
        "FROM users WHERE id = $2), status = $3, capacity = $4, current_load = $5, "
        "current_lat = $6, current_lng = $7, position_updated_at = $8, last_updated = $9 "
        "WHERE id = $10",
        {in.vehicle_number.value_or(cur->vehicle_number), driver ? Value(*driver) : Value(nullptr),
         in.status.value_or(cur->status), capacity, load,
         moved ? Value(*in.current_lat)
               : (cur->current_lat ? Value(*cur->current_lat) : Value(nullptr)),
         moved ? Value(*in.current_lng)
               : (cur->current_lng ? Value(*cur->current_lng) : Value(nullptr)),
         moved ? Value(now)
               : (cur->position_updated_at ? Value(*cur->position_updated_at) : Value(nullptr)),
         now, id});
    if (!upd) {
      if (upd.error().code() == StatusCode::kConflict) {
        return Err(Status::Conflict("vehicle number in use", {{"vehicleNumber", "is taken"}}));
      }
      return Err(upd.error());
    }
    CLEANAI_RETURN_IF_ERROR(Audit(c, clock_, admin, "fleet.updated", {{"vehicleId", id}}, client));
    auto updated = Load(c, id);
    if (!updated) return updated;
    CLEANAI_RETURN_IF_ERROR(PublishVehicle(c, *updated));
    return updated;
  });
}

Result<Vehicle> FleetService::Unload(const Principal& who, const std::string& id,
                                     const ClientInfo& client) {
  return db_.InTransaction<Vehicle>([&](Connection& c) -> Result<Vehicle> {
    auto cur = Load(c, id);
    if (!cur) return cur;
    if (who.role != Role::kAdmin && cur->driver_id != who.user_id) {
      return Err(Status::NotFound("no such vehicle"));
    }
    auto upd = c.Execute("UPDATE fleet SET current_load = 0, last_updated = $1 WHERE id = $2",
                         {FormatTime(clock_.Now()), id});
    if (!upd) return Err(upd.error());
    CLEANAI_RETURN_IF_ERROR(Audit(c, clock_, who, "fleet.unloaded",
                                  {{"vehicleId", id}, {"load", cur->current_load}}, client));
    auto done = Load(c, id);
    if (!done) return done;
    CLEANAI_RETURN_IF_ERROR(PublishVehicle(c, *done));
    return done;
  });
}

Result<Vehicle> FleetService::RecordPosition(const Principal& who, const std::string& id,
                                             const PositionFix& fix) {
  return db_.InTransaction<Vehicle>([&](Connection& c) -> Result<Vehicle> {
    auto cur = Load(c, id);
    if (!cur) return cur;
    if (who.role != Role::kAdmin && cur->driver_id != who.user_id) {
      return Err(Status::NotFound("no such vehicle"));
    }
    SystemTime now = clock_.Now();
    if (cur->position_updated_at) {
      SystemTime last;
      if (ParseTime(*cur->position_updated_at, &last) && now - last < std::chrono::seconds(1)) {
        return Err(Status::RateLimited("one position a second is enough", 1));
      }
    }
    if (cur->position_recorded_at) {
      SystemTime last;
      if (ParseTime(*cur->position_recorded_at, &last) && fix.recorded_at <= last) {
        return Err(Status::Conflict("this position is not newer than the last one (" +
                                    *cur->position_recorded_at + ")"));
      }
    }
    std::string received = FormatTime(now), recorded = FormatTime(fix.recorded_at);
    auto opt = [](const std::optional<double>& v) { return v ? Value(*v) : Value(nullptr); };
    auto upd = c.Execute(
        "UPDATE fleet SET current_lat = $1, current_lng = $2, heading = $3, speed_kmh = $4, "
        "position_recorded_at = $5, position_updated_at = $6, last_updated = $6 WHERE id = $7",
        {fix.lat, fix.lng, opt(fix.heading), opt(fix.speed_kmh), recorded, received, id});
    if (!upd) return Err(upd.error());
    auto track = c.Execute(
        "INSERT INTO vehicle_positions (vehicle_id, lat, lng, heading, speed_kmh, recorded_at, "
        "received_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        {id, fix.lat, fix.lng, opt(fix.heading), opt(fix.speed_kmh), recorded, received});
    if (!track) return Err(track.error());
    auto moved = Load(c, id);
    if (!moved) return moved;
    CLEANAI_RETURN_IF_ERROR(PublishVehicle(c, *moved));
    return moved;
  });
}

void RegisterFleetRoutes(Router& router, FleetService& fleet, ReportService& reports) {
  router.Add("POST", "/api/fleet/:id/unload", Access::Roles({Role::kAdmin, Role::kDriver}),
             [&fleet](HttpRequest& req) {
               auto v = fleet.Unload(*req.principal, req.path_params["id"], ClientOf(req));
               if (!v) return ProblemResponse(v.error(), req.request_id);
               return HttpResponse::Json(200, VehicleJson(*v));
             });
  router.Add("PUT", "/api/fleet/:id/location", Access::Roles({Role::kAdmin, Role::kDriver}),
             [&fleet](HttpRequest& req) {
               JsonInput in(req);
               PositionFix fix;
               auto lat = in.Double("lat", -90, 90, true);
               auto lng = in.Double("lng", -180, 180, true);
               fix.heading = in.Double("heading", 0, 360);
               fix.speed_kmh = in.Double("speedKmh", 0, 250);
               auto recorded = in.String("recordedAt", {.required = true, .max = 40});
               if (Status st = in.Finish(); !st.ok()) return ProblemResponse(st, req.request_id);
               SystemTime now = SystemClock().Now();
               if (!ParseTime(*recorded, &fix.recorded_at)) {
                 return ProblemResponse(
                     Status::InvalidArgument("invalid position",
                                             {{"recordedAt", "must be an RFC 3339 date-time"}}),
                     req.request_id);
               }
               // A phone's clock may run a little ahead; a day-old fix is of no use live.
               if (fix.recorded_at > now + std::chrono::minutes(2) ||
                   fix.recorded_at < now - std::chrono::hours(24)) {
                 return ProblemResponse(
                     Status::InvalidArgument(
                         "invalid position",
                         {{"recordedAt", "must lie within the last 24 hours (not in the future)"}}),
                     req.request_id);
               }
               fix.lat = *lat;
               fix.lng = *lng;
               auto v = fleet.RecordPosition(*req.principal, req.path_params["id"], fix);
               if (!v) return ProblemResponse(v.error(), req.request_id);
               return HttpResponse::Json(200, VehicleJson(*v));
             });
  router.Add("GET", "/api/fleet", Access::Roles({Role::kAdmin, Role::kDriver}),
             [&fleet](HttpRequest& req) {
               auto items = fleet.List(*req.principal);
               if (!items) return ProblemResponse(items.error(), req.request_id);
               boost::json::array arr;
               for (const auto& v : *items) arr.push_back(VehicleJson(v));
               return HttpResponse::Json(200, boost::json::object{{"items", arr}});
             });
  router.Add("GET", "/api/fleet/:id", Access::Roles({Role::kAdmin, Role::kDriver}),
             [&fleet](HttpRequest& req) {
               auto v = fleet.Get(*req.principal, req.path_params["id"]);
               if (!v) return ProblemResponse(v.error(), req.request_id);
               return HttpResponse::Json(200, VehicleJson(*v));
             });
  router.Add("POST", "/api/fleet", Access::Roles({Role::kAdmin}), [&fleet](HttpRequest& req) {
    auto in = ParseVehicle(req, true);
    if (!in) return ProblemResponse(in.error(), req.request_id);
    auto v = fleet.Create(*req.principal, *in, ClientOf(req));
    if (!v) return ProblemResponse(v.error(), req.request_id);
    HttpResponse r = HttpResponse::Json(201, VehicleJson(*v));
    r.SetHeader("Location", "/api/fleet/" + v->id);
    return r;
  });
  router.Add("PUT", "/api/fleet/:id", Access::Roles({Role::kAdmin}), [&fleet](HttpRequest& req) {
    auto in = ParseVehicle(req, false);
    if (!in) return ProblemResponse(in.error(), req.request_id);
    auto v = fleet.Update(*req.principal, req.path_params["id"], *in, ClientOf(req));
    if (!v) return ProblemResponse(v.error(), req.request_id);
    return HttpResponse::Json(200, VehicleJson(*v));
  });
  router.Add("PATCH", "/api/fleet/:id/assign", Access::Roles({Role::kAdmin}),
             [&reports](HttpRequest& req) {
               JsonInput in(req);
               auto report_id = in.String("reportId", {.required = true, .max = 36});
               if (Status st = in.Finish(); !st.ok()) return ProblemResponse(st, req.request_id);
               auto r = reports.Dispatch(*req.principal, req.path_params["id"], *report_id,
                                         ClientOf(req));
               if (!r) return ProblemResponse(r.error(), req.request_id);
               return HttpResponse::Json(200, ReportJson(*r, true));
             });
}

}  // namespace cleanai
