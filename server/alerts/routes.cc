// SPDX-License-Identifier: AGPL-3.0-or-later
// HTTP handlers for the alerts panel.
#include <boost/json.hpp>

#include "alerts/alerts.h"
#include "core/crypto.h"
#include "http/problem.h"

namespace cleanai {

void RegisterAlertRoutes(Router& router, AlertService& alerts) {
  const Access admin = Access::Roles({Role::kAdmin});
  router.Add("GET", "/api/alerts", admin, [&alerts](HttpRequest& req) {
    std::vector<FieldError> errors;
    std::string state = req.QueryParam("state").value_or("open");
    if (state != "open" && state != "acknowledged" && state != "all") {
      errors.push_back({"state", "must be open, acknowledged or all"});
    }
    int limit = 50;
    if (auto v = req.QueryParam("limit"); v && !ParseBoundedInt(*v, 1, 200, &limit)) {
      errors.push_back({"limit", "must be 1 to 200"});
    }
    std::optional<std::string> cursor = req.QueryParam("cursor");
    if (cursor && !IsUuid(*cursor))
      errors.push_back({"cursor", "is not a cursor from this endpoint"});
    if (!errors.empty()) {
      return ProblemResponse(Status::InvalidArgument("invalid query parameters", errors),
                             req.request_id);
    }
    auto list = alerts.List(state, limit, cursor);
    if (!list) return ProblemResponse(list.error(), req.request_id);
    boost::json::array items;
    for (const auto& a : *list) items.push_back(AlertJson(a));
    boost::json::value next = static_cast<int>(list->size()) == limit
                                  ? boost::json::value(list->back().id)
                                  : boost::json::value(nullptr);
    return HttpResponse::Json(200, boost::json::object{{"items", items}, {"nextCursor", next}});
  });

  router.Add("POST", "/api/alerts/:id/acknowledge", admin, [&alerts](HttpRequest& req) {
    auto a = alerts.Acknowledge(*req.principal, req.path_params["id"], ClientOf(req));
    if (!a) return ProblemResponse(a.error(), req.request_id);
    return HttpResponse::Json(200, AlertJson(*a));
  });

  router.Add("POST", "/api/alerts/evaluate", admin, [&alerts](HttpRequest& req) {
    auto n = alerts.EvaluateScheduled();
    if (!n) return ProblemResponse(n.error(), req.request_id);
    return HttpResponse::Json(200, boost::json::object{{"raised", *n}});
  });
}

}  // namespace cleanai
