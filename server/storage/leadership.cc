// SPDX-License-Identifier: AGPL-3.0-or-later
#include "storage/leadership.h"

#include <unistd.h>

#include "core/crypto.h"
#include "core/log.h"

namespace cleanai {
namespace {

std::string MakeHolder() {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  return std::string(host).substr(0, 64) + ":" + std::to_string(getpid()) + ":" +
         NewUuidV7().substr(24);  // the random end (a v7 UUID starts with the time)
}

}  // namespace

Leadership::Leadership(Database& db, const Clock& clock, std::string name,
                       std::chrono::milliseconds ttl)
    : db_(db), clock_(clock), name_(std::move(name)), holder_(MakeHolder()), ttl_(ttl) {}

bool Leadership::TryAcquire() {
  auto now = clock_.Now();
  // Taken when free, expired, or already ours (a renewal); the row says who holds it.
  auto r = db_.Execute(
      "INSERT INTO leader_leases (name, holder, expires_at) VALUES ($1, $2, $3) "
      "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, "
      "expires_at = excluded.expires_at "
      "WHERE leader_leases.holder = excluded.holder OR leader_leases.expires_at < $4 "
      "RETURNING holder",
      {name_, holder_, FormatTime(now + ttl_), FormatTime(now)});
  bool leads = r && !r->rows.empty() && r->rows[0].Text("holder") == holder_;
  if (!r) LogWarn("leadership: cannot reach the database", {{"lease", name_}});
  if (leads != leader_.exchange(leads)) {
    LogInfo(leads ? "leadership taken" : "leadership lost",
            {{"lease", name_}, {"holder", holder_}});
  }
  return leads;
}

void Leadership::Start() {
  // Decided before the work starts, so a lone instance leads from its first round.
  TryAcquire();
  loop_.Start(ttl_ / 4, [this] { TryAcquire(); });
}

void Leadership::Stop() {
  loop_.Stop();
  if (leader_.exchange(false)) {
    auto r =
        db_.Execute("DELETE FROM leader_leases WHERE name = $1 AND holder = $2", {name_, holder_});
    LogInfo("leadership handed back", {{"lease", name_}, {"ok", r.has_value()}});
  }
}

}  // namespace cleanai
