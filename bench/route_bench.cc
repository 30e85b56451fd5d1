// SPDX-License-Identifier: AGPL-3.0-or-later
// The route optimiser on CVRPLIB (../shared/cvrplib): cost, gap to the best-known
// solution and time per instance, one thread. A/B/P get their k vehicles and 1 s;
// X instances an unlimited fleet and 10 s.
//   build/release/route_bench [cvrplib-dir] [seed]
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "routing/cvrplib.h"

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  std::string dir = argc > 1 ? argv[1] : "../shared/cvrplib";
  uint64_t seed = argc > 2 ? std::stoull(argv[2]) : 1;
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".vrp") names.push_back(e.path().stem().string());
  }
  if (names.empty()) {
    std::fprintf(stderr, "no .vrp files in %s\n", dir.c_str());
    return 1;
  }
  std::sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
    auto n = [](const std::string& s) { return std::stoi(s.substr(s.find("-n") + 2)); };
    return a[0] != b[0] ? a[0] < b[0] : n(a) < n(b);
  });
  std::printf("%-12s %8s %8s %8s %8s %8s %10s\n", "instance", "best", "cost", "gap %", "routes",
              "time s", "iterations");
  std::map<char, std::vector<double>> gaps;
  for (const auto& name : names) {
    bool x = name[0] == 'X';
    auto bks = cleanai::ReadCvrplibCost(dir + "/" + name + ".sol");
    auto probe = cleanai::ReadCvrplib(dir + "/" + name + ".vrp", 0);
    if (!bks || !probe) {
      std::fprintf(stderr, "%s: cannot read\n", name.c_str());
      return 1;
    }
    auto inst = cleanai::ReadCvrplib(dir + "/" + name + ".vrp", x ? 0 : probe->fleet);
    cleanai::VrpOptions o;
    o.seed = seed;
    o.time_limit = std::chrono::milliseconds(x ? 10000 : 1000);
    o.target_cost = *bks;
    auto t0 = std::chrono::steady_clock::now();
    auto sol = cleanai::SolveVrp(inst->problem, o);
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::string bad = cleanai::CheckVrpSolution(inst->problem, sol);
    int routes = 0;
    for (const auto& r : sol.routes) routes += !r.empty();
    double gap = 100.0 * static_cast<double>(sol.cost - *bks) / static_cast<double>(*bks);
    if (!bad.empty() || !sol.unassigned.empty()) {
      std::printf("%-12s INVALID: %s (%zu unassigned)\n", name.c_str(), bad.c_str(),
                  sol.unassigned.size());
      continue;
    }
    gaps[x ? 'X' : 'A'].push_back(gap);
    std::printf("%-12s %8lld %8lld %8.2f %8d %8.2f %10lld\n", name.c_str(),
                static_cast<long long>(*bks), static_cast<long long>(sol.cost), gap, routes, secs,
                static_cast<long long>(sol.iterations));
  }
  for (auto& [set, g] : gaps) {
    double sum = 0;
    for (double v : g) sum += v;
    std::printf("average gap %s: %.2f %% over %zu instances\n", set == 'X' ? "X" : "A/B/P",
                sum / static_cast<double>(g.size()), g.size());
  }
  return 0;
}
