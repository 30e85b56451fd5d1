// Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2): the standard through which
// civic apps and city systems exchange service requests. Waste types are the service
// codes; reports are the service requests. Every answer exists in JSON and XML (the
// format is the path's extension); reporters' personal data is never exposed.
//
// This first part serves the read side: discovery, services, service definitions and
// requests (list with filters, and by id). Filing requests (api_key) and the mySociety
// update extension come next (issue 8).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

#include "http/router.h"
#include "reports/reports.h"

namespace cleanai {

// Renders Open311 JSON as the spec's XML: `root` names the document element; arrays take
// the element names the spec uses (services -> service, requests -> request, …).
std::string Open311Xml(const std::string& root, const boost::json::value& v);

// Registers /open311/v2/*. Filing needs an api_key (see keys.cc).
void RegisterOpen311Routes(Router& router, ReportService& reports, Database& db,
                           const Config& config);

// The service account that an api_key files as; PermissionDenied (403) for a missing,
// unknown or revoked key.
Result<Principal> Open311KeyOwner(Database& db, const std::string& key);

// servicerequestupdates (mySociety): status changes between two RFC 3339 times (at most
// 1,000), mapped to OPEN/INVESTIGATING/ACTION_SCHEDULED/IN_PROGRESS/FIXED/DUPLICATE/
// NOT_RESPONSIBLE. On a database error, sets *error.
boost::json::array Open311Updates(Database& db, const Config& cfg, const std::string& from,
                                  const std::string& to, Status* error);

// Applies a posted update (api_key, service_request_id, status, description, media) as a
// status change; returns the new update id. Forbidden for a bad key, NotFound for an
// unknown request, InvalidArgument for an unmappable status, Conflict for a transition
// the status machine refuses.
Result<std::string> Open311PostUpdate(
    ReportService& reports, Database& db, const HttpRequest& req,
    const std::function<std::optional<std::string>(const std::string&)>& field,
    std::string_view media);

// Admin endpoints: POST/GET /api/open311/keys, DELETE /api/open311/keys/:id.
void RegisterOpen311KeyRoutes(Router& router, Database& db, class AuthService& auth,
                              const Clock& clock);

}  // namespace cleanai
