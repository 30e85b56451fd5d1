// SPDX-License-Identifier: AGPL-3.0-or-later
// Leadership of one kind of periodic work (the alert rules, the photo sweeper) among the
// instances sharing a database: a lease row that the leader renews every `ttl / 4` and
// others take once it has expired. The leader that stops cleanly hands the lease back, so
// a rolling restart moves leadership at once; one that dies loses it within `ttl`.
// Instances' clocks must agree to well within `ttl` (NTP).
#pragma once

#include <atomic>
#include <chrono>
#include <string>

#include "core/clock.h"
#include "core/periodic.h"
#include "storage/database.h"

namespace cleanai {

class Leadership {
 public:
  Leadership(Database& db, const Clock& clock, std::string name,
             std::chrono::milliseconds ttl = std::chrono::seconds(10));
  ~Leadership() { Stop(); }

  // Starts renewing (or trying to take) the lease on a thread of its own.
  void Start();
  // Stops, and hands the lease back when this instance held it.
  void Stop();

  // Whether this instance leads now. Work checks it before each round; a round that
  // outlives the lease may overlap the next leader's once (rules are idempotent).
  bool IsLeader() const { return leader_; }
  const std::string& holder() const { return holder_; }

  // One attempt to take or renew the lease now (Start's loop calls it).
  bool TryAcquire();

 private:
  Database& db_;
  const Clock& clock_;
  const std::string name_, holder_;
  const std::chrono::milliseconds ttl_;
  std::atomic<bool> leader_{false};
  PeriodicTask loop_;
};

}  // namespace cleanai
