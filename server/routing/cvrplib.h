// SPDX-License-Identifier: AGPL-3.0-or-later
// CVRPLIB instances (TSPLIB format) for the routing benchmark and tests: EUC_2D
// coordinates, rounded Euclidean distances (TSPLIB "nint"), one depot.
#pragma once

#include <string>

#include "core/status.h"
#include "routing/vrp.h"

namespace cleanai {

struct CvrpInstance {
  std::string name;
  VrpProblem problem;  // node 0 is the depot; job i is customer node i + 1
  int fleet = 0;       // the "-kN" of the name: the vehicles allowed (0 when unknown)
};

// Reads a .vrp file. `vehicles`: how many vehicles the problem gets (0: one per customer).
Result<CvrpInstance> ReadCvrplib(const std::string& path, int vehicles);
// The cost line of a .sol file ("Cost 784").
Result<int64_t> ReadCvrplibCost(const std::string& path);

}  // namespace cleanai
