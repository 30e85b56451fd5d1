// SPDX-License-Identifier: AGPL-3.0-or-later
#include "analytics/impact.h"

#include <boost/json.hpp>
#include <cmath>

#include "http/problem.h"

namespace cleanai {

Result<ImpactFigures> ImpactService::Figures() {
  std::lock_guard<std::mutex> lock(mu_);
  SystemTime now = clock_.Now();
  if (cached_ && now - cached_at_ < std::chrono::seconds(5)) return *cached_;
  // From the per-day counts the triggers keep (migration 8): a few thousand rows a year,
  // not a scan of every report.
  auto r = db_.Execute(
      "SELECT COALESCE(SUM(CASE WHEN kind = 'filed' AND status <> 'duplicate' THEN n ELSE 0 END), "
      "0) AS filed, "
      "COALESCE(SUM(CASE WHEN kind = 'filed' AND status = 'resolved' THEN n ELSE 0 END), 0) "
      "AS resolved, "
      "COALESCE(SUM(CASE WHEN kind = 'filed' AND status IN ('submitted', 'acknowledged', "
      "'dispatched', 'in_progress') THEN n ELSE 0 END), 0) AS open, "
      "SUM(CASE WHEN kind = 'resolved' THEN n ELSE 0 END) AS resolved_n, "
      "SUM(CASE WHEN kind = 'resolved' THEN seconds ELSE 0 END) AS resolved_seconds "
      "FROM report_day_counts");
  if (!r) return Err(r.error());
  const Row& row = r->rows.at(0);
  ImpactFigures f;
  f.reports_filed = row.Int("filed");
  f.reports_resolved = row.Int("resolved");
  f.reports_open = row.Int("open");
  if (row.Int("resolved_n") > 0) {
    f.average_hours_to_resolve = row.Double("resolved_seconds") / row.Double("resolved_n") / 3600.0;
  }
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
