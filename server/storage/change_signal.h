// SPDX-License-Identifier: AGPL-3.0-or-later
// Wakes a thread when the data it follows may have changed: PostgreSQL LISTEN on a channel
// (a commit on any instance that ran `SELECT pg_notify(channel, '')`), and Notify() for
// commits made in this process (the only source on SQLite, where there is one process).
// One thread waits; any thread may Notify.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include "core/status.h"

namespace cleanai {

class ChangeSignal {
 public:
  // `database_url` as for Database::Open. On PostgreSQL a connection of its own LISTENs on
  // `channel`; when it cannot connect now, it keeps trying on each Wait (a lost
  // connection is the same), and reports a change after each reconnect, because
  // notifications sent meanwhile were lost.
  static Result<std::unique_ptr<ChangeSignal>> Open(const std::string& database_url,
                                                    const std::string& channel);
  virtual ~ChangeSignal() = default;

  // Blocks until a change, Notify(), Interrupt() or `timeout`; true for a change or a
  // Notify. Pending notifications are consumed.
  virtual bool Wait(std::chrono::milliseconds timeout) = 0;
  // A change committed in this process.
  virtual void Notify() = 0;
  // Ends a Wait in progress (and the next one) at once: for shutting down.
  virtual void Interrupt() = 0;
  // PostgreSQL: whether LISTEN is in place now (false while reconnecting). SQLite: true.
  virtual bool Listening() const = 0;
};

}  // namespace cleanai
