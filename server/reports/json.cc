// Report rows to values and values to JSON.
#include <boost/json.hpp>

#include "reports/report_sql.h"

namespace cleanai {

namespace {
std::optional<std::string> TimeText(const Row& row, const char* col) {
  auto t = row.Time(col);
  return t ? std::optional<std::string>(FormatTime(*t)) : std::nullopt;
}
boost::json::value Opt(const std::optional<std::string>& s) {
  return s ? boost::json::value(*s) : boost::json::value(nullptr);
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
  r.status = row.Text("status");
  r.priority = row.Text("priority");
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
  r.deleted_at = TimeText(row, "deleted_at");
  r.created_at = TimeText(row, "created_at").value_or("");
  r.updated_at = TimeText(row, "updated_at").value_or("");
  return r;
}

boost::json::object ReportJson(const Report& r, bool full) {
  boost::json::object location{{"lat", r.lat},
                               {"lng", r.lng},
                               {"address", r.address},
                               {"city", Opt(r.city)},
                               {"country", Opt(r.country)},
                               {"source", Opt(r.location_source)}};
  boost::json::object o{{"id", r.id},
                        {"wasteType", r.waste_type},
                        {"status", r.status},
                        {"priority", r.priority},
                        {"size", Opt(r.size)},
                        {"blocksDrain", r.blocks_drain},
                        {"description", Opt(r.description)},
                        {"location", location},
                        {"imageUrl", MediaUrl(r.image_key)},
                        {"thumbnailUrl", MediaUrl(r.thumbnail_key)},
                        {"confirmations", r.confirmations},
                        {"createdAt", r.created_at},
                        {"updatedAt", r.updated_at}};
  o["verificationImageUrl"] =
      r.verification_image_key ? boost::json::value(MediaUrl(*r.verification_image_key)) : nullptr;
  o["aiDetectedType"] = Opt(r.ai_detected_type);
  o["aiConfidence"] = r.ai_confidence ? boost::json::value(*r.ai_confidence) : nullptr;
  o["dispatchedTo"] = Opt(r.dispatched_to);
  o["dispatchedAt"] = Opt(r.dispatched_at);
  o["resolvedAt"] = Opt(r.resolved_at);
  o["rejectionReason"] = Opt(r.rejection_reason);
  o["duplicateOf"] = Opt(r.duplicate_of);
  if (full) {
    // Who filed it: only for the reporter themselves and admins.
    o["reporter"] = r.user_id ? boost::json::value(boost::json::object{
                                    {"id", *r.user_id},
                                    {"username", r.reporter_username.value_or("")}})
                              : boost::json::value(nullptr);
    o["capturedAt"] = Opt(r.captured_at);
    o["resolvedBy"] = Opt(r.resolved_by);
    o["deletedAt"] = Opt(r.deleted_at);
  }
  return o;
}

}  // namespace cleanai
