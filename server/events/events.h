// SPDX-License-Identifier: AGPL-3.0-or-later
// Live events: rows written in the same transaction as the change they describe, then
// streamed to clients over Server-Sent Events (GET /api/events). Ids grow with commit
// order (PostgreSQL: inserts are serialised by an advisory lock, so a reader never skips
// an id that commits late), so a client resuming with Last-Event-ID misses nothing.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "http/router.h"
#include "storage/database.h"

namespace cleanai {

struct LiveEvent {
  int64_t id = 0;
  std::string type, payload;  // payload: JSON text
};

class EventLog {
 public:
  EventLog(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Records an event for one user, or for every admin when `recipient` is empty, in `c`'s
  // transaction.
  Status Publish(Connection& c, const std::optional<std::string>& recipient,
                 const std::optional<std::string>& report_id, const std::string& type,
                 const std::string& payload_json) const;

  // Events after `after_id` that `who` may see, oldest first.
  Result<std::vector<LiveEvent>> After(int64_t after_id, const Principal& who, int limit) const;

  // The newest id (0 when none).
  Result<int64_t> LatestId() const;

  // Called after each commit that published an event in this process (the change feed's
  // in-process wake-up). Set once, before serving.
  void OnCommit(std::function<void()> fn) { on_commit_ = std::move(fn); }

  // The PostgreSQL channel each commit with an event notifies (LISTEN on every instance).
  static constexpr const char* kChannel = "cleanai_live_events";

 private:
  Database& db_;
  const Clock& clock_;
  std::function<void()> on_commit_;
};

class ChangeFeed;

// GET /api/events (SSE). Browsers' EventSource cannot send headers, so the access token
// may also come as ?accessToken= on this route only (query strings are never logged).
// Streams are served from the change feed's memory; an old Last-Event-ID from the table.
void RegisterEventRoutes(Router& router, const EventLog& events, ChangeFeed& feed);

}  // namespace cleanai
