// SPDX-License-Identifier: AGPL-3.0-or-later
// Vehicle routing: the capacitated VRP with a duration limit per route, vehicles of their
// own capacity starting where they are, and jobs that may be left out (at a price that
// grows with their priority) when the fleet cannot take them all.
//
// The solver is SISR, "slack induction by string removals" (Christiaens & Vanden Berghe,
// Transportation Science 2020): ruin a few strings of consecutive jobs from routes near a
// random job, recreate them by cheapest insertion with "blinks" (positions skipped at
// random), accept by simulated annealing. bench/route_bench measures it on CVRPLIB.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

namespace cleanai {

struct VrpVehicle {
  int start = 0;  // node the route leaves from (its position, or a depot)
  int end = 0;    // node the route returns to (a depot)
  int64_t capacity = 0;
  int64_t max_duration = 0;  // travel + service time limit for the route; 0 = none
};

struct VrpJob {
  int node = 0;
  int64_t demand = 0;
  int64_t service = 0;  // time spent at the job
  int64_t penalty = 0;  // cost of leaving the job out; 0 = it must be served
};

struct VrpProblem {
  // cost[i][j]: what the objective sums (distance); time[i][j]: travel time (may be the
  // same matrix). Square, nodes 0..N-1.
  std::vector<std::vector<int64_t>> cost, time;
  std::vector<VrpJob> jobs;
  std::vector<VrpVehicle> vehicles;
};

struct VrpSolution {
  std::vector<std::vector<int>> routes;  // per vehicle: job indices in visiting order
  std::vector<int> unassigned;           // job indices left out
  int64_t cost = 0;                      // route costs + penalties of unassigned jobs
  int64_t distance = 0;                  // route costs only
  int64_t iterations = 0;
};

struct VrpOptions {
  uint64_t seed = 1;
  int64_t max_iterations = 0;  // 0: until the time limit
  std::chrono::milliseconds time_limit{1000};
  // Stop once the cost is at or below this (benchmarks: the best-known solution).
  std::optional<int64_t> target_cost;
};

// Deterministic for a seed when it stops on max_iterations (the time limit only caps it).
VrpSolution SolveVrp(const VrpProblem& problem, const VrpOptions& options);

// Checks a solution against the problem: every job served at most once (exactly once
// unless unassigned), loads and durations within limits, the cost right. Returns "" when
// valid, otherwise the first violation.
std::string CheckVrpSolution(const VrpProblem& problem, const VrpSolution& solution);

}  // namespace cleanai
