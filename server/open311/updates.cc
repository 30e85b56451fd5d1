// SPDX-License-Identifier: AGPL-3.0-or-later
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

// The CleanAI status a posted update asks for (none when it has no equivalent).
std::optional<ReportStatus> FromMySociety(const std::string& status) {
  if (status == "INVESTIGATING" || status == "OPEN" || status == "ACTION_SCHEDULED") {
    return ReportStatus::kAcknowledged;
  }
  if (status == "IN_PROGRESS") return ReportStatus::kInProgress;
  if (status == "FIXED") return ReportStatus::kResolved;
  if (status == "NOT_RESPONSIBLE" || status == "CLOSED" || status == "NO_FURTHER_ACTION" ||
      status == "INTERNAL_REFERRAL" || status == "WONT_FIX") {
    return ReportStatus::kRejected;
  }
  return std::nullopt;
}

}  // namespace

Result<boost::json::array> Open311Updates(ReportService& reports, const Config& cfg,
                                          const std::string& from, const std::string& to) {
  auto updates = reports.StatusUpdates(from, to, 1000);
  if (!updates) return Err(updates.error());
  boost::json::array out;
  for (const auto& up : *updates) {
    const std::string& status = up.new_status;
    std::string description;
    boost::system::error_code ec;
    auto details = boost::json::parse(up.details_json, ec);
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
    boost::json::object u{{"update_id", up.event_id},
                          {"service_request_id", up.report_id},
                          {"status", ToMySociety(status)},
                          {"updated_datetime", up.created_at},
                          {"description", description}};
    u["media_url"] = status == "resolved" && up.verification_image_key
                         ? boost::json::value(cfg.public_url + MediaUrl(*up.verification_image_key))
                         : boost::json::value("");
    out.push_back(std::move(u));
  }
  return out;
}

Result<std::string> Open311PostUpdate(
    ReportService& reports, Open311Keys& keys, const HttpRequest& req,
    const std::function<std::optional<std::string>(const std::string&)>& field,
    std::string_view media) {
  auto who = keys.Owner(field("api_key").value_or(""));
  if (!who) return Err(who.error());
  std::string id = field("service_request_id").value_or("");
  if (!IsUuid(id)) return Err(Status::NotFound("service_request_id: unknown"));
  std::optional<ReportStatus> wanted = FromMySociety(field("status").value_or(""));
  if (!wanted) {
    return Err(
        Status::InvalidArgument("status: not a status CleanAI can apply (use INVESTIGATING, "
                                "IN_PROGRESS, FIXED, NOT_RESPONSIBLE or CLOSED)"));
  }
  // A city system acts with an operator's rights; the audit trail names its account.
  Principal system = *who;
  system.role = Role::kAdmin;
  StatusChange ch;
  ch.status = *wanted;
  ch.note = field("description");
  if (*wanted == ReportStatus::kRejected)
    ch.reason = field("description").value_or("Closed by the city");
  auto r = reports.ChangeStatus(system, id, ch,
                                *wanted == ReportStatus::kResolved ? media : std::string_view(),
                                ClientOf(req));
  if (!r) return Err(r.error());
  // The update is the newest audit row of the report.
  auto events = reports.Events(system, id);
  if (!events || events->empty()) return Err(Status::Internal("update not recorded"));
  return events->back().id;
}

}  // namespace cleanai
