#include "routing/cvrplib.h"

#include <cmath>
#include <fstream>
#include <sstream>

namespace cleanai {

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
      x.assign(dimension, 0);
      y.assign(dimension, 0);
      demand.assign(dimension, 0);
    } else if (word == "CAPACITY" || word == "CAPACITY:") {
      std::string colon;
      if (word == "CAPACITY") ls >> colon;
      ls >> capacity;
    } else if (word == "NODE_COORD_SECTION" || word == "DEMAND_SECTION" ||
               word == "DEPOT_SECTION" || word == "EOF") {
      section = word;
    } else if (section == "NODE_COORD_SECTION") {
      int id = std::stoi(word);
      if (id < 1 || id > dimension) return Err(Status::InvalidArgument("bad node id"));
      ls >> x[id - 1] >> y[id - 1];
    } else if (section == "DEMAND_SECTION") {
      int id = std::stoi(word);
      if (id < 1 || id > dimension) return Err(Status::InvalidArgument("bad node id"));
      ls >> demand[id - 1];
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
    if (line.rfind("Cost", 0) == 0) return static_cast<int64_t>(std::stoll(line.substr(4)));
  }
  return Err(Status::InvalidArgument("no cost line"));
}

}  // namespace cleanai
