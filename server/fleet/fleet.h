// Vehicles: the part of the fleet the admin's response flow needs (list, create, update,
// assign a report). Tracking and routing come with the fleet issue.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "http/router.h"
#include "reports/reports.h"
#include "storage/database.h"

namespace cleanai {

struct Vehicle {
  std::string id, vehicle_number, status, created_at;
  std::optional<std::string> driver_id, driver_name, last_updated, position_updated_at;
  std::optional<double> current_lat, current_lng;
  int64_t capacity = 100, current_load = 0;
};

struct VehicleInput {
  std::optional<std::string> vehicle_number, status;
  std::optional<std::optional<std::string>> driver_id;  // set to nullopt-inside to unassign
  std::optional<int64_t> capacity, current_load;
  std::optional<double> current_lat, current_lng;  // both or neither: a position fix
};

class FleetService {
 public:
  FleetService(Database& db, const Clock& clock, const EventLog& events)
      : db_(db), clock_(clock), events_(events) {}
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
  Database& db_;
  const Clock& clock_;
  const EventLog& events_;
};

// /api/fleet, /api/fleet/:id, /api/fleet/:id/assign
void RegisterFleetRoutes(Router& router, FleetService& fleet, ReportService& reports);

}  // namespace cleanai
