// SPDX-License-Identifier: AGPL-3.0-or-later
// Public impact figures for the homepage: how many reports were filed and resolved, and
// how long resolving takes on average. The full analytics (dashboards, percentiles,
// exports) belong to the intelligence issue; this is the public slice.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>

#include "core/clock.h"
#include "http/router.h"
#include "storage/database.h"

namespace cleanai {

struct ImpactFigures {
  int64_t reports_filed = 0;  // not hidden, not merged
  int64_t reports_resolved = 0;
  int64_t reports_open = 0;
  std::optional<double> average_hours_to_resolve;
};

class ImpactService {
 public:
  ImpactService(Database& db, const Clock& clock) : db_(db), clock_(clock) {}
  // Cached for five seconds: the homepage is public and must not become a database load,
  // and the admin dashboard must not show old numbers for long.
  Result<ImpactFigures> Figures();

 private:
  Database& db_;
  const Clock& clock_;
  std::mutex mu_;
  std::optional<ImpactFigures> cached_;
  SystemTime cached_at_{};
};

// GET /api/analytics/impact (public)
void RegisterImpactRoutes(Router& router, ImpactService& impact);

}  // namespace cleanai
