// SPDX-License-Identifier: AGPL-3.0-or-later
// Filing a report: validate, replay a retried request, store the photo, place it, then
// one transaction writes the report, its idempotency key, the reporter's subscription,
// the audit row, the notifications, the AI's job and the live event.
#include <boost/json.hpp>
#include <cstdio>

#include "core/crypto.h"
#include "core/log.h"
#include "reports/report_sql.h"
#include "reports/reports.h"

namespace cleanai {
namespace {

Status Validate(const NewReport& in, std::string_view photo) {
  std::vector<FieldError> errors;
  if (!FindWasteType(in.waste_type)) {
    errors.push_back({"wasteType", "must be one of the codes from /api/waste-types"});
  }
  if (in.lat.has_value() != in.lng.has_value()) {
    errors.push_back({in.lat ? "lng" : "lat", "lat and lng must be given together"});
  }
  if (in.lat && (*in.lat < -90 || *in.lat > 90)) errors.push_back({"lat", "must be -90 to 90"});
  if (in.lng && (*in.lng < -180 || *in.lng > 180)) errors.push_back({"lng", "must be -180 to 180"});
  if (photo.empty()) errors.push_back({"photo", "is required"});
  if (!errors.empty()) return Status::InvalidArgument("the report is not valid", errors);
  return Status::Ok();
}

// What a retry must repeat exactly for its Idempotency-Key to replay the first answer.
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

std::string Coordinates(double lat, double lng) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.5f, %.5f", lat, lng);
  return buf;
}

}  // namespace

Result<std::optional<Report>> ReportService::EarlierSubmission(const Principal& who,
                                                               const std::string& key,
                                                               const std::string& hash) {
  return db_.WithConnection<std::optional<Report>>(
      [&](Connection& c) -> Result<std::optional<Report>> {
        auto k = c.Execute(
            "SELECT report_id, request_hash FROM idempotency_keys WHERE user_id = $1 AND "
            "idempotency_key = $2",
            {who.user_id, key});
        if (!k) return Err(k.error());
        if (k->rows.empty()) return std::optional<Report>();
        if (k->rows[0].Text("request_hash") != hash) {
          return Err(
              Status::Conflict("this Idempotency-Key was already used for a different report",
                               {{"Idempotency-Key", "reuse only when retrying the same request"}}));
        }
        auto r = Load(c, k->rows[0].Text("report_id"));
        if (!r) return Err(r.error());
        return std::optional<Report>(*r);
      });
}

Result<ReportService::Placement> ReportService::Place(const NewReport& in,
                                                      const StoredPhoto& photo) {
  Placement p;
  if (in.lat) {
    p.lat = *in.lat;
    p.lng = *in.lng;
    p.source = "device";
  } else if (photo.gps_lat) {
    p.lat = *photo.gps_lat;
    p.lng = *photo.gps_lng;
    p.source = "exif";
  } else {
    return Err(Status::InvalidArgument(
        "the report has no location",
        {{"lat", "give lat and lng, or a photo that carries its GPS position"}}));
  }
  p.address = in.address && !in.address->empty() ? *in.address : Coordinates(p.lat, p.lng);
  if (locator_) {
    if (auto place = locator_(p.lat, p.lng)) {
      p.city = place->city;
      p.country = place->country;
    }
  }
  return p;
}

Status ReportService::TellOfNewReport(Connection& c, const Principal& who, const std::string& id,
                                      const NewReport& in, Priority priority,
                                      const std::string& address) {
  const WasteType* type = FindWasteType(in.waste_type);
  const Words type_words{type->label, type->label_ur};
  CLEANAI_RETURN_STATUS_IF_ERROR(
      notifier_.Send(c, {.user_id = who.user_id,
                         .report_id = id,
                         .kind = "report.received",
                         .params = {{"type", type_words}, {"address", Same(address)}}}));
  if (priority != Priority::kHigh && priority != Priority::kUrgent) return Status::Ok();
  // Every admin hears of it (in-app, and by email/SMS/push where they chose to).
  auto admins = c.Execute("SELECT id FROM users WHERE role = 'admin' AND is_active = $1", {true});
  if (!admins) return admins.error();
  for (const auto& row : admins->rows) {
    CLEANAI_RETURN_STATUS_IF_ERROR(notifier_.Send(
        c, {.user_id = row.Text("id"),
            .report_id = id,
            .kind = "report.high_priority",
            .params = {{"priority", PriorityWords(std::string(PriorityName(priority)))},
                       {"type", type_words},
                       {"address", Same(address)}},
            .variant = in.blocks_drain ? ".drain" : ""}));
  }
  return Status::Ok();
}

