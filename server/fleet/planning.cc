// SPDX-License-Identifier: AGPL-3.0-or-later
#include "fleet/planning.h"

#include <boost/json.hpp>
#include <cmath>
#include <cstdio>
#include <limits>

#include "core/crypto.h"
#include "core/geo_math.h"
#include "core/log.h"
#include "http/client.h"
#include "http/json_input.h"
#include "http/problem.h"
#include "routing/vrp.h"

namespace cleanai {
namespace {

constexpr int kMaxJobs = 500;  // per plan: the solver's matrix stays small

struct Point {
  double lat = 0, lng = 0;
};

std::vector<Point> Depots(const Config& config) {
  std::vector<Point> out;
  for (const auto& d : config.fleet_depots) {
    Point p;
    if (std::sscanf(d.c_str(), "%lf %lf", &p.lat, &p.lng) == 2) out.push_back(p);
  }
  return out;
}

int64_t LeaveOutPenalty(Priority priority) {
  switch (priority) {
    case Priority::kUrgent:
      return 5'000'000;
    case Priority::kHigh:
      return 1'000'000;
    case Priority::kMedium:
      return 200'000;
    case Priority::kLow:
      return 50'000;
  }
  return 50'000;
}

// Node 0.. are points; `open_end` (when >= 0) is a virtual node with zero cost to and
// from everything: a route that ends there ends at its last job.
struct Matrix {
  std::vector<Point> points;
  int open_end = -1;

  int Add(Point p) {
    points.push_back(p);
    return static_cast<int>(points.size()) - 1;
  }
  // Road distances and times from OSRM's table service when configured and the problem
  // fits in one request; great-circle × road factor otherwise (and for pairs OSRM cannot
  // route). Returns which was used: "osrm" or "great-circle".
  std::string Fill(VrpProblem* p, const Config& config) const {
    const size_t n = points.size();
    const double factor = config.fleet_road_factor_percent / 100.0;
    const double speed = config.fleet_speed_kmh / 3.6;  // m/s
    p->cost.assign(n, std::vector<int64_t>(n, 0));
    p->time.assign(n, std::vector<int64_t>(n, 0));
    for (size_t i = 0; i < n; ++i) {
      for (size_t j = 0; j < n; ++j) {
        if (i == j || static_cast<int>(i) == open_end || static_cast<int>(j) == open_end) continue;
        double m =
            HaversineMeters(points[i].lat, points[i].lng, points[j].lat, points[j].lng) * factor;
        p->cost[i][j] = std::llround(m);
        p->time[i][j] = std::llround(m / speed);
      }
    }
    return FillFromOsrm(p, config) ? "osrm" : "great-circle";
  }

