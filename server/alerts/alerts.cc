// SPDX-License-Identifier: AGPL-3.0-or-later
#include "alerts/alerts.h"

#include <boost/json.hpp>
#include <cstdlib>

#include "alerts/rules.h"
#include "core/crypto.h"
#include "core/log.h"
#include "storage/audit.h"

namespace cleanai {
namespace {

constexpr const char* kSelectAlert =
    "SELECT id, rule, severity, subject_key, report_id, vehicle_id, lat, lng, message, details, "
    "created_at, acknowledged_at, acknowledged_by FROM alerts";
constexpr const char* kCursorName = "alerts.last_event_id";

Alert AlertFromRow(const Row& r) {
  Alert a;
  a.id = r.Text("id");
  a.rule = r.Text("rule");
  a.severity = r.Text("severity");
  a.subject_key = r.Text("subject_key");
  a.report_id = r.OptText("report_id");
  a.vehicle_id = r.OptText("vehicle_id");
  if (!r.IsNull("lat")) a.lat = r.Double("lat");
  if (!r.IsNull("lng")) a.lng = r.Double("lng");
  a.message = r.Text("message");
  a.details_json = r.Text("details");
  a.created_at = r.TimeText("created_at").value_or("");
  a.acknowledged_at = r.TimeText("acknowledged_at");
  a.acknowledged_by = r.OptText("acknowledged_by");
  return a;
}

Value Opt(const std::optional<std::string>& v) { return v ? Value(*v) : Value(nullptr); }
Value Opt(const std::optional<double>& v) { return v ? Value(*v) : Value(nullptr); }

std::string Hours(int seconds) {
  if (seconds % 3600 == 0) return std::to_string(seconds / 3600) + " h";
  if (seconds % 60 == 0) return std::to_string(seconds / 60) + " min";
  return std::to_string(seconds) + " s";
}

}  // namespace

boost::json::object AlertJson(const Alert& a) {
  boost::system::error_code ec;
  boost::json::value details = boost::json::parse(a.details_json, ec);
  if (ec) details = boost::json::object();
  auto opt = [](const auto& v) { return v ? boost::json::value(*v) : boost::json::value(nullptr); };
  return {{"id", a.id},
          {"rule", a.rule},
          {"severity", a.severity},
          {"subject", a.subject_key},
          {"message", a.message},
          {"reportId", opt(a.report_id)},
          {"vehicleId", opt(a.vehicle_id)},
          {"lat", opt(a.lat)},
          {"lng", opt(a.lng)},
          {"details", details},
          {"createdAt", a.created_at},
          {"acknowledgedAt", opt(a.acknowledged_at)},
          {"acknowledgedBy", opt(a.acknowledged_by)}};
}

Result<Alert> AlertService::Load(Connection& c, const std::string& id) {
  auto r = c.Execute(std::string(kSelectAlert) + " WHERE id = $1", {id});
  if (!r) return Err(r.error());
  if (r->rows.empty()) return Err(Status::NotFound("no such alert"));
  return AlertFromRow(r->rows[0]);
}

Result<bool> AlertService::Raise(const AlertDraft& draft) {
  // The place by name, so the dashboard (in either language) need not show coordinates.
  AlertDraft d = draft;
  if (d.lat && d.lng && !d.details.contains("place")) {
    if (auto place = flood_.PlaceName(*d.lat, *d.lng)) d.details["place"] = *place;
  }
  return db_.InTransaction<bool>([&](Connection& c) -> Result<bool> {
    SystemTime now = clock_.Now();
    auto recent = c.Execute(
        "SELECT 1 AS x FROM alerts WHERE subject_key = $1 AND acknowledged_at >= $2 LIMIT 1",
        {d.subject_key,
         FormatTime(now - std::chrono::seconds(config_.alerts_repeat_after_seconds))});
    if (!recent) return Err(recent.error());
    if (!recent->rows.empty()) return false;
    std::string id = NewUuidV7();
    auto ins = c.Execute(
        "INSERT INTO alerts (id, rule, severity, subject_key, report_id, vehicle_id, lat, lng, "
        "message, details, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) "
        "ON CONFLICT (subject_key) WHERE acknowledged_at IS NULL DO NOTHING",
        {id, d.rule, d.severity, d.subject_key, Opt(d.report_id), Opt(d.vehicle_id), Opt(d.lat),
         Opt(d.lng), d.message, boost::json::serialize(d.details), FormatTime(now)});
    if (!ins) return Err(ins.error());
    if (ins->affected_rows == 0) return false;  // the subject has an open alert
    auto alert = Load(c, id);
    if (!alert) return Err(alert.error());
    CLEANAI_RETURN_IF_ERROR(
        events_.Publish(c, std::nullopt, d.report_id, "alert.raised",
                        boost::json::serialize(boost::json::object{{"type", "alert.raised"},
                                                                   {"alert", AlertJson(*alert)}})));
    return true;
  });
}

Result<std::vector<Alert>> AlertService::List(const std::string& state, int limit,
                                              const std::optional<std::string>& before_id) {
  std::string sql = std::string(kSelectAlert) + " WHERE 1 = 1";
  std::vector<Value> params;
  if (state == "open") sql += " AND acknowledged_at IS NULL";
  if (state == "acknowledged") sql += " AND acknowledged_at IS NOT NULL";
  if (before_id) {
    params.push_back(*before_id);
    sql += " AND id < $1";
  }
  params.push_back(int64_t{limit});
  sql += " ORDER BY id DESC LIMIT $" + std::to_string(params.size());
  auto r = db_.Execute(sql, params);
  if (!r) return Err(r.error());
  std::vector<Alert> out;
  for (const auto& row : r->rows) out.push_back(AlertFromRow(row));
  return out;
}

Result<Alert> AlertService::Acknowledge(const Principal& admin, const std::string& id,
                                        const ClientInfo& client) {
  if (!IsUuid(id)) return Err(Status::NotFound("no such alert"));
  return db_.InTransaction<Alert>([&](Connection& c) -> Result<Alert> {
    auto cur = Load(c, id);
    if (!cur) return Err(cur.error());
    if (cur->acknowledged_at) return Err(Status::Conflict("the alert is acknowledged already"));
    std::string now = FormatTime(clock_.Now());
    auto upd = c.Execute(
        "UPDATE alerts SET acknowledged_at = $1, acknowledged_by = $2 WHERE id = $3 "
        "AND acknowledged_at IS NULL",
        {now, admin.user_id, id});
    if (!upd) return Err(upd.error());
    if (upd->affected_rows == 0) return Err(Status::Conflict("the alert is acknowledged already"));
    CLEANAI_RETURN_IF_ERROR(WriteAudit(
        c, clock_,
        {cur->report_id, admin.user_id, "alert.acknowledged", std::nullopt, std::nullopt,
         boost::json::serialize(boost::json::object{{"alertId", id}, {"rule", cur->rule}}),
         client.ip, client.user_agent}));
    auto done = Load(c, id);
    if (!done) return Err(done.error());
    CLEANAI_RETURN_IF_ERROR(
        events_.Publish(c, std::nullopt, cur->report_id, "alert.acknowledged",
                        boost::json::serialize(boost::json::object{{"type", "alert.acknowledged"},
                                                                   {"alert", AlertJson(*done)}})));
    return done;
  });
}

// ---- the rules applied ----

Result<int> AlertService::CheckReport(const std::string& report_id) {
  auto got = db_.Execute(
      "SELECT id, waste_type, priority, status, location_lat, location_lng, location_address, "
      "created_at FROM reports WHERE id = $1 AND deleted_at IS NULL",
      {report_id});
  if (!got) return Err(got.error());
  if (got->rows.empty()) return 0;
  const Row& r = got->rows[0];
  std::string status = r.Text("status");
  if (status == "resolved" || status == "rejected" || status == "duplicate") return 0;
  double lat = r.Double("location_lat"), lng = r.Double("location_lng");
  std::string type = r.Text("waste_type"), address = r.Text("location_address");
  int raised = 0;
  if (IsHazardousType(type)) {
    auto ok =
        Raise({"hazardous_report", "critical", "hazardous:" + report_id,
               (type == "medical" ? "Medical waste reported at " : "Hazardous waste reported at ") +
                   address,
               report_id, std::nullopt, lat, lng,
               boost::json::object{
                   {"wasteType", type}, {"priority", r.Text("priority")}, {"address", address}}});
    if (!ok) return Err(ok.error());
    raised += *ok;
  }
  // Surge: open reports around this one, filed within the window.
  auto near = reports_.Nearby(lat, lng, config_.alerts_surge_radius_m, std::nullopt, 1000);
  if (!near) return Err(near.error());
  SystemTime since = clock_.Now() - std::chrono::hours(config_.alerts_surge_window_hours);
  int64_t count = 0;
  std::string oldest_id;
  std::string oldest_at;
  for (const auto& n : *near) {
    SystemTime filed;
    if (!ParseTime(n.report.created_at, &filed) || filed < since) continue;
    ++count;
    if (oldest_id.empty() || n.report.created_at < oldest_at) {
      oldest_id = n.report.id;
      oldest_at = n.report.created_at;
    }
  }
  if (IsSurge(count, config_.alerts_surge_reports)) {
    // Keyed by the cluster's oldest report, so later reports in it add no new alert.
    auto ok = Raise({"surge", "warning", "surge:" + oldest_id,
                     std::to_string(count) + " reports within " +
                         std::to_string(config_.alerts_surge_radius_m) + " m of " + address +
                         " in " + std::to_string(config_.alerts_surge_window_hours) + " h",
                     report_id, std::nullopt, lat, lng,
                     boost::json::object{{"reports", count},
                                         {"radiusM", config_.alerts_surge_radius_m},
                                         {"windowHours", config_.alerts_surge_window_hours},
                                         {"address", address}}});
    if (!ok) return Err(ok.error());
    raised += *ok;
  }
  return raised;
}

Result<int> AlertService::CheckVehicles(const std::optional<std::string>& only_id) {
  std::string sql =
      "SELECT id, vehicle_number, status, capacity, current_load, current_lat, current_lng, "
      "position_updated_at FROM fleet";
  std::vector<Value> params;
  if (only_id) {
    sql += " WHERE id = $1";
    params.push_back(*only_id);
  }
  auto r = db_.Execute(sql, params);
  if (!r) return Err(r.error());
  SystemTime now = clock_.Now();
  int raised = 0;
  for (const auto& v : r->rows) {
    std::string id = v.Text("id"), number = v.Text("vehicle_number");
    std::optional<double> lat, lng;
    if (!v.IsNull("current_lat")) lat = v.Double("current_lat");
    if (!v.IsNull("current_lng")) lng = v.Double("current_lng");
    int64_t load = v.Int("current_load"), capacity = v.Int("capacity");
    if (LoadHigh(load, capacity, config_.alerts_load_percent)) {
      auto ok = Raise(
          {"vehicle_load", "warning", "vehicle_load:" + id,
           "Truck " + number + " is at " + std::to_string(load * 100 / capacity) +
               "% of its capacity",
           std::nullopt, id, lat, lng,
           boost::json::object{{"vehicleNumber", number}, {"load", load}, {"capacity", capacity}}});
      if (!ok) return Err(ok.error());
      raised += *ok;
    }
    if (v.Text("status") == "busy" &&
        GpsStale(v.Time("position_updated_at"), now, config_.alerts_gps_stale_seconds)) {
      auto last = v.Time("position_updated_at");
      auto ok =
          Raise({"gps_stale", "warning", "gps_stale:" + id,
                 "Truck " + number + " is on a job and has sent no position for " +
                     Hours(config_.alerts_gps_stale_seconds) + " or more",
                 std::nullopt, id, lat, lng,
                 boost::json::object{{"vehicleNumber", number},
                                     {"lastPositionAt", last ? boost::json::value(FormatTime(*last))
                                                             : boost::json::value(nullptr)}}});
      if (!ok) return Err(ok.error());
      raised += *ok;
    }
  }
  return raised;
}

Result<int> AlertService::CheckOverdueDispatches() {
  SystemTime now = clock_.Now();
  int raised = 0;
  for (const char* priority : {"urgent", "high", "medium", "low"}) {
    int limit = DispatchLimitSeconds(config_, priority);
    if (limit <= 0) continue;
    auto r = db_.Execute(
        "SELECT id, created_at, location_lat, location_lng, location_address, waste_type "
        "FROM reports WHERE status IN ('submitted', 'acknowledged') AND priority = $1 "
        "AND created_at <= $2 AND deleted_at IS NULL ORDER BY created_at LIMIT 500",
        {std::string(priority), FormatTime(now - std::chrono::seconds(limit))});
    if (!r) return Err(r.error());
    for (const auto& row : r->rows) {
      auto filed = row.Time("created_at");
      if (!filed || !DispatchOverdue(*filed, now, limit)) continue;
      std::string id = row.Text("id");
      auto ok =
          Raise({"dispatch_overdue", std::string(priority) == "urgent" ? "critical" : "warning",
                 "dispatch_overdue:" + id,
                 std::string("No truck for the ") + priority + "-priority report at " +
                     row.Text("location_address") + " after " + Hours(limit),
                 id, std::nullopt, row.Double("location_lat"), row.Double("location_lng"),
                 boost::json::object{{"priority", priority},
                                     {"limitSeconds", limit},
                                     {"filedAt", FormatTime(*filed)},
                                     {"address", row.Text("location_address")},
                                     {"wasteType", row.Text("waste_type")}}});
      if (!ok) return Err(ok.error());
      raised += *ok;
    }
  }
  return raised;
}

Result<int> AlertService::CheckFlood() {
  auto a = flood_.Assess();
  if (!a) return Err(a.error());
  int raised = 0;
  for (const auto& area : a->areas) {
    if (!FloodAlerts(area.score.level)) continue;
    auto ok = Raise(
        {"flood_risk", area.score.level == "severe" ? "critical" : "warning", "flood:" + area.key,
         "Flood risk " + area.score.level + " near " + area.place.value_or("a drain") + ": " +
             std::to_string(area.drain_reports) +
             (area.drain_reports == 1 ? " blocked drain report" : " blocked drain reports"),
         std::nullopt, std::nullopt, area.lat, area.lng,
         boost::json::object{{"level", area.score.level},
                             {"index", area.score.index},
                             {"area", area.key},
                             {"drainReports", area.drain_reports}}});
    if (!ok) return Err(ok.error());
    raised += *ok;
  }
  return raised;
}

Result<int> AlertService::EvaluateScheduled() {
  int raised = 0;
  for (auto step : {&AlertService::CheckOverdueDispatches, &AlertService::CheckFlood}) {
    auto n = (this->*step)();
    if (!n) return n;
    raised += *n;
  }
  auto n = CheckVehicles(std::nullopt);
  if (!n) return n;
  return raised + *n;
}

Result<int> AlertService::EvaluateEvents() {
  auto cursor = db_.Execute("SELECT value FROM app_state WHERE name = $1", {kCursorName});
  if (!cursor) return Err(cursor.error());
  int64_t after = 0;
  if (cursor->rows.empty()) {
    // First run: rules apply from now on, not to history.
    auto latest = events_.LatestId();
    if (!latest) return Err(latest.error());
    after = *latest;
    auto ins = db_.Execute(
        "INSERT INTO app_state (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
        {kCursorName, std::to_string(after)});
    if (!ins) return Err(ins.error());
    return 0;
  }
  after = std::strtoll(cursor->rows[0].Text("value").c_str(), nullptr, 10);
  auto r = db_.Execute(
      "SELECT id, event_type, report_id, payload FROM live_events WHERE id > $1 AND "
      "recipient_user_id IS NULL ORDER BY id LIMIT 500",
      {after});
  if (!r) return Err(r.error());
  int raised = 0;
  for (const auto& row : r->rows) {
    std::string type = row.Text("event_type");
    Result<int> n = 0;
    if ((type == "report.created" || type == "report.updated") && !row.IsNull("report_id")) {
      n = CheckReport(row.Text("report_id"));
    } else if (type == "vehicle.updated") {
      boost::system::error_code ec;
      auto payload = boost::json::parse(row.Text("payload"), ec);
      const boost::json::value* id = nullptr;
      if (!ec && payload.is_object()) {
        if (const auto* v = payload.as_object().if_contains("vehicle"); v && v->is_object()) {
          id = v->as_object().if_contains("id");
        }
      }
      if (id && id->is_string()) n = CheckVehicles(std::string(id->as_string()));
    }
    if (!n) return n;
    raised += *n;
    after = row.Int("id");
  }
  if (!r->rows.empty()) {
    auto upd = db_.Execute("UPDATE app_state SET value = $1 WHERE name = $2",
                           {std::to_string(after), kCursorName});
    if (!upd) return Err(upd.error());
  }
  return raised;
}

void AlertService::Start(const Leadership& leader) {
  // Rules on events every second; the scheduled rules every alerts.interval_seconds.
  auto next_schedule = std::make_shared<std::chrono::steady_clock::time_point>();
  loop_.Start(std::chrono::seconds(1), [this, next_schedule, &leader] {
    if (!leader.IsLeader()) return;
    if (auto n = EvaluateEvents(); !n) {
      LogWarn("alert rules on events failed", {{"error", n.error().message()}});
    } else {
      last_round_unix_ =
          std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
    }
    if (std::chrono::steady_clock::now() >= *next_schedule) {
      if (auto n = EvaluateScheduled(); !n) {
        LogWarn("scheduled alert rules failed", {{"error", n.error().message()}});
      }
      *next_schedule =
          std::chrono::steady_clock::now() + std::chrono::seconds(config_.alerts_interval_seconds);
    }
  });
}

void AlertService::Stop() { loop_.Stop(); }

}  // namespace cleanai
