// SPDX-License-Identifier: AGPL-3.0-or-later
// The data-access layer: one interface over SQLite and PostgreSQL so that each query is
// written once. SQL uses PostgreSQL's `$1, $2…` placeholders; the SQLite adapter rewrites
// them to `?1, ?2…`. Write portable SQL: no NOW() (pass times from the Clock), TEXT for
// timestamps in parameters (core/clock.h FormatTime), RETURNING and ON CONFLICT are fine.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/clock.h"
#include "core/status.h"

namespace cleanai {

enum class Backend { kSqlite, kPostgres };

// A bound parameter. Booleans become `true`/`false` on PostgreSQL and 1/0 on SQLite.
using Value = std::variant<std::nullptr_t, int64_t, double, std::string, bool>;

// One result row. Cells are text as the database returned them; accessors convert.
class Row {
 public:
  Row(std::shared_ptr<const std::vector<std::string>> columns,
      std::vector<std::optional<std::string>> cells)
      : columns_(std::move(columns)), cells_(std::move(cells)) {}

  bool IsNull(std::string_view column) const;
  // Returns "" for NULL.
  std::string Text(std::string_view column) const;
  std::optional<std::string> OptText(std::string_view column) const;
  int64_t Int(std::string_view column) const;  // 0 for NULL or non-numeric
  double Double(std::string_view column) const;
  bool Bool(std::string_view column) const;  // accepts t/f, true/false, 1/0
  std::optional<SystemTime> Time(std::string_view column) const;
  // The time as the API writes it (core/clock.h FormatTime); nullopt for NULL.
  std::optional<std::string> TimeText(std::string_view column) const;

 private:
  const std::optional<std::string>& Cell(std::string_view column) const;

  std::shared_ptr<const std::vector<std::string>> columns_;
  std::vector<std::optional<std::string>> cells_;
  // Where the next lookup starts: rows are usually read in column order, which makes
  // each named lookup one comparison.
  mutable size_t hint_ = 0;
};

struct QueryResult {
  std::vector<Row> rows;
  int64_t affected_rows = 0;
};

class Database;

// A single database session. Not thread-safe: one thread uses it at a time (the pool
// guarantees that). Errors: a unique-constraint violation is Conflict, a lost connection
// Unavailable, anything else Internal (the SQL error is logged, never sent to clients).
class Connection {
 public:
  virtual ~Connection() = default;
  virtual Backend backend() const = 0;
  virtual Result<QueryResult> Execute(std::string_view sql, const std::vector<Value>& params) = 0;
  // Runs several statements without parameters (migrations).
  virtual Status ExecuteScript(std::string_view sql) = 0;
  // Starts a transaction that takes the write lock at once on SQLite (BEGIN IMMEDIATE),
  // so two writers never deadlock on a lock upgrade.
  virtual Status Begin() = 0;
  virtual bool Healthy() = 0;

  // Runs `fn` once what this connection wrote is committed: after the transaction's
  // COMMIT, or, outside a transaction, when the connection goes back to the pool. Dropped
  // on rollback. (Tells this process's change feed that an event exists.)
  void AfterCommit(std::function<void()> fn) { after_commit_.push_back(std::move(fn)); }

 protected:
  // A row of `reports` or `users` changed in the current work (SQLite's update hook, a
  // NOTICE from PostgreSQL's trigger): the database's report watchers hear of it once it
  // is committed.
  void NoteReportsChanged();

 private:
  friend class Database;
  std::vector<std::function<void()>> after_commit_;
  const Database* owner_ = nullptr;
  bool reports_noted_ = false;  // a watcher call is already queued in after_commit_
  // The hooks of committed work, leaving none behind.
  std::vector<std::function<void()>> TakeAfterCommit() {
    reports_noted_ = false;
    auto hooks = std::move(after_commit_);
    after_commit_.clear();
    return hooks;
  }
  void DropAfterCommit() {
    reports_noted_ = false;
    after_commit_.clear();
  }
};

struct PoolStats {
  int size = 0;
  int in_use = 0;
  uint64_t acquired_total = 0;
  uint64_t waited_total = 0;    // acquisitions that had to wait for a free connection
  uint64_t timeouts_total = 0;  // acquisitions that gave up (503)
};

// A pool of connections. Thread-safe.
class Database {
 public:
  // Opens `url` (sqlite:///relative/path, sqlite:////absolute/path, postgresql://…) with
  // `pool_size` connections. Returns Unavailable when the database cannot be reached and
  // InvalidArgument for a malformed URL.
  static Result<std::unique_ptr<Database>> Open(const std::string& url, int pool_size);

