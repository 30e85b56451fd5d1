// SPDX-License-Identifier: AGPL-3.0-or-later
// A rate limit that holds across every instance sharing the database (an admin's
// broadcasts: a slip of the hand must not mail a city twice, whichever instance nginx
// picks). Sliding windows over a table of hits; for rare actions only — each check is a
// small transaction, unlike the in-process per-address limiter that guards every request.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "core/clock.h"
#include "storage/database.h"

namespace cleanai {

struct RateWindow {
  int max_hits;
  std::chrono::seconds window;
};

class SharedRateLimit {
 public:
  // At most each window's max_hits within any span of its length, per subject.
  SharedRateLimit(Database& db, const Clock& clock, std::string bucket,
                  std::vector<RateWindow> windows)
      : db_(db), clock_(clock), bucket_(std::move(bucket)), windows_(std::move(windows)) {}

  // Records a hit for `subject` when every window allows it and returns 0; otherwise
  // records nothing and returns the seconds until it would be allowed.
  Result<int> Take(const std::string& subject);

 private:
  Database& db_;
  const Clock& clock_;
  const std::string bucket_;
  const std::vector<RateWindow> windows_;
};

}  // namespace cleanai
