// Live events: rows written in the same transaction as the change they describe, then
// streamed to clients over Server-Sent Events (GET /api/events). Ids grow with commit
// order (PostgreSQL: inserts are serialised by an advisory lock, so a reader never skips
// an id that commits late), so a client resuming with Last-Event-ID misses nothing.
#pragma once

#include <cstdint>
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

  // The newest id (0 when none): where a client without Last-Event-ID starts.
  Result<int64_t> LatestId() const;

 private:
  Database& db_;
  const Clock& clock_;
};

// GET /api/events (SSE). Browsers' EventSource cannot send headers, so the access token
// may also come as ?accessToken= on this route only (query strings are never logged).
void RegisterEventRoutes(Router& router, const EventLog& events);

}  // namespace cleanai
