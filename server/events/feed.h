// SPDX-License-Identifier: AGPL-3.0-or-later
// The change feed: one per process. It reads new live_events rows once — woken by
// PostgreSQL's LISTEN/NOTIFY (any instance's commit) or by this process's own commits —
// keeps the recent ones in memory and wakes the SSE connections that may see them. So the
// database sees a few queries per second per instance, however many clients are connected.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/principal.h"
#include "events/events.h"
#include "storage/change_signal.h"
#include "storage/database.h"

namespace cleanai {

class ChangeFeed {
 public:
  // Keeps the newest `capacity` events in memory; a client resuming from an older id is
  // served from the database.
  ChangeFeed(Database& db, std::unique_ptr<ChangeSignal> signal, size_t capacity = 8192);
  ~ChangeFeed() { Stop(); }
  ChangeFeed(const ChangeFeed&) = delete;
  ChangeFeed& operator=(const ChangeFeed&) = delete;

  // Reads the newest id, then follows from there on a thread of its own.
  Status Start();
  void Stop();

  // An event was committed by this process (EventLog calls it after the commit).
  void Wake() { signal_->Notify(); }

  // The newest id the feed has read: where a client without Last-Event-ID starts.
  int64_t LatestId() const;

  // Events after `after` that `who` may see, oldest first, at most `limit`; nullopt when
  // `after` is older than what memory holds.
  std::optional<std::vector<LiveEvent>> Since(int64_t after, const Principal& who,
                                              size_t limit) const;

  // `wake` is called (on the feed's thread, quickly) when events `who` may see arrive.
  // Also called, for everyone, when the feed had to skip ahead.
  uint64_t Subscribe(const Principal& who, std::function<void()> wake);
  void Unsubscribe(uint64_t id);

  // Another part of the process that follows every event (the alert rules).
  void OnAnyEvent(std::function<void()> fn);

  struct Stats {
    uint64_t reads = 0;   // queries the feed made
    uint64_t events = 0;  // events it read
    size_t subscribers = 0;
    int64_t latest_id = 0;
    bool listening = false;
  };
  Stats stats() const;

 private:
  struct Stored {
    int64_t id;
    std::optional<std::string> recipient;  // nullopt: every admin
    LiveEvent event;
  };
  struct Subscriber {
    std::string user_id;
    bool admin;
    std::function<void()> wake;
  };
  static bool Visible(const Stored& e, const std::string& user_id, bool admin);
  void Run();
  bool ReadNew();  // true when something new was read

  Database& db_;
  std::unique_ptr<ChangeSignal> signal_;
  const size_t capacity_;

  mutable std::shared_mutex mu_;  // guards events_, floor_, latest_
  std::deque<Stored> events_;     // ids ascending, all > floor_
  int64_t floor_ = 0;             // memory holds every event with id > floor_
  int64_t latest_ = 0;

  mutable std::mutex subs_mu_;
  std::map<uint64_t, Subscriber> subs_;
  uint64_t next_sub_ = 1;
  std::vector<std::function<void()>> any_;

  std::atomic<uint64_t> reads_{0}, read_events_{0};
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace cleanai
