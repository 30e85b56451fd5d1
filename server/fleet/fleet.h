// SPDX-License-Identifier: AGPL-3.0-or-later
// Vehicles: list, create, update, assign a report, and live tracking (positions from the
// driver's phone, kept as a track). Route optimisation is in fleet/planning.cc.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/config.h"
#include "http/router.h"
#include "reports/reports.h"
#include "storage/database.h"

namespace cleanai {

struct Vehicle {
  std::string id, vehicle_number, status, created_at;
  std::optional<std::string> driver_id, driver_name, last_updated, position_updated_at;
  std::optional<std::string> position_recorded_at;  // the device's time of the last fix
  std::optional<double> current_lat, current_lng, heading, speed_kmh;
  bool position_stale = true;  // no fix within alerts.gps_stale_seconds
  int64_t capacity = 100, current_load = 0;
};

struct VehicleInput {
  std::optional<std::string> vehicle_number, status;
  std::optional<std::optional<std::string>> driver_id;  // set to nullopt-inside to unassign
  std::optional<int64_t> capacity, current_load;
  std::optional<double> current_lat, current_lng;  // both or neither: a position fix
};

struct PositionFix {
  double lat = 0, lng = 0;
  std::optional<double> heading, speed_kmh;
  SystemTime recorded_at;
};

class FleetService {
 public:
  FleetService(Database& db, const Clock& clock, const Config& config, const EventLog& events)
      : db_(db), clock_(clock), config_(config), events_(events) {}
  // The vehicle's driver or an admin. NotFound for others; RateLimited within a second of
  // the last fix; Conflict for a fix older than the last one (no time travel).
  // Empties the truck at a depot (current_load = 0): its driver or an admin.
  Result<Vehicle> Unload(const Principal& who, const std::string& id, const ClientInfo& client);
  Result<Vehicle> RecordPosition(const Principal& who, const std::string& id,
                                 const PositionFix& fix);
  // Admins see every vehicle, drivers the ones they drive.
  Result<std::vector<Vehicle>> List(const Principal& who);
  // NotFound unless admin or the vehicle's driver.
  Result<Vehicle> Get(const Principal& who, const std::string& id);
  // InvalidArgument for bad fields or a driverId that is not a driver; Conflict for a
  // vehicle number in use.
  Result<Vehicle> Create(const Principal& admin, const VehicleInput& in, const ClientInfo& client);
  Result<Vehicle> Update(const Principal& admin, const std::string& id, const VehicleInput& in,
                         const ClientInfo& client);

 private:
  Result<Vehicle> Load(Connection& c, const std::string& id);
  Status Validate(Connection& c, const VehicleInput& in, bool creating);
  Status PublishVehicle(Connection& c, const Vehicle& v);
  Vehicle FromRow(const Row& r) const;
  Database& db_;
  const Clock& clock_;
  const Config& config_;
  const EventLog& events_;
};

boost::json::object VehicleJson(const Vehicle& v);

// /api/fleet, /api/fleet/:id, /api/fleet/:id/assign, /api/fleet/:id/location
void RegisterFleetRoutes(Router& router, FleetService& fleet, ReportService& reports);

}  // namespace cleanai
