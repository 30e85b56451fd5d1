// SPDX-License-Identifier: AGPL-3.0-or-later
#include "routing/cvrplib.h"

#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

namespace cleanai {
namespace {

// Three times the largest CVRPLIB X instance (1,001 nodes): the two distance matrices are
// 2·N² numbers (144 MB at this limit; fuzzing found 10,001 nodes took 1.6 GB).
constexpr int kMaxDimension = 3'001;
constexpr double kMaxCoordinate = 1e7;
constexpr int64_t kMaxQuantity = 1'000'000'000;

// A whole word as an integer, or false (no exceptions: the file is untrusted input).
bool ToInt(const std::string& word, int64_t* out) {
  const char* end = word.data() + word.size();
  auto [p, ec] = std::from_chars(word.data(), end, *out);
  return ec == std::errc() && p == end;
}

}  // namespace

Result<CvrpInstance> ReadCvrplib(const std::string& path, int vehicles) {
  std::ifstream in(path);
  if (!in) return Err(Status::NotFound("cannot read " + path));
  CvrpInstance inst;
  int dimension = 0;
  int64_t capacity = 0;
  std::vector<double> x, y;
  std::vector<int64_t> demand;
  std::string line, section;
  while (std::getline(in, line)) {
    std::istringstream ls(line);
    std::string word;
    ls >> word;
    if (word.empty()) continue;
    if (word == "NAME" || word == "NAME:") {
      std::string colon;
      if (word == "NAME") ls >> colon;
      ls >> inst.name;
    } else if (word == "DIMENSION" || word == "DIMENSION:") {
      std::string colon;
      if (word == "DIMENSION") ls >> colon;
      ls >> dimension;
      if (!ls || dimension < 2 || dimension > kMaxDimension) {
        return Err(
            Status::InvalidArgument("DIMENSION must be 2.." + std::to_string(kMaxDimension)));
      }
      x.assign(dimension, 0);
      y.assign(dimension, 0);
      demand.assign(dimension, 0);
    } else if (word == "CAPACITY" || word == "CAPACITY:") {
      std::string colon;
      if (word == "CAPACITY") ls >> colon;
      ls >> capacity;
      if (!ls || capacity <= 0 || capacity > kMaxQuantity) {
        return Err(Status::InvalidArgument("CAPACITY must be a positive number"));
      }
    } else if (word == "NODE_COORD_SECTION" || word == "DEMAND_SECTION" ||
               word == "DEPOT_SECTION" || word == "EOF") {
      section = word;
    } else if (section == "NODE_COORD_SECTION") {
      int64_t id = 0;
      if (!ToInt(word, &id) || id < 1 || id > dimension)
        return Err(Status::InvalidArgument("bad node id"));
      double& xi = x[id - 1];
      double& yi = y[id - 1];
      ls >> xi >> yi;
      if (!ls || !std::isfinite(xi) || !std::isfinite(yi) || std::abs(xi) > kMaxCoordinate ||
          std::abs(yi) > kMaxCoordinate) {
        return Err(Status::InvalidArgument("bad coordinates for node " + word));
      }
    } else if (section == "DEMAND_SECTION") {
      int64_t id = 0;
      if (!ToInt(word, &id) || id < 1 || id > dimension)
        return Err(Status::InvalidArgument("bad node id"));
      int64_t& d = demand[id - 1];
      ls >> d;
      if (!ls || d < 0 || d > kMaxQuantity)
        return Err(Status::InvalidArgument("bad demand for node " + word));
    }
  }
  if (dimension < 2 || capacity <= 0) return Err(Status::InvalidArgument("not a CVRP file"));
  auto& p = inst.problem;
  p.cost.assign(dimension, std::vector<int64_t>(dimension, 0));
  for (int i = 0; i < dimension; ++i) {
    for (int j = 0; j < dimension; ++j) {
      p.cost[i][j] = static_cast<int64_t>(std::lround(std::hypot(x[i] - x[j], y[i] - y[j])));
    }
  }
  p.time = p.cost;
  for (int i = 1; i < dimension; ++i) p.jobs.push_back({i, demand[i], 0, 0});
  auto k = inst.name.rfind("-k");
  if (k != std::string::npos) inst.fleet = std::atoi(inst.name.c_str() + k + 2);
  int count = vehicles > 0 ? vehicles : dimension - 1;
  p.vehicles.assign(count, VrpVehicle{0, 0, capacity, 0});
  return inst;
}

Result<int64_t> ReadCvrplibCost(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Err(Status::NotFound("cannot read " + path));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("Cost", 0) != 0) continue;
    std::istringstream ls(line.substr(4));
    double cost = 0;  // some solution files write the cost with decimals
    if (!(ls >> cost) || !std::isfinite(cost) || cost < 0 || cost > 1e15) {
      return Err(Status::InvalidArgument("bad cost line"));
    }
    return static_cast<int64_t>(std::llround(cost));
  }
  return Err(Status::InvalidArgument("no cost line"));
}

}  // namespace cleanai
