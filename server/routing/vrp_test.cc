// SPDX-License-Identifier: AGPL-3.0-or-later
// The solver against brute force on small instances, and its constraints on larger ones.
#include "routing/vrp.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <random>

#include "routing/cvrplib.h"

namespace cleanai {
namespace {

// Random points on a 100 × 100 square; node 0 is the depot.
VrpProblem RandomProblem(int jobs, int vehicles, int64_t capacity, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> coord(0, 100), demand(1, 10);
  std::vector<std::pair<int, int>> pts;
  for (int i = 0; i <= jobs; ++i) pts.push_back({coord(rng), coord(rng)});
  VrpProblem p;
  const int n = jobs + 1;
  p.cost.assign(n, std::vector<int64_t>(n, 0));
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      p.cost[i][j] =
          std::lround(std::hypot(pts[i].first - pts[j].first, pts[i].second - pts[j].second));
    }
  }
  p.time = p.cost;
  for (int i = 1; i < n; ++i) p.jobs.push_back({i, demand(rng), 0, 0});
  p.vehicles.assign(vehicles, VrpVehicle{0, 0, capacity, 0});
  return p;
}

// The optimum by enumeration: every order of the jobs, cut into at most `vehicles`
// consecutive routes (identical vehicles, so this covers every solution).
int64_t BruteForce(const VrpProblem& p) {
  const int n = static_cast<int>(p.jobs.size());
  const int m = static_cast<int>(p.vehicles.size());
  const auto& veh = p.vehicles[0];
  std::vector<int> order(n);
  for (int i = 0; i < n; ++i) order[i] = i;
  int64_t best = INT64_MAX;
  do {
    // Cuts: a bitmask over the n-1 gaps between consecutive jobs.
    for (int mask = 0; mask < (1 << (n - 1)); ++mask) {
      if (__builtin_popcount(mask) + 1 > m) continue;
      int64_t cost = 0, load = 0;
      bool ok = true;
      int prev = veh.start;
      for (int i = 0; i < n && ok; ++i) {
        const auto& job = p.jobs[order[i]];
        cost += p.cost[prev][job.node];
        load += job.demand;
        prev = job.node;
        bool cut = i == n - 1 || (mask >> i & 1);
        if (cut) {
          cost += p.cost[prev][veh.end];
          ok = load <= veh.capacity;
          load = 0;
          prev = veh.start;
        }
      }
      if (ok) best = std::min(best, cost);
    }
  } while (std::next_permutation(order.begin(), order.end()));
  return best;
}

TEST(Vrp, MatchesBruteForceOnSmallInstances) {
  for (uint64_t seed = 1; seed <= 12; ++seed) {
    VrpProblem p = RandomProblem(7, 3, 20, seed);
    VrpOptions o;
    o.seed = seed;
    o.max_iterations = 3000;
    o.time_limit = std::chrono::seconds(10);
    VrpSolution s = SolveVrp(p, o);
    EXPECT_EQ(CheckVrpSolution(p, s), "") << "seed " << seed;
    ASSERT_TRUE(s.unassigned.empty()) << "seed " << seed;
    EXPECT_EQ(s.cost, BruteForce(p)) << "seed " << seed;
  }
}

TEST(Vrp, SameSeedSameAnswer) {
  VrpProblem p = RandomProblem(60, 8, 40, 99);
  VrpOptions o;
  o.seed = 5;
  o.max_iterations = 3000;
  o.time_limit = std::chrono::seconds(30);
  VrpSolution a = SolveVrp(p, o), b = SolveVrp(p, o);
  EXPECT_EQ(a.routes, b.routes);
  EXPECT_EQ(a.cost, b.cost);
  o.seed = 6;
  VrpSolution c = SolveVrp(p, o);
  EXPECT_EQ(CheckVrpSolution(p, c), "");
}

TEST(Vrp, CapacityAndDurationAreNeverExceeded) {
  VrpProblem p = RandomProblem(80, 30, 25, 3);
  for (auto& j : p.jobs) j.service = 5;
  for (auto& v : p.vehicles) v.max_duration = 300;  // every job fits alone (2 × 142 + 5)
  VrpOptions o;
  o.max_iterations = 5000;
  VrpSolution s = SolveVrp(p, o);
  EXPECT_EQ(CheckVrpSolution(p, s), "");
  EXPECT_TRUE(s.unassigned.empty());
  for (size_t v = 0; v < s.routes.size(); ++v) {
    int64_t load = 0;
    for (int j : s.routes[v]) load += p.jobs[j].demand;
    EXPECT_LE(load, 25);
  }
}