Result<Submission> ReportService::Submit(const Principal& who, const NewReport& in,
                                         std::string_view photo, const ClientInfo& client) {
  CLEANAI_RETURN_IF_ERROR(Validate(in, photo));
  // Hashing a 4 MB photo costs ~15 ms: only retries (with a key) need it.
  const std::string hash = in.idempotency_key ? RequestHash(in, photo) : "";
  if (in.idempotency_key) {
    auto earlier = EarlierSubmission(who, *in.idempotency_key, hash);
    if (!earlier) return Err(earlier.error());
    if (*earlier) return Submission{**earlier, true};
  }

  auto stored = media_.Store(photo, PhotoLimits{});
  if (!stored) return Err(stored.error());
  auto place = Place(in, *stored);
  if (!place) {
    media_.Discard(*stored);
    return Err(place.error());
  }
  Priority priority = FindWasteType(in.waste_type)->priority;
  if (in.blocks_drain) priority = Raised(priority);

  const std::string id = NewUuidV7();
  const std::string now = FormatTime(clock_.Now());
  auto created = db_.InTransaction<Report>([&](Connection& c) -> Result<Report> {
    auto ins = c.Execute(
        "INSERT INTO reports (id, user_id, image_url, image_key, thumbnail_key, waste_type, "
        "location_lat, location_lng, location_address, location_source, description, status, "
        "priority, size, blocks_drain, captured_at, created_at, updated_at, location_city, "
        "location_country) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'submitted', "
        "$12, $13, $14, $15, $16, $16, $17, $18)",
        {id, who.user_id, MediaUrl(stored->image_key), stored->image_key, stored->thumbnail_key,
         in.waste_type, place->lat, place->lng, place->address, place->source,
         in.description ? Value(*in.description) : Value(nullptr),
         std::string(PriorityName(priority)), in.size ? Value(*in.size) : Value(nullptr),
         in.blocks_drain, stored->captured_at ? Value(*stored->captured_at) : Value(nullptr), now,
         place->city ? Value(*place->city) : Value(nullptr),
         place->country ? Value(*place->country) : Value(std::string("Pakistan"))});
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
                                {"priority", PriorityName(priority)},
                                {"locationSource", place->source},
                                {"imageKey", stored->image_key}};
    CLEANAI_RETURN_IF_ERROR(Audit(c, id, who, "report.created", std::nullopt,
                                  std::string("submitted"), boost::json::serialize(details),
                                  client));
    CLEANAI_RETURN_IF_ERROR(TellOfNewReport(c, who, id, in, priority, place->address));
    if (photo_hook_) CLEANAI_RETURN_IF_ERROR(photo_hook_(c, id, stored->image_key, "report"));
    CLEANAI_RETURN_IF_ERROR(PublishChange(c, "report.created", id));
    auto filed = Load(c, id);
    if (filed && new_report_hook_) CLEANAI_RETURN_IF_ERROR(new_report_hook_(c, *filed));
    return filed;
  });
  if (!created) {
    media_.Discard(*stored);
    if (created.error().code() == StatusCode::kConflict && in.idempotency_key) {
      // Lost the race with an identical retry: answer with the winner.
      auto winner = EarlierSubmission(who, *in.idempotency_key, hash);
      if (winner && *winner) return Submission{**winner, true};
    }
    return Err(created.error());
  }
  LogInfo("report submitted", {{"reportId", id},
                               {"wasteType", in.waste_type},
                               {"priority", std::string(PriorityName(priority))}});
  return Submission{*created, false};
}

}  // namespace cleanai
