// mySociety's servicerequestupdates extension (used by FixMyStreet): status changes read
// from the audit trail, and status changes posted by a city system, mapped to and from
// CleanAI's status machine.
#include <boost/json.hpp>

#include "core/crypto.h"
#include "http/multipart.h"
#include "open311/open311.h"

namespace cleanai {
namespace {

std::string ToMySociety(const std::string& status) {
  if (status == "submitted") return "OPEN";
  if (status == "acknowledged") return "INVESTIGATING";
  if (status == "dispatched") return "ACTION_SCHEDULED";
  if (status == "in_progress") return "IN_PROGRESS";
  if (status == "resolved") return "FIXED";
  if (status == "duplicate") return "DUPLICATE";
  return "NOT_RESPONSIBLE";  // rejected
}

// The CleanAI status a posted update asks for ("" when it has no equivalent).
std::string FromMySociety(const std::string& status) {
  if (status == "INVESTIGATING" || status == "OPEN" || status == "ACTION_SCHEDULED") return "acknowledged";
  if (status == "IN_PROGRESS") return "in_progress";
  if (status == "FIXED") return "resolved";
  if (status == "NOT_RESPONSIBLE" || status == "CLOSED" || status == "NO_FURTHER_ACTION" ||
      status == "INTERNAL_REFERRAL" || status == "WONT_FIX") {
    return "rejected";
  }
  return "";
}

}  // namespace

boost::json::array Open311Updates(Database& db, const Config& cfg, const std::string& from,
                                  const std::string& to, Status* error) {
  auto r = db.Execute(
      "SELECT e.id, e.report_id, e.new_status, e.details, e.created_at, "
      "r.verification_image_key FROM event_logs e JOIN reports r ON r.id = e.report_id "
      "WHERE e.event_type IN ('report.status_changed', 'report.dispatched') AND "
      "e.created_at >= $1 AND e.created_at < $2 AND r.deleted_at IS NULL ORDER BY e.id LIMIT 1000",
      {from, to});
  boost::json::array out;
  if (!r) {
    *error = r.error();
    return out;
  }
  for (const auto& row : r->rows) {
    std::string status = row.Text("new_status");
    std::string description;
    boost::system::error_code ec;
    auto details = boost::json::parse(row.Text("details"), ec);
    if (!ec && details.is_object()) {
      const auto& d = details.as_object();
      if (const auto* reason = d.if_contains("reason"); reason && reason->is_string()) {
        description = std::string(reason->as_string());
      } else if (const auto* note = d.if_contains("note"); note && note->is_string()) {
        description = std::string(note->as_string());
      } else if (const auto* v = d.if_contains("vehicleNumber"); v && v->is_string()) {
        description = "Truck " + std::string(v->as_string()) + " dispatched";
      }
    }
    boost::json::object u{{"update_id", row.Text("id")},
                          {"service_request_id", row.Text("report_id")},
                          {"status", ToMySociety(status)},
                          {"updated_datetime", row.TimeText("created_at").value_or("")},
                          {"description", description}};
    u["media_url"] = status == "resolved" && !row.IsNull("verification_image_key")
                         ? boost::json::value(cfg.public_url + MediaUrl(row.Text("verification_image_key")))
                         : boost::json::value("");
    out.push_back(std::move(u));
  }
  return out;
}

Result<std::string> Open311PostUpdate(ReportService& reports, Database& db, const HttpRequest& req,
                                      const std::function<std::optional<std::string>(const std::string&)>& field,
                                      std::string_view media) {
  auto who = Open311KeyOwner(db, field("api_key").value_or(""));
  if (!who) return Err(who.error());
  std::string id = field("service_request_id").value_or("");
  if (!IsUuid(id)) return Err(Status::NotFound("service_request_id: unknown"));
  std::string wanted = FromMySociety(field("status").value_or(""));
  if (wanted.empty()) {
    return Err(Status::InvalidArgument("status: not a status CleanAI can apply (use INVESTIGATING, "
                                       "IN_PROGRESS, FIXED, NOT_RESPONSIBLE or CLOSED)"));
  }
  // A city system acts with an operator's rights; the audit trail names its account.
  Principal system = *who;
  system.role = "admin";
  StatusChange ch;
  ch.status = wanted;
  ch.note = field("description");
  if (wanted == "rejected") ch.reason = field("description").value_or("Closed by the city");
  auto r = reports.ChangeStatus(system, id, ch, wanted == "resolved" ? media : std::string_view(),
                                ClientOf(req));
  if (!r) return Err(r.error());
  // The update is the newest audit row of the report.
  auto e = db.Execute(
      "SELECT id FROM event_logs WHERE report_id = $1 ORDER BY id DESC LIMIT 1", {id});
  if (!e || e->rows.empty()) return Err(Status::Internal("update not recorded"));
  return e->rows[0].Text("id");
}

}  // namespace cleanai
