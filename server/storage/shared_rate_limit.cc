// SPDX-License-Identifier: AGPL-3.0-or-later
#include "storage/shared_rate_limit.h"

#include <algorithm>

namespace cleanai {

Result<int> SharedRateLimit::Take(const std::string& subject) {
  auto now = clock_.Now();
  std::chrono::seconds longest{0};
  for (const auto& w : windows_) longest = std::max(longest, w.window);
  return db_.InTransaction<int>([&](Connection& c) -> Result<int> {
    if (c.backend() == Backend::kPostgres) {
      // Two instances checking the same subject at once take turns (SQLite's writers are
      // serial already).
      auto lock = c.Execute("SELECT pg_advisory_xact_lock(7141003, hashtext($1)) AS locked",
                            {bucket_ + "/" + subject});
      if (!lock) return Err(lock.error());
    }
    auto old =
        c.Execute("DELETE FROM rate_limit_hits WHERE bucket = $1 AND subject = $2 AND hit_at < $3",
                  {bucket_, subject, FormatTime(now - longest)});
    if (!old) return Err(old.error());
    int wait = 0;
    for (const auto& w : windows_) {
      // The window's hits, newest first: the max_hits-th newest says when one frees up.
      auto r = c.Execute(
          "SELECT hit_at FROM rate_limit_hits WHERE bucket = $1 AND subject = $2 AND "
          "hit_at >= $3 ORDER BY hit_at DESC LIMIT $4",
          {bucket_, subject, FormatTime(now - w.window), int64_t{w.max_hits}});
      if (!r) return Err(r.error());
      if (static_cast<int>(r->rows.size()) < w.max_hits) continue;
      auto oldest = r->rows.back().Time("hit_at");
      if (!oldest) continue;
      auto left = std::chrono::duration_cast<std::chrono::seconds>(*oldest + w.window - now);
      wait = std::max(wait, static_cast<int>(left.count()) + 1);
    }
    if (wait > 0) return wait;
    auto ins =
        c.Execute("INSERT INTO rate_limit_hits (bucket, subject, hit_at) VALUES ($1, $2, $3)",
                  {bucket_, subject, FormatTime(now)});
    if (!ins) return Err(ins.error());
    return 0;
  });
}

}  // namespace cleanai
