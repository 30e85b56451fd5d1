// SPDX-License-Identifier: AGPL-3.0-or-later
// A token-bucket rate limiter keyed by client address. Thread-safe. It lives in process
// memory on purpose: it protects this instance's CPU; limits that must hold across
// instances (login failures) are kept in the database instead.
#pragma once

#include <array>
#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace cleanai {

class RateLimiter {
 public:
  // Allows `per_minute` requests per key on average, bursts up to `per_minute / 4 + 1`.
  explicit RateLimiter(int per_minute);

  // Takes one token for `key`. Returns 0 when allowed, otherwise the seconds to wait.
  int Acquire(const std::string& key);

 private:
  struct Bucket {
    double tokens;
    std::chrono::steady_clock::time_point last;
  };
  // Keys are spread over shards, each with its own lock: clients at different addresses
  // never wait for each other.
  struct Shard {
    std::mutex mu;
    std::unordered_map<std::string, Bucket> buckets;
    std::chrono::steady_clock::time_point last_sweep;
  };
  static constexpr size_t kShards = 16;
  double rate_per_second_;
  double burst_;
  std::array<Shard, kShards> shards_;
};

}  // namespace cleanai
