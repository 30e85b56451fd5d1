// SPDX-License-Identifier: AGPL-3.0-or-later
// Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2): the standard through which
// civic apps and city systems exchange service requests. Waste types are the service
// codes; reports are the service requests. Every answer exists in JSON and XML (the
// format is the path's extension); reporters' personal data is never exposed.
//
// This first part serves the read side: discovery, services, service definitions and
// requests (list with filters, and by id). Filing requests (api_key) and the mySociety
// update extension come next (issue 8).
#pragma once

#include <boost/json/value.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "auth/auth.h"
#include "http/router.h"
#include "reports/reports.h"

namespace cleanai {

// Renders Open311 JSON as the spec's XML: `root` names the document element; arrays take
// the element names the spec uses (services -> service, requests -> request, …).
std::string Open311Xml(const std::string& root, const boost::json::value& v);

struct Open311Key {
  std::string id, name, created_at;
  std::optional<std::string> revoked_at;
};

// A key just made: its record, and the secret, shown this once and never stored.
struct IssuedOpen311Key {
  Open311Key key;
  std::string secret;
};

// API keys for Open311 clients. A key is shown once; only its SHA-256 is stored. Each key
// files reports as its own service account (a citizen-role user that cannot log in), so
// Open311 reports go through exactly the same pipeline as the web app's.
class Open311Keys {
 public:
  Open311Keys(Database& db, AuthService& auth, const Clock& clock)
      : db_(db), auth_(auth), clock_(clock) {}
  // The new key with its secret (the only time it is shown).
  Result<IssuedOpen311Key> Create(const std::string& name, const ClientInfo& client);
  Result<std::vector<Open311Key>> List();
  // NotFound for an unknown or already revoked key.
  Status Revoke(const std::string& id);
  // The service account that a key files as; PermissionDenied (403) for a missing, unknown
  // or revoked key.
  Result<Principal> Owner(const std::string& key);

 private:
  Database& db_;
  AuthService& auth_;
  const Clock& clock_;
};

// Registers /open311/v2/*. Filing needs an api_key.
void RegisterOpen311Routes(Router& router, ReportService& reports, Open311Keys& keys,
                           const Config& config);

// servicerequestupdates (mySociety): status changes between two RFC 3339 times (at most
// 1,000), mapped to OPEN/INVESTIGATING/ACTION_SCHEDULED/IN_PROGRESS/FIXED/DUPLICATE/
// NOT_RESPONSIBLE.
Result<boost::json::array> Open311Updates(ReportService& reports, const Config& cfg,
                                          const std::string& from, const std::string& to);

// Applies a posted update (api_key, service_request_id, status, description, media) as a
// status change; returns the new update id. Forbidden for a bad key, NotFound for an
// unknown request, InvalidArgument for an unmappable status, Conflict for a transition
// the status machine refuses.
Result<std::string> Open311PostUpdate(
    ReportService& reports, Open311Keys& keys, const HttpRequest& req,
    const std::function<std::optional<std::string>(const std::string&)>& field,
    std::string_view media);

// Admin endpoints: POST/GET /api/open311/keys, DELETE /api/open311/keys/:id.
void RegisterOpen311KeyRoutes(Router& router, Open311Keys& keys);

}  // namespace cleanai
