// SPDX-License-Identifier: AGPL-3.0-or-later
#include "http/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace cleanai {

RateLimiter::RateLimiter(int per_minute)
    : rate_per_second_(per_minute / 60.0),
      burst_(per_minute / 4.0 + 1),
      last_sweep_(std::chrono::steady_clock::now()) {}

int RateLimiter::Acquire(const std::string& key) {
  auto now = std::chrono::steady_clock::now();
  std::lock_guard<std::mutex> lock(mu_);
  // Forget full buckets now and then so memory stays bounded by active clients.
  if (now - last_sweep_ > std::chrono::minutes(1)) {
    for (auto it = buckets_.begin(); it != buckets_.end();) {
      double secs = std::chrono::duration<double>(now - it->second.last).count();
      if (it->second.tokens + secs * rate_per_second_ >= burst_) {
        it = buckets_.erase(it);
      } else {
        ++it;
      }
    }
    last_sweep_ = now;
  }
  auto [it, inserted] = buckets_.try_emplace(key, Bucket{burst_, now});
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
