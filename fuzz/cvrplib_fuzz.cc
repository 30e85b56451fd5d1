// SPDX-License-Identifier: AGPL-3.0-or-later
// The CVRPLIB (TSPLIB) reader: instances and solution files an operator may load.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "routing/cvrplib.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = "/tmp/cleanai-fuzz-cvrp-" + std::to_string(getpid()) + ".vrp";
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return 0;
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  auto inst = cleanai::ReadCvrplib(path, 0);
  (void)cleanai::ReadCvrplib(path, 3);
  (void)cleanai::ReadCvrplibCost(path);
  if (inst) (void)inst->problem.jobs.size();
  return 0;
}