  Backend backend() const { return backend_; }

  // Runs `fn` with a connection held for its duration. Waits up to 5 s for a free
  // connection, then returns Unavailable.
  template <typename T>
  Result<T> WithConnection(const std::function<Result<T>(Connection&)>& fn);

  // Runs `fn` inside a transaction: committed when fn succeeds, rolled back when it
  // returns an error (or throws), so a failure never leaves half-written data.
  template <typename T>
  Result<T> InTransaction(const std::function<Result<T>(Connection&)>& fn);

  // Convenience for a single statement outside an explicit transaction.
  Result<QueryResult> Execute(std::string_view sql, const std::vector<Value>& params = {});

  PoolStats Stats() const;
  ~Database();

  // `fn` runs (on the committing thread, after the commit) whenever this process
  // committed a change to a row of `reports` or `users`: what the answers kept in memory
  // (http/response_cache.h) are made of. Other instances' changes arrive through
  // PostgreSQL LISTEN on kReportsChannel, which the same trigger notifies. Call before
  // the database is used from several threads.
  static constexpr const char* kReportsChannel = "cleanai_report_changes";
  void OnReportsChanged(std::function<void()> fn) { report_watchers_.push_back(std::move(fn)); }
  void ReportsChanged() const {
    for (const auto& fn : report_watchers_) fn();
  }

 private:
  Database(Backend backend, std::vector<std::unique_ptr<Connection>> conns);
  Result<Connection*> Acquire();
  void Release(Connection* c);

  Backend backend_;
  std::vector<std::unique_ptr<Connection>> all_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Connection*> free_;
  PoolStats stats_;
  std::vector<std::function<void()>> report_watchers_;
};

// "table INDEXED BY index" on SQLite, whose planner can prefer a plain index over a far
// smaller partial one; just "table" on PostgreSQL, whose planner weighs statistics. The
// query must satisfy the partial index's WHERE, or SQLite refuses to run it.
std::string TableUsingIndex(Backend backend, const std::string& table, const std::string& index);

// Adapter factories; Database::Open picks one from the URL.
Result<std::unique_ptr<Connection>> OpenSqliteConnection(const std::string& path);
Result<std::unique_ptr<Connection>> OpenPostgresConnection(const std::string& url);

// ---- template implementations ----

inline void Connection::NoteReportsChanged() {
  if (reports_noted_ || !owner_) return;
  reports_noted_ = true;
  AfterCommit([db = owner_] { db->ReportsChanged(); });
}

template <typename T>
Result<T> Database::WithConnection(const std::function<Result<T>(Connection&)>& fn) {
  auto conn = Acquire();
  if (!conn) return Err(conn.error());
  struct Releaser {
    Database* db;
    Connection* c;
    ~Releaser() {
      auto hooks = c->TakeAfterCommit();
      db->Release(c);
      for (auto& fn : hooks) fn();
    }
  } releaser{this, *conn};
  return fn(**conn);
}

template <typename T>
Result<T> Database::InTransaction(const std::function<Result<T>(Connection&)>& fn) {
  return WithConnection<T>([&fn](Connection& c) -> Result<T> {
    Status st = c.Begin();
    if (!st.ok()) return Err(st);
    Result<T> result = [&]() -> Result<T> {
      try {
        return fn(c);
      } catch (const std::exception& e) {
        return Err(Status::Internal(std::string("exception in transaction: ") + e.what()));
      }
    }();
    if (!result) {
      (void)c.ExecuteScript("ROLLBACK");
      c.DropAfterCommit();
      return result;
    }
    Status commit = c.ExecuteScript("COMMIT");
    if (!commit.ok()) {
      (void)c.ExecuteScript("ROLLBACK");
      c.DropAfterCommit();
      return Err(commit);
    }
    return result;
  });
}

}  // namespace cleanai
