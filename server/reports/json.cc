// SPDX-License-Identifier: AGPL-3.0-or-later
// Report rows to values and values to JSON.
#include <boost/json.hpp>
#include <boost/json/monotonic_resource.hpp>

#include "reports/report_sql.h"

namespace cleanai {

namespace {
// Timestamps as RFC 3339 UTC text. SQLite already stores them so (a fast path that
// matters when a page holds 50 reports); PostgreSQL's text output is converted.
std::optional<std::string> TimeText(const Row& row, const char* col) {
  auto text = row.OptText(col);
  if (!text) return std::nullopt;
  if (text->size() == 24 && (*text)[10] == 'T' && text->back() == 'Z') return text;
  SystemTime t;
  if (!ParseTime(*text, &t)) return std::nullopt;
  return FormatTime(t);
}
}  // namespace

Report ReportFromRow(const Row& row) {
  Report r;
  r.id = row.Text("id");
  r.user_id = row.OptText("user_id");
  r.reporter_username = row.OptText("reporter_username");
  r.image_key = row.Text("image_key");
  r.thumbnail_key = row.Text("thumbnail_key");
  r.verification_image_key = row.OptText("verification_image_key");
  r.waste_type = row.Text("waste_type");
  r.ai_detected_type = row.OptText("ai_detected_type");
  if (!row.IsNull("ai_confidence")) r.ai_confidence = row.Double("ai_confidence");
  r.lat = row.Double("location_lat");
  r.lng = row.Double("location_lng");
  r.address = row.Text("location_address");
  r.city = row.OptText("location_city");
  r.country = row.OptText("location_country");
  r.location_source = row.OptText("location_source");
  r.description = row.OptText("description");
  r.status = ParseStatus(row.Text("status")).value_or(ReportStatus::kSubmitted);
  r.priority = ParsePriority(row.Text("priority")).value_or(Priority::kMedium);
  r.size = row.OptText("size");
  r.blocks_drain = row.Bool("blocks_drain");
  r.dispatched_to = row.OptText("dispatched_to");
  r.dispatched_at = TimeText(row, "dispatched_at");
  r.resolved_at = TimeText(row, "resolved_at");
  r.resolved_by = row.OptText("resolved_by");
  r.rejection_reason = row.OptText("rejection_reason");
  r.duplicate_of = row.OptText("duplicate_of");
  r.captured_at = row.OptText("captured_at");
  r.confirmations = row.Int("confirmations");
  r.photo_hidden = row.Bool("photo_hidden");
  r.deleted_at = TimeText(row, "deleted_at");
  r.created_at = TimeText(row, "created_at").value_or("");
  r.updated_at = TimeText(row, "updated_at").value_or("");
  return r;
}

boost::json::object ReportJson(const Report& r, bool full, boost::json::storage_ptr sp) {
  auto opt = [&](const std::optional<std::string>& v) {
    return v ? boost::json::value(*v, sp) : boost::json::value(nullptr, sp);
  };
  boost::json::object location(sp);
  location.reserve(6);
  location.emplace("lat", r.lat);
  location.emplace("lng", r.lng);
  location.emplace("address", r.address);
  location.emplace("city", opt(r.city));
  location.emplace("country", opt(r.country));
  location.emplace("source", opt(r.location_source));

  boost::json::object o(sp);
  o.reserve(full ? 28 : 24);
  o.emplace("id", r.id);
  o.emplace("wasteType", r.waste_type);
  o.emplace("status", StatusName(r.status));
  o.emplace("priority", PriorityName(r.priority));
  o.emplace("size", opt(r.size));
  o.emplace("blocksDrain", r.blocks_drain);
  o.emplace("description", opt(r.description));
  o.emplace("location", std::move(location));
  o.emplace("imageUrl", MediaUrl(r.image_key));
  o.emplace("thumbnailUrl", MediaUrl(r.thumbnail_key));
  o.emplace("verificationImageUrl",
            r.verification_image_key ? opt(MediaUrl(*r.verification_image_key)) : opt({}));
  o.emplace("aiDetectedType", opt(r.ai_detected_type));
  o.emplace("aiConfidence", r.ai_confidence ? boost::json::value(*r.ai_confidence, sp)
                                            : boost::json::value(nullptr, sp));
  o.emplace("confirmations", r.confirmations);
  o.emplace("photoHidden", r.photo_hidden);
  o.emplace("dispatchedTo", opt(r.dispatched_to));
  o.emplace("dispatchedAt", opt(r.dispatched_at));
  o.emplace("resolvedAt", opt(r.resolved_at));
  o.emplace("rejectionReason", opt(r.rejection_reason));
  o.emplace("duplicateOf", opt(r.duplicate_of));
  o.emplace("createdAt", r.created_at);
  o.emplace("updatedAt", r.updated_at);
  if (full) {
    // Who filed it: only for the reporter themselves and admins.
    if (r.user_id) {
      boost::json::object reporter(sp);
      reporter.emplace("id", *r.user_id);
      reporter.emplace("username", r.reporter_username.value_or(""));
      o.emplace("reporter", std::move(reporter));
    } else {
      o.emplace("reporter", nullptr);
    }
    o.emplace("capturedAt", opt(r.captured_at));
    o.emplace("resolvedBy", opt(r.resolved_by));
    o.emplace("deletedAt", opt(r.deleted_at));
  }
  return o;
}

}  // namespace cleanai
