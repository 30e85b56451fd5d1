#include "analytics/impact.h"

#include <cmath>

#include <boost/json.hpp>

#include "http/problem.h"

namespace cleanai {

Result<ImpactFigures> ImpactService::Figures() {
  std::lock_guard<std::mutex> lock(mu_);
  SystemTime now = clock_.Now();
  if (cached_ && now - cached_at_ < std::chrono::seconds(5)) return *cached_;
  auto r = db_.Execute(
      "SELECT COUNT(*) AS filed, "
      "SUM(CASE WHEN status = 'resolved' THEN 1 ELSE 0 END) AS resolved, "
      "SUM(CASE WHEN status IN ('submitted', 'acknowledged', 'dispatched', 'in_progress') "
      "THEN 1 ELSE 0 END) AS open, AVG(resolution_seconds) AS avg_seconds "
      "FROM reports WHERE deleted_at IS NULL AND status <> 'duplicate'");
  if (!r) return Err(r.error());
  const Row& row = r->rows.at(0);
  ImpactFigures f;
  f.reports_filed = row.Int("filed");
  f.reports_resolved = row.Int("resolved");
  f.reports_open = row.Int("open");
  if (!row.IsNull("avg_seconds")) f.average_hours_to_resolve = row.Double("avg_seconds") / 3600.0;
  cached_ = f;
  cached_at_ = now;
  return f;
}

void RegisterImpactRoutes(Router& router, ImpactService& impact) {
  router.Add("GET", "/api/analytics/impact", Access::Public(), [&impact](HttpRequest& req) {
    auto f = impact.Figures();
    if (!f) return ProblemResponse(f.error(), req.request_id);
    boost::json::object body{{"reportsFiled", f->reports_filed},
                             {"reportsResolved", f->reports_resolved},
                             {"reportsOpen", f->reports_open}};
    body["averageHoursToResolve"] =
        f->average_hours_to_resolve
            ? boost::json::value(std::round(*f->average_hours_to_resolve * 10) / 10)
            : boost::json::value(nullptr);
    HttpResponse resp = HttpResponse::Json(200, body);
    resp.SetHeader("Cache-Control", "public, max-age=5");
    return resp;
  });
}

}  // namespace cleanai