  bool FillFromOsrm(VrpProblem* p, const Config& config) const {
    if (config.fleet_osrm_url.empty()) return false;
    std::vector<int> real;  // matrix nodes that are places (not the free end)
    for (size_t i = 0; i < points.size(); ++i) {
      if (static_cast<int>(i) != open_end) real.push_back(static_cast<int>(i));
    }
    if (real.size() < 2 || static_cast<int>(real.size()) > config.fleet_osrm_max_points)
      return false;
    std::string coords;
    for (int i : real) {
      char buf[64];
      // OSRM takes longitude first.
      std::snprintf(buf, sizeof buf, "%s%.6f,%.6f", coords.empty() ? "" : ";", points[i].lng,
                    points[i].lat);
      coords += buf;
    }
    OutgoingRequest req;
    req.url =
        config.fleet_osrm_url + "/table/v1/driving/" + coords + "?annotations=distance,duration";
    req.timeout_seconds = config.fleet_osrm_timeout_seconds;
    req.user_agent = "CleanAI routing/1";
    auto resp = HttpGet(req);
    if (!resp || resp->status != 200) {
      LogWarn("OSRM table failed; using great-circle distances",
              {{"error", resp ? "HTTP " + std::to_string(resp->status) : resp.error().message()}});
      return false;
    }
    boost::system::error_code ec;
    auto v = boost::json::parse(resp->body, ec);
    const boost::json::array *dist = nullptr, *dur = nullptr;
    if (!ec && v.is_object() && v.as_object().contains("code") && v.at("code").is_string() &&
        v.at("code").as_string() == "Ok") {
      if (const auto* d = v.as_object().if_contains("distances")) dist = d->if_array();
      if (const auto* d = v.as_object().if_contains("durations")) dur = d->if_array();
    }
    if (!dist || !dur || dist->size() != real.size() || dur->size() != real.size()) {
      LogWarn("OSRM answered in an unknown format; using great-circle distances");
      return false;
    }
    for (size_t a = 0; a < real.size(); ++a) {
      const auto* drow = (*dist)[a].if_array();
      const auto* trow = (*dur)[a].if_array();
      if (!drow || !trow || drow->size() != real.size() || trow->size() != real.size())
        return false;
      for (size_t b = 0; b < real.size(); ++b) {
        // null: OSRM found no road between the two; the estimate stays.
        if ((*drow)[b].is_number())
          p->cost[real[a]][real[b]] = std::llround((*drow)[b].to_number<double>());
        if ((*trow)[b].is_number())
          p->time[real[a]][real[b]] = std::llround((*trow)[b].to_number<double>());
      }
    }
    return true;
  }
};

int NearestDepot(const std::vector<Point>& depots, Point from) {
  int best = -1;
  double best_m = std::numeric_limits<double>::max();
  for (size_t i = 0; i < depots.size(); ++i) {
    double m = HaversineMeters(from.lat, from.lng, depots[i].lat, depots[i].lng);
    if (m < best_m) {
      best_m = m;
      best = static_cast<int>(i);
    }
  }
  return best;
}

// Where a vehicle starts: its last position, else its nearest (first) depot.
std::optional<std::pair<Point, std::string>> StartOf(const Vehicle& v,
                                                     const std::vector<Point>& depots) {
  if (v.current_lat && v.current_lng)
    return std::make_pair(Point{*v.current_lat, *v.current_lng}, std::string("gps"));
  if (!depots.empty()) return std::make_pair(depots[0], std::string("depot"));
  return std::nullopt;
}

// Fills a route's stops, legs and times from the solver's order.
PlannedRoute Describe(const Vehicle& v, Point start, const std::string& source,
                      std::optional<Point> end, const std::vector<Report>& jobs,
                      const std::vector<int>& order, const VrpProblem& p, int start_node,
                      int end_node, const Config& config) {
  PlannedRoute r;
  r.vehicle = v;
  r.start_lat = start.lat;
  r.start_lng = start.lng;
  r.start_source = source;
  if (end) r.end = std::make_pair(end->lat, end->lng);
  const int64_t service = static_cast<int64_t>(config.fleet_service_minutes) * 60;
  int prev = start_node;
  int64_t clock = 0;
  for (int j : order) {
    const int node = p.jobs[j].node;
    PlannedStop s;
    s.report = jobs[j];
    s.leg_meters = p.cost[prev][node];
    clock += p.time[prev][node];
    s.arrival_seconds = clock;
    clock += service;
    r.distance_meters += s.leg_meters;
    r.load += p.jobs[j].demand;
    r.stops.push_back(std::move(s));
    prev = node;
  }
  if (!order.empty()) {
    r.distance_meters += p.cost[prev][end_node];
    clock += p.time[prev][end_node];
  }
  r.duration_seconds = clock;
  return r;
}

}  // namespace

Result<PlannedRoute> RoutePlanner::RouteFor(const Principal& who, const std::string& vehicle_id) {
  auto v = fleet_.Get(who, vehicle_id);
  if (!v) return Err(v.error());
  const auto depots = Depots(config_);
  auto start = StartOf(*v, depots);
  if (!start) {
    return Err(Status::InvalidArgument(
        "the vehicle has no position yet and no depot is configured (fleet.depots)",
        {{"vehicleId", "has no position"}}));
  }
  auto stops = reports_.StopsOf(vehicle_id, 200);
  if (!stops) return Err(stops.error());
  const std::vector<Report>& jobs = *stops;

  Matrix m;
  const int start_node = m.Add(start->first);
  int end_node;
  std::optional<Point> end;
  int depot = NearestDepot(depots, start->first);
  if (depot >= 0) {
    end = depots[depot];
    end_node = m.Add(*end);
  } else {
    end_node = m.Add({});
    m.open_end = end_node;
  }
  VrpProblem p;
  for (const auto& r : jobs) {
    int node = m.Add({r.lat, r.lng});
    p.jobs.push_back({node, 0, static_cast<int64_t>(config_.fleet_service_minutes) * 60, 0});
  }
  const std::string source = m.Fill(&p, config_);
  // Its own jobs, in the best order: a travelling-salesman path, no capacity question.
  p.vehicles = {{start_node, end_node, std::numeric_limits<int64_t>::max() / 4, 0}};
  VrpOptions o;
  o.seed = 1;
  o.max_iterations = 2000 + 100 * static_cast<int64_t>(jobs.size());
  o.time_limit = std::chrono::seconds(2);
  VrpSolution s = SolveVrp(p, o);
  PlannedRoute route = Describe(*v, start->first, start->second, end, jobs,
                                s.routes.empty() ? std::vector<int>{} : s.routes[0], p, start_node,
                                end_node, config_);
  route.distance_source = source;
  return route;
}

Result<FleetPlan> RoutePlanner::Plan(const Principal& admin, int max_reports) {
  auto all = fleet_.List(admin);
  if (!all) return Err(all.error());
  const auto depots = Depots(config_);
  std::vector<Vehicle> vehicles;
  bool any_available = false;
  for (const auto& v : *all) {
    // Nobody drives a truck without a driver: it gets no stops.
    if ((v.status != "idle" && v.status != "busy") || !v.driver_id) continue;
    any_available = true;
    if (v.capacity - v.current_load <= 0) continue;
    if (!StartOf(v, depots)) continue;
    vehicles.push_back(v);
  }
  if (!any_available) {
    return Err(Status::Conflict("no vehicle is available (idle or busy, with a driver)"));
  }
  if (vehicles.empty()) {
    return Err(Status::Conflict(
        "no available vehicle has capacity left and a position or depot to start from"));
  }
  auto waiting = reports_.AwaitingDispatch(std::min(max_reports, kMaxJobs));
  if (!waiting) return Err(waiting.error());
  const std::vector<Report>& jobs = *waiting;

  Matrix m;
  VrpProblem p;
  struct Ends {
    int start, end;
    Point start_point;
    std::string source;
    std::optional<Point> end_point;
  };
  std::vector<Ends> ends;
  int open_end = -1;
  for (const auto& v : vehicles) {
    auto start = StartOf(v, depots);
    Ends e{m.Add(start->first), -1, start->first, start->second, std::nullopt};
    int depot = NearestDepot(depots, start->first);
    if (depot >= 0) {
      e.end_point = depots[depot];
      e.end = m.Add(*e.end_point);
    } else {
      if (open_end < 0) {
        open_end = m.Add({});
        m.open_end = open_end;
      }
      e.end = open_end;
    }
    ends.push_back(e);
    p.vehicles.push_back({e.start, e.end, v.capacity - v.current_load,
                          static_cast<int64_t>(config_.fleet_shift_minutes) * 60});
  }
  const int64_t service = static_cast<int64_t>(config_.fleet_service_minutes) * 60;
  for (const auto& r : jobs) {
    int node = m.Add({r.lat, r.lng});
    p.jobs.push_back({node, EstimatedVolume(r), service, LeaveOutPenalty(r.priority)});
  }
  const std::string source = m.Fill(&p, config_);
  VrpOptions o;
  o.seed = 1;
  o.max_iterations = std::min<int64_t>(50000, 2000 + 200 * static_cast<int64_t>(jobs.size()));
  o.time_limit = std::chrono::seconds(5);
  VrpSolution s = SolveVrp(p, o);
  FleetPlan plan;
  for (size_t v = 0; v < vehicles.size(); ++v) {
    plan.routes.push_back(Describe(vehicles[v], ends[v].start_point, ends[v].source,
                                   ends[v].end_point, jobs, s.routes[v], p, ends[v].start,
                                   ends[v].end, config_));
    plan.routes.back().distance_source = source;
  }
  for (int j : s.unassigned) plan.unassigned.push_back(jobs[j]);
  return plan;
}

int RoutePlanner::Apply(const Principal& admin, const FleetPlan& plan, const ClientInfo& client,
                        std::vector<std::string>* failures) {
  int applied = 0;
  for (const auto& route : plan.routes) {
    int added = 0;
    for (const auto& stop : route.stops) {
      auto r = reports_.Dispatch(admin, route.vehicle.id, stop.report.id, client);
      if (r) {
        ++added;
      } else {
        failures->push_back(stop.report.id + ": " + r.error().message());
      }
    }
    applied += added;
    if (added == 0 || !route.vehicle.driver_id) continue;
    auto told = db_.InTransaction<bool>([&](Connection& c) -> Result<bool> {
      CLEANAI_RETURN_IF_ERROR(
          notifier_.Send(c, {.user_id = *route.vehicle.driver_id,
                             .kind = "route.changed",
                             .params = {{"vehicle", Same(route.vehicle.vehicle_number)},
                                        {"count", Same(std::to_string(added))}}}));
      return true;
    });
    if (!told)
      failures->push_back("driver of " + route.vehicle.vehicle_number + ": " +
                          told.error().message());
  }
  return applied;
}

namespace {

boost::json::object RouteJson(const PlannedRoute& r) {
  boost::json::array stops, line;
  line.push_back(boost::json::array{r.start_lat, r.start_lng});
  for (const auto& s : r.stops) {
    // What the crew needs at the stop: the citizen's photo and words, how much, a drain.
    boost::json::object stop{{"reportId", s.report.id},
                             {"lat", s.report.lat},
                             {"lng", s.report.lng},
                             {"address", s.report.address},
                             {"wasteType", s.report.waste_type},
                             {"priority", PriorityName(s.report.priority)},
                             {"status", StatusName(s.report.status)},
                             {"thumbnailUrl", MediaUrl(s.report.thumbnail_key)},
                             {"imageUrl", MediaUrl(s.report.image_key)},
                             {"blocksDrain", s.report.blocks_drain},
                             {"legMeters", s.leg_meters},
                             {"arrivalSeconds", s.arrival_seconds}};
    stop["description"] = s.report.description ? boost::json::value(*s.report.description)
                                               : boost::json::value(nullptr);
    stop["size"] = s.report.size ? boost::json::value(*s.report.size) : boost::json::value(nullptr);
    stop["city"] = s.report.city ? boost::json::value(*s.report.city) : boost::json::value(nullptr);
    stops.push_back(std::move(stop));
    line.push_back(boost::json::array{s.report.lat, s.report.lng});
  }
  boost::json::value end = nullptr;
  if (r.end) {
    end = boost::json::object{{"lat", r.end->first}, {"lng", r.end->second}};
    if (!r.stops.empty()) line.push_back(boost::json::array{r.end->first, r.end->second});
  }
  return {
      {"vehicleId", r.vehicle.id},
      {"vehicleNumber", r.vehicle.vehicle_number},
      {"start",
       boost::json::object{{"lat", r.start_lat}, {"lng", r.start_lng}, {"source", r.start_source}}},
      {"end", end},
      {"stops", stops},
      {"distanceMeters", r.distance_meters},
      {"distanceSource", r.distance_source},
      {"durationSeconds", r.duration_seconds},
      {"load", r.load},
      {"polyline", line}};
}

}  // namespace

void RegisterPlanningRoutes(Router& router, RoutePlanner& planner) {
  router.Add("GET", "/api/fleet/route", Access::Roles({Role::kAdmin, Role::kDriver}),
             [&planner](HttpRequest& req) {
               auto id = req.QueryParam("vehicleId");
               if (!id || id->empty()) {
                 return ProblemResponse(Status::InvalidArgument("invalid query parameters",
                                                                {{"vehicleId", "is required"}}),
                                        req.request_id);
               }
               auto r = planner.RouteFor(*req.principal, *id);
               if (!r) return ProblemResponse(r.error(), req.request_id);
               return HttpResponse::Json(200, RouteJson(*r));
             });
  router.Add(
      "POST", "/api/fleet/plan", Access::Roles({Role::kAdmin}), [&planner](HttpRequest& req) {
        JsonInput in(req);
        auto apply = in.Bool("apply");
        auto max = in.Int("maxReports", 1, kMaxJobs);
        if (Status st = in.Finish(); !st.ok()) return ProblemResponse(st, req.request_id);
        auto plan = planner.Plan(*req.principal, static_cast<int>(max.value_or(200)));
        if (!plan) return ProblemResponse(plan.error(), req.request_id);
        boost::json::array routes, unassigned;
        int64_t planned = 0;
        for (const auto& r : plan->routes) {
          routes.push_back(RouteJson(r));
          planned += static_cast<int64_t>(r.stops.size());
        }
        for (const auto& r : plan->unassigned) {
          unassigned.push_back(
              boost::json::object{{"reportId", r.id}, {"priority", PriorityName(r.priority)}});
        }
        boost::json::object body{{"routes", routes},
                                 {"unassigned", unassigned},
                                 {"planned", planned},
                                 {"applied", false}};
        if (apply.value_or(false)) {
          std::vector<std::string> failures;
          int n = planner.Apply(*req.principal, *plan, ClientOf(req), &failures);
          body["applied"] = true;
          body["dispatched"] = n;
          body["failures"] = boost::json::array(failures.begin(), failures.end());
        }
        return HttpResponse::Json(200, body);
      });
}

}  // namespace cleanai
