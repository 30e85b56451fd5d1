// SPDX-License-Identifier: AGPL-3.0-or-later
// Route planning for the fleet, on the SISR solver of routing/vrp.h:
//  - a vehicle's best order for its open jobs from where it is (GET /api/fleet/route);
//  - a plan for all open, undispatched reports across the available vehicles
//    (POST /api/fleet/plan): capacity left (capacity − current load), demand from the
//    report's size (bag 1, wheelbarrow 3, truck 10, unknown 2; construction debris
//    counts double), the shift length, depots, and priorities served first (leaving a
//    report out costs 50 km of driving for low priority up to 5,000 km for urgent).
// Distances come from an OSRM server's table service when fleet.osrm_url is set, else
// great-circle × fleet.road_factor_percent with travel time at fleet.speed_kmh.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/config.h"
#include "fleet/fleet.h"
#include "reports/reports.h"
#include "storage/database.h"

namespace cleanai {

struct PlannedStop {
  Report report;
  int64_t leg_meters = 0;       // from the previous stop (or the start)
  int64_t arrival_seconds = 0;  // from the start, service times included
};

struct PlannedRoute {
  Vehicle vehicle;
  double start_lat = 0, start_lng = 0;
  std::string start_source;                      // "gps" or "depot"
  std::optional<std::pair<double, double>> end;  // the depot it returns to
  std::vector<PlannedStop> stops;
  int64_t distance_meters = 0, duration_seconds = 0, load = 0;
  std::string distance_source;  // "osrm" (road network) or "great-circle" (estimate)
};

struct FleetPlan {
  std::vector<PlannedRoute> routes;
  std::vector<Report> unassigned;  // no capacity or time left for them
};

class RoutePlanner {
 public:
  RoutePlanner(Database& db, ReportService& reports, FleetService& fleet, const Notifier& notifier,
               const Config& config)
      : db_(db), reports_(reports), fleet_(fleet), notifier_(notifier), config_(config) {}

  // NotFound unless admin or the vehicle's driver; InvalidArgument when the vehicle has
  // neither a position nor a depot to start from.
  Result<PlannedRoute> RouteFor(const Principal& who, const std::string& vehicle_id);
  // Conflict when no vehicle is available or none has capacity left.
  Result<FleetPlan> Plan(const Principal& admin, int max_reports);
  // Dispatches each planned stop (events, notifications, audit as a manual dispatch), then
  // tells each driver whose route changed.
  // Returns the number dispatched; reports that changed meanwhile go to `failures`.
  int Apply(const Principal& admin, const FleetPlan& plan, const ClientInfo& client,
            std::vector<std::string>* failures);

 private:
  Database& db_;
  ReportService& reports_;
  FleetService& fleet_;
  const Notifier& notifier_;
  const Config& config_;
};

// GET /api/fleet/route?vehicleId=, POST /api/fleet/plan. Register before the fleet's
// /api/fleet/:id routes (the first matching pattern wins).
void RegisterPlanningRoutes(Router& router, RoutePlanner& planner);

}  // namespace cleanai
