// SPDX-License-Identifier: AGPL-3.0-or-later
// Area alerts: "tell me of each new report in this area", through the outbox.
#include <boost/json.hpp>
#include <cmath>

#include "core/crypto.h"
#include "core/geo_math.h"
#include "core/text.h"
#include "public/public.h"

namespace cleanai {
namespace {

constexpr double kMetersPerDegree = 111320.0;

std::string JoinTypes(const std::vector<std::string>& types) {
  std::string out;
  for (const auto& t : types) out += (out.empty() ? "" : ",") + t;
  return out;
}

AreaSubscription FromRow(const Row& row) {
  AreaSubscription s;
  s.id = row.Text("id");
  s.label = row.Text("label");
  s.created_at = row.TimeText("created_at").value_or("");
  s.area.kind = row.Text("kind");
  s.area.box = {row.Double("min_lng"), row.Double("min_lat"), row.Double("max_lng"),
                row.Double("max_lat")};
  s.area.lat = row.Double("center_lat");
  s.area.lng = row.Double("center_lng");
  s.area.radius_m = row.Double("radius_m");
  s.area.city = row.OptText("city").value_or("");
  s.types = SplitCommaList(row.Text("waste_types"));
  return s;
}

constexpr const char* kColumns =
    "SELECT id, user_id, label, kind, min_lat, min_lng, max_lat, max_lng, center_lat, "
    "center_lng, radius_m, city, waste_types, unsubscribe_token, created_at "
    "FROM area_subscriptions";

}  // namespace

BoundingBox CircleBox(double lat, double lng, double radius_m) {
  const double dlat = radius_m / kMetersPerDegree;
  const double dlng = radius_m / (kMetersPerDegree * std::max(0.01, std::cos(lat * M_PI / 180)));
  return {std::max(-180.0, lng - dlng), std::max(-90.0, lat - dlat), std::min(180.0, lng + dlng),
          std::min(90.0, lat + dlat)};
}

bool Area::Contains(const Report& r) const {
  if (kind == "city") return r.city && *r.city == city;
  if (r.lat < box.min_lat || r.lat > box.max_lat || r.lng < box.min_lng || r.lng > box.max_lng) {
    return false;
  }
  return kind != "radius" || HaversineMeters(lat, lng, r.lat, r.lng) <= radius_m;
}

Result<AreaSubscription> AreaAlerts::Create(const Principal& who, const std::string& label,
                                            const Area& given,
                                            const std::vector<std::string>& types) {
  Area area = given;
  if (area.kind == "radius") {
    // The circle's box, kept for the index that finds subscribers of a new report.
    area.box = CircleBox(area.lat, area.lng, area.radius_m);
  } else if (area.kind == "city") {
    if (!known_city_ || !known_city_(area.city)) {
      return Err(Status::InvalidArgument("no such city", {{"city", "is not a known city"}}));
    }
    area.box = {0, 0, 0, 0};
  }
  for (const auto& t : types) {
    if (!FindWasteType(t)) {
      return Err(Status::InvalidArgument("unknown waste type", {{"types", "unknown '" + t + "'"}}));
    }
  }
  AreaSubscription out{NewUuidV7(), label, FormatTime(clock_.Now()), area, types};
  auto done = db_.InTransaction<bool>([&](Connection& c) -> Result<bool> {
    // Counted under the user's row lock, so two tabs cannot both add the eleventh.
    auto lock = c.Execute(c.backend() == Backend::kPostgres
                              ? "SELECT id FROM users WHERE id = $1 FOR UPDATE"
                              : "SELECT id FROM users WHERE id = $1",
                          {who.user_id});
    if (!lock) return Err(lock.error());
    auto n =
        c.Execute("SELECT COUNT(*) AS n FROM area_subscriptions WHERE user_id = $1", {who.user_id});
    if (!n) return Err(n.error());
    if (n->rows[0].Int("n") >= kMaxPerUser) {
      return Err(Status::Conflict("you follow " + std::to_string(kMaxPerUser) +
                                  " areas already; remove one first"));
    }
    auto ins = c.Execute(
        "INSERT INTO area_subscriptions (id, user_id, label, kind, min_lat, min_lng, max_lat, "
        "max_lng, center_lat, center_lng, radius_m, city, waste_types, unsubscribe_token, "
        "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
        {out.id, who.user_id, label, area.kind, area.box.min_lat, area.box.min_lng,
         area.box.max_lat, area.box.max_lng,
         area.kind == "radius" ? Value(area.lat) : Value(nullptr),
         area.kind == "radius" ? Value(area.lng) : Value(nullptr),
         area.kind == "radius" ? Value(area.radius_m) : Value(nullptr),
         area.kind == "city" ? Value(area.city) : Value(nullptr), JoinTypes(types),
         // A capability to stop this one alert, in each message; nothing else.
         Base64UrlEncode(RandomBytes(24)), out.created_at});
    if (!ins) return Err(ins.error());
    return true;
  });
  if (!done) return Err(done.error());
  return out;
}

Result<std::vector<AreaSubscription>> AreaAlerts::List(const Principal& who) {
  auto rows = db_.Execute(std::string(kColumns) + " WHERE user_id = $1 ORDER BY id", {who.user_id});
  if (!rows) return Err(rows.error());
  std::vector<AreaSubscription> out;
  for (const auto& row : rows->rows) out.push_back(FromRow(row));
  return out;
}

Status AreaAlerts::Remove(const Principal& who, const std::string& id) {
  if (!IsUuid(id)) return Status::NotFound("no such area alert");
  auto r = db_.Execute("DELETE FROM area_subscriptions WHERE id = $1 AND user_id = $2 RETURNING id",
                       {id, who.user_id});
  if (!r) return r.error();
  return r->rows.empty() ? Status::NotFound("no such area alert") : Status::Ok();
}

Status AreaAlerts::Unsubscribe(const std::string& token) {
  if (token.empty() || token.size() > 64) return Status::NotFound("no such area alert");
  auto r = db_.Execute("DELETE FROM area_subscriptions WHERE unsubscribe_token = $1 RETURNING id",
                       {token});
  if (!r) return r.error();
  return r->rows.empty() ? Status::NotFound("no such area alert") : Status::Ok();
}

Status AreaAlerts::OnNewReport(Connection& c, const Report& r) {
  auto rows = c.Execute(std::string(kColumns) +
                            " WHERE (min_lat <= $1 AND max_lat >= $1 AND min_lng <= $2 AND "
                            "max_lng >= $2) OR city = $3",
                        {r.lat, r.lng, r.city ? Value(*r.city) : Value(nullptr)});
  if (!rows) return rows.error();
  const WasteType* type = FindWasteType(r.waste_type);
  for (const auto& row : rows->rows) {
    AreaSubscription s = FromRow(row);
    const std::string user = row.Text("user_id");
    if (r.user_id && *r.user_id == user) continue;  // they know: they filed it
    if (!s.area.Contains(r)) continue;
    if (!s.types.empty() &&
        std::find(s.types.begin(), s.types.end(), r.waste_type) == s.types.end()) {
      continue;
    }
    const std::string site = config_.public_url;
    CLEANAI_RETURN_STATUS_IF_ERROR(notifier_.Send(
        c,
        {.user_id = user,
         .report_id = r.id,
         .kind = "area.new_report",
         .params = {
             {"type", type ? Words{type->label, type->label_ur} : Same(r.waste_type)},
             {"address", Same(r.address)},
             {"area", Same(s.label)},
             {"link", Same(site + "/reports/" + r.id)},
             {"stop", Same(site + "/unsubscribe/area?token=" + row.Text("unsubscribe_token"))}}}));
  }
  return Status::Ok();
}

}  // namespace cleanai
