// SPDX-License-Identifier: AGPL-3.0-or-later
// HTTP handlers for the flood-risk panel.
#include <boost/json.hpp>
#include <cmath>

#include "flood/flood.h"
#include "http/json_input.h"
#include "http/problem.h"

namespace cleanai {
namespace {

// Dividing by a power of ten (not multiplying by 0.01) gives the double nearest the
// rounded decimal, so 6.6 prints as 6.6.
double Round(double v, int decimals) {
  const double k = std::pow(10.0, decimals);
  return std::round(v * k) / k;
}

boost::json::object AreaJson(const FloodArea& a) {
  const auto& f = a.factors;
  const auto& s = a.score;
  return {{"key", a.key},
          {"lat", a.lat},
          {"lng", a.lng},
          {"place", a.place ? boost::json::value(*a.place) : boost::json::value(nullptr)},
          {"level", s.level},
          {"index", Round(s.index, 2)},
          {"factors", boost::json::object{
                          {"drainReports", a.drain_reports},
                          {"oldestDays", Round(a.oldest_days, 1)},
                          {"blockage", Round(f.blockage, 2)},
                          {"openReports", a.open_reports},
                          {"volume", Round(f.volume, 2)},
                          {"load", Round(s.load, 2)},
                          {"rainMmNext24h", f.rain_mm ? boost::json::value(Round(*f.rain_mm, 1))
                                                      : boost::json::value(nullptr)},
                          {"rainSource", a.rain_source},
                          {"rainMultiplier", s.rain_multiplier},
                          {"lowLying", f.low_lying},
                          {"lowLyingArea", a.low_lying_area ? boost::json::value(*a.low_lying_area)
                                                            : boost::json::value(nullptr)},
                          {"terrainMultiplier", s.terrain_multiplier}}}};
}

boost::json::object LowLyingJson(const LowLyingArea& a) {
  return {{"id", a.id},   {"name", a.name},        {"lat", a.lat},
          {"lng", a.lng}, {"radiusM", a.radius_m}, {"createdAt", a.created_at}};
}

}  // namespace

void RegisterFloodRoutes(Router& router, FloodService& flood) {
  const Access admin = Access::Roles({Role::kAdmin});
  router.Add("GET", "/api/flood/risk", admin, [&flood](HttpRequest& req) {
    auto a = flood.Assess();
    if (!a) return ProblemResponse(a.error(), req.request_id);
    int limit = 50;
    if (auto v = req.QueryParam("limit"); v && !ParseBoundedInt(*v, 1, 200, &limit)) {
      return ProblemResponse(
          Status::InvalidArgument("invalid query parameters", {{"limit", "must be 1 to 200"}}),
          req.request_id);
    }
    boost::json::array areas;
    boost::json::object counts{{"low", 0}, {"moderate", 0}, {"high", 0}, {"severe", 0}};
    for (size_t i = 0; i < a->areas.size(); ++i) {
      counts[a->areas[i].score.level] = counts[a->areas[i].score.level].as_int64() + 1;
      if (static_cast<int>(i) < limit) areas.push_back(AreaJson(a->areas[i]));
    }
    boost::json::value admin_rain = nullptr;
    if (a->admin_rainfall) {
      admin_rain = boost::json::object{{"mmNext24h", a->admin_rainfall->mm_next_24h},
                                       {"enteredAt", a->admin_rainfall->created_at},
                                       {"validUntil", a->admin_rainfall->valid_until}};
    }
    return HttpResponse::Json(
        200,
        boost::json::object{{"assessedAt", a->assessed_at},
                            {"forecastConfigured", a->provider_configured},
                            {"adminRainfall", admin_rain},
                            {"levels", counts},
                            {"areas", areas},
                            {"disclaimer",
                             "An index to guide crews to the drains that matter first, not a flood "
                             "forecast."}});
  });

  router.Add("GET", "/api/flood/low-lying-areas", admin, [&flood](HttpRequest& req) {
    auto list = flood.LowLyingAreas();
    if (!list) return ProblemResponse(list.error(), req.request_id);
    boost::json::array items;
    for (const auto& a : *list) items.push_back(LowLyingJson(a));
    return HttpResponse::Json(200, boost::json::object{{"items", items}});
  });

  router.Add("POST", "/api/flood/low-lying-areas", admin, [&flood](HttpRequest& req) {
    JsonInput in(req);
    auto name = in.String("name", {.required = true, .min = 1, .max = 100});
    auto lat = in.Double("lat", -90, 90, true);
    auto lng = in.Double("lng", -180, 180, true);
    auto radius = in.Int("radiusM", 10, 20000, true);
    if (Status st = in.Finish(); !st.ok()) return ProblemResponse(st, req.request_id);
    auto a = flood.AddLowLyingArea(*req.principal, *name, *lat, *lng, *radius, ClientOf(req));
    if (!a) return ProblemResponse(a.error(), req.request_id);
    HttpResponse resp = HttpResponse::Json(201, LowLyingJson(*a));
    resp.SetHeader("Location", "/api/flood/low-lying-areas/" + a->id);
    return resp;
  });

  router.Add("DELETE", "/api/flood/low-lying-areas/:id", admin, [&flood](HttpRequest& req) {
    Status st = flood.RemoveLowLyingArea(*req.principal, req.path_params["id"], ClientOf(req));
    if (!st.ok()) return ProblemResponse(st, req.request_id);
    return HttpResponse::NoContent();
  });

  router.Add("POST", "/api/flood/rainfall", admin, [&flood](HttpRequest& req) {
    JsonInput in(req);
    auto mm = in.Double("mmNext24h", 0, 1000, true);
    auto hours = in.Int("validHours", 1, 72);
    if (Status st = in.Finish(); !st.ok()) return ProblemResponse(st, req.request_id);
    auto e = flood.EnterRainfall(*req.principal, *mm, static_cast<int>(hours.value_or(24)),
                                 ClientOf(req));
    if (!e) return ProblemResponse(e.error(), req.request_id);
    return HttpResponse::Json(201, boost::json::object{{"id", e->id},
                                                       {"mmNext24h", e->mm_next_24h},
                                                       {"enteredAt", e->created_at},
                                                       {"validUntil", e->valid_until}});
  });
}

}  // namespace cleanai
