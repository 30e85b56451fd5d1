// SPDX-License-Identifier: AGPL-3.0-or-later
// Who a live session is (its user, name and role), kept in memory so that most requests
// need no database query to authenticate. Exact, not "eventually": every change that can
// end a session or change what it may do (logout, token reuse, deactivation, role change,
// password change) is announced on the channel `cleanai_auth_changes` in its own
// transaction, and every instance empties its cache when it hears one (the instance that
// made the change at once, after the commit; the others through PostgreSQL LISTEN within
// milliseconds). While the LISTEN connection is down, nothing is answered from memory
// (announcements may be lost); entries also expire after auth.session_cache_seconds.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <thread>
#include <unordered_map>

#include "core/principal.h"
#include "storage/change_signal.h"

namespace cleanai {

class SessionCache {
 public:
  static constexpr const char* kChannel = "cleanai_auth_changes";
  struct Entry {
    std::string user_id, username;
    Role role = Role::kCitizen;
  };

  SessionCache(std::unique_ptr<ChangeSignal> signal, int ttl_seconds)
      : signal_(std::move(signal)), ttl_(std::chrono::seconds(ttl_seconds)) {}
  ~SessionCache() { Stop(); }

  // The listener thread (serve only: without it nothing is answered from memory).
  void Start();
  void Stop();

  // The cached answer for this session of this user, or nullopt.
  std::optional<Entry> Find(const std::string& session_id, const std::string& user_id) const;
  // Read before querying the database; Put keeps the answer only if no change was
  // announced in between (else a logout racing the query could be forgotten).
  uint64_t Generation() const { return generation_.load(); }
  void Put(const std::string& session_id, Entry entry, uint64_t generation);
  // A change committed in this process: forget everything now.
  void Invalidate();

  uint64_t hits() const { return hits_.load(); }
  uint64_t misses() const { return misses_.load(); }

 private:
  using Clock = std::chrono::steady_clock;
  void Run();

  std::unique_ptr<ChangeSignal> signal_;
  const std::chrono::seconds ttl_;
  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, std::pair<Entry, Clock::time_point>> entries_;
  std::atomic<uint64_t> generation_{0};
  std::atomic<bool> running_{false}, stop_{false};
  mutable std::atomic<uint64_t> hits_{0}, misses_{0};
  std::thread thread_;
};

}  // namespace cleanai