TEST(Vrp, WhenTheFleetIsShortTheCheapestToLeaveOutAreLeftOut) {
  // Ten jobs of demand 10, one vehicle of capacity 50: five stay. The five urgent ones
  // (a high price for leaving them out) are served.
  VrpProblem p = RandomProblem(10, 1, 50, 11);
  for (size_t j = 0; j < p.jobs.size(); ++j) {
    p.jobs[j].demand = 10;
    p.jobs[j].penalty = j < 5 ? 100000 : 1000;
  }
  VrpOptions o;
  o.max_iterations = 2000;
  VrpSolution s = SolveVrp(p, o);
  EXPECT_EQ(CheckVrpSolution(p, s), "");
  ASSERT_EQ(s.unassigned.size(), 5u);
  for (int j : s.unassigned) EXPECT_GE(j, 5);
}

TEST(Vrp, VehiclesStartWhereTheyAre) {
  // Two trucks out in the field and one depot; each should take the jobs near it.
  VrpProblem p;
  // Nodes: 0 depot (0,0); 1 truck A (100,0); 2 truck B (0,100); 3,4 near A; 5,6 near B.
  std::vector<std::pair<int, int>> pts = {{0, 0},  {100, 0}, {0, 100}, {95, 5},
                                          {90, 0}, {5, 95},  {0, 90}};
  const int n = static_cast<int>(pts.size());
  p.cost.assign(n, std::vector<int64_t>(n, 0));
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      p.cost[i][j] =
          std::lround(std::hypot(pts[i].first - pts[j].first, pts[i].second - pts[j].second));
    }
  }
  p.time = p.cost;
  for (int node = 3; node <= 6; ++node) p.jobs.push_back({node, 1, 0, 0});
  p.vehicles = {{1, 0, 10, 0}, {2, 0, 10, 0}};
  VrpOptions o;
  o.max_iterations = 500;
  VrpSolution s = SolveVrp(p, o);
  EXPECT_EQ(CheckVrpSolution(p, s), "");
  auto sorted = [](std::vector<int> r) {
    std::sort(r.begin(), r.end());
    return r;
  };
  EXPECT_EQ(sorted(s.routes[0]), (std::vector<int>{0, 1}));
  EXPECT_EQ(sorted(s.routes[1]), (std::vector<int>{2, 3}));
}

TEST(Vrp, NothingToDoOrNobodyToDoIt) {
  VrpProblem p = RandomProblem(3, 0, 10, 1);
  for (auto& j : p.jobs) j.penalty = 7;
  VrpSolution s = SolveVrp(p, {});
  EXPECT_EQ(s.unassigned.size(), 3u);
  EXPECT_EQ(s.cost, 21);
}

// Found by fuzz/cvrplib_fuzz: the reader threw (std::stoi) or allocated without bound.
TEST(Cvrplib, BadFilesAreErrorsNotCrashes) {
  std::string path = "/tmp/cleanai-cvrp-test-" + std::to_string(::getpid()) + ".vrp";
  auto read = [&](const std::string& text) {
    std::ofstream(path) << text;
    return ReadCvrplib(path, 0);
  };
  const std::string head = "NAME : t-n3-k1\nDIMENSION : 3\nCAPACITY : 10\n";
  EXPECT_TRUE(
      read(head + "NODE_COORD_SECTION\n1 0 0\n2 3 4\n3 6 8\nDEMAND_SECTION\n1 0\n2 1\n3 2\n"));
  for (std::string bad :
       {head + "NODE_COORD_SECTION\nx 0 0\n",            // not a number
        head + "NODE_COORD_SECTION\n99999999999 0 0\n",  // out of range
        head + "NODE_COORD_SECTION\n1 nan 0\n", head + "NODE_COORD_SECTION\n1 1e300 0\n",
        head + "DEMAND_SECTION\n2 -5\n",
        std::string("DIMENSION : 2000000000\n"),  // no huge matrix
        std::string("DIMENSION : -3\n"), std::string("CAPACITY : 0\nDIMENSION : 3\n")}) {
    EXPECT_FALSE(read(bad)) << bad;
  }
  std::ofstream(path) << "Cost abc\n";
  EXPECT_FALSE(ReadCvrplibCost(path));
  std::ofstream(path) << "Cost 784.5\n";
  auto cost = ReadCvrplibCost(path);
  ASSERT_TRUE(cost);
  EXPECT_EQ(*cost, 785);
  ::unlink(path.c_str());
}

}  // namespace
}  // namespace cleanai
