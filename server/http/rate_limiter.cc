// SPDX-License-Identifier: AGPL-3.0-or-later
#include "http/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace cleanai {

RateLimiter::RateLimiter(int per_minute)
    : rate_per_second_(per_minute / 60.0), burst_(per_minute / 4.0 + 1) {
  for (auto& s : shards_) s.last_sweep = std::chrono::steady_clock::now();
}

int RateLimiter::Acquire(const std::string& key) {
  auto now = std::chrono::steady_clock::now();
  Shard& shard = shards_[std::hash<std::string>{}(key) % kShards];
  std::lock_guard<std::mutex> lock(shard.mu);
  // Forget full buckets now and then so memory stays bounded by active clients.
  if (now - shard.last_sweep > std::chrono::minutes(1)) {
    for (auto it = shard.buckets.begin(); it != shard.buckets.end();) {
      double secs = std::chrono::duration<double>(now - it->second.last).count();
      if (it->second.tokens + secs * rate_per_second_ >= burst_) {
        it = shard.buckets.erase(it);
      } else {
        ++it;
      }
    }
    shard.last_sweep = now;
  }
  auto [it, inserted] = shard.buckets.try_emplace(key, Bucket{burst_, now});
  Bucket& b = it->second;
  double secs = std::chrono::duration<double>(now - b.last).count();
  b.tokens = std::min(burst_, b.tokens + secs * rate_per_second_);
  b.last = now;
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return 0;
  }
  return static_cast<int>(std::ceil((1.0 - b.tokens) / rate_per_second_));
}

}  // namespace cleanai
