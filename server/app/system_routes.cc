// SPDX-License-Identifier: AGPL-3.0-or-later
// Operational endpoints: liveness, readiness, metrics and the API description.
#include <boost/json.hpp>

#include "app/app.h"
#include "http/problem.h"

namespace cleanai {

void RegisterSystemRoutes(App& app) {
  app.router.Add("GET", "/healthz", Access::Public(), [](HttpRequest&) {
    return HttpResponse::Json(200, boost::json::object{{"status", "ok"}});
  });

  app.router.Add("GET", "/readyz", Access::Public(), [&app](HttpRequest& req) {
    auto r = app.db->Execute("SELECT 1 AS ok");
    boost::json::object checks{{"database", r ? "ok" : "unavailable"}};
    // Photos: without their store no report can be filed.
    Status media = app.media->objects().Check();
    checks["media"] = media.ok() ? std::string("ok") : "unavailable: " + media.message();
    bool ready = r && media.ok();
    // The replica serves analytics and exports; without it those fail, the rest works.
    if (app.read_db) {
      checks["replica"] = app.read_db->Execute("SELECT 1 AS ok") ? "ok" : "unavailable";
    }
    // The AI is optional: off is reported, not a reason to refuse traffic.
    checks["ai"] = app.ai->enabled() ? "ok" : "off: " + app.ai->disabled_reason();
    boost::json::object body{{"status", ready ? "ready" : "not ready"}, {"checks", checks}};
    (void)req;
    return HttpResponse::Json(ready ? 200 : 503, body);
  });

  app.router.Add("GET", "/metrics", Access::Public(), [&app](HttpRequest&) {
    return HttpResponse::Text(200, "text/plain; version=0.0.4; charset=utf-8",
                              app.metrics.Render());
  });

  app.router.Add("GET", "/api/client-config", Access::Public(), [&app](HttpRequest&) {
    HttpResponse r = HttpResponse::Json(
        200, boost::json::object{{"mapTileUrl", app.config.map_tile_url},
                                 {"mapAttribution", app.config.map_attribution}});
    r.SetHeader("Cache-Control", "no-cache");
    return r;
  });

  app.router.Add("GET", "/api/openapi.json", Access::Public(), [](HttpRequest&) {
    HttpResponse r = HttpResponse::Text(200, "application/json", OpenApiDocument());
    r.SetHeader("Cache-Control", "public, max-age=300");
    return r;
  });
}

}  // namespace cleanai
