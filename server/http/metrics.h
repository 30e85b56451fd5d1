// SPDX-License-Identifier: AGPL-3.0-or-later
// Prometheus metrics for HTTP traffic. Thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

namespace cleanai {

// One metric without labels in the exposition format: its HELP and TYPE lines and its
// value. For collectors (Metrics::AddCollector).
std::string MetricText(const std::string& name, const char* type, const char* help, int64_t value);

class Metrics {
 public:
  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // Records one finished request under its route pattern (not the raw path, so cardinality
  // stays bounded). Each thread counts in a shard of its own (its lock is taken by no other
  // thread but a scrape), so request threads never wait on each other here.
  void Record(const std::string& method, const std::string& route, int status, double seconds);

  // Adds extra exposition text (e.g. the database pool gauges) on each scrape.
  void AddCollector(std::function<std::string()> collector);

  // Prometheus text exposition format 0.0.4.
  std::string Render() const;

 private:
  static constexpr std::array<double, 11> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,   0.25,   0.5,   1.0,  2.5};
  using Key = std::tuple<std::string, std::string, int>;
  // Compares keys and (method, route, status) views alike, so a lookup builds no strings.
  // (Not std::less<>: clang 14 refuses tuple<string> < tuple<string_view>.)
  struct KeyLess {
    using is_transparent = void;
    template <class A, class B>
    bool operator()(const A& a, const B& b) const {
      return View(a) < View(b);
    }
    template <class T>
    static std::tuple<std::string_view, std::string_view, int> View(const T& t) {
      return {std::get<0>(t), std::get<1>(t), std::get<2>(t)};
    }
  };
  struct Shard {
    std::mutex mu;
    std::map<Key, uint64_t, KeyLess> requests;
    std::array<uint64_t, kBuckets.size()> bucket_counts{};
    uint64_t count = 0;
    double sum = 0;
  };
  Shard& ThisThreadsShard();

  const uint64_t id_;      // tells this instance's shards from a dead one's
  mutable std::mutex mu_;  // guards shards_ (the list) and collectors_
  std::vector<std::unique_ptr<Shard>> shards_;
  std::vector<std::function<std::string()>> collectors_;
};

}  // namespace cleanai
