// SPDX-License-Identifier: AGPL-3.0-or-later
// SQLite adapter: WAL journal (readers never block the writer), foreign keys on, and a
// busy timeout so concurrent writers queue instead of failing. Prepared statements are
// cached per connection.
#include <sqlite3.h>

#include <cstring>
#include <filesystem>
#include <unordered_map>

#include "core/log.h"
#include "storage/database.h"

namespace cleanai {
namespace {

// Rewrites PostgreSQL placeholders ($1) to SQLite's numbered ones (?1). Our SQL never
// contains '$' inside string literals, so a plain scan is enough.
std::string RewritePlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size());
  for (size_t i = 0; i < sql.size(); ++i) {
    if (sql[i] == '$' && i + 1 < sql.size() && sql[i + 1] >= '0' && sql[i + 1] <= '9') {
      out.push_back('?');
    } else {
      out.push_back(sql[i]);
    }
  }
  return out;
}

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(sqlite3* db) : db_(db) {
    sqlite3_update_hook(db_, &SqliteConnection::RowChanged, this);
  }
  ~SqliteConnection() override {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }

  Backend backend() const override { return Backend::kSqlite; }

  Result<QueryResult> Execute(std::string_view sql, const std::vector<Value>& params) override {
    sqlite3_stmt* stmt = nullptr;
    std::string key(sql);
    auto it = cache_.find(key);
    if (it != cache_.end()) {
      stmt = it->second;
    } else {
      std::string rewritten = RewritePlaceholders(sql);
      if (sqlite3_prepare_v3(db_, rewritten.c_str(), static_cast<int>(rewritten.size()),
                             SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) {
        return Err(Error("prepare", sql));
      }
      cache_.emplace(std::move(key), stmt);
    }
    struct Resetter {
      sqlite3_stmt* s;
      ~Resetter() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } resetter{stmt};

    if (static_cast<int>(params.size()) != sqlite3_bind_parameter_count(stmt)) {
      return Err(Status::Internal("parameter count mismatch for: " + std::string(sql)));
    }
    for (size_t i = 0; i < params.size(); ++i) {
      int idx = static_cast<int>(i + 1);
      const Value& v = params[i];
      int rc = SQLITE_OK;
      if (std::holds_alternative<std::nullptr_t>(v)) {
        rc = sqlite3_bind_null(stmt, idx);
      } else if (auto* n = std::get_if<int64_t>(&v)) {
        rc = sqlite3_bind_int64(stmt, idx, *n);
      } else if (auto* d = std::get_if<double>(&v)) {
        rc = sqlite3_bind_double(stmt, idx, *d);
      } else if (auto* s = std::get_if<std::string>(&v)) {
        rc = sqlite3_bind_text(stmt, idx, s->data(), static_cast<int>(s->size()), SQLITE_STATIC);
      } else if (auto* b = std::get_if<bool>(&v)) {
        rc = sqlite3_bind_int(stmt, idx, *b ? 1 : 0);
      }
      if (rc != SQLITE_OK) return Err(Error("bind", sql));
    }

    QueryResult result;
    std::shared_ptr<std::vector<std::string>> columns;
    int ncols = sqlite3_column_count(stmt);
    for (;;) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return Err(Error("step", sql));
      if (!columns) {
        columns = std::make_shared<std::vector<std::string>>();
        for (int c = 0; c < ncols; ++c) columns->push_back(sqlite3_column_name(stmt, c));
      }
      std::vector<std::optional<std::string>> cells;
      cells.reserve(ncols);
      for (int c = 0; c < ncols; ++c) {
        if (sqlite3_column_type(stmt, c) == SQLITE_NULL) {
          cells.emplace_back(std::nullopt);
        } else {
          const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
          cells.emplace_back(std::string(text, sqlite3_column_bytes(stmt, c)));
        }
      }
      result.rows.emplace_back(columns, std::move(cells));
    }
    result.affected_rows = sqlite3_changes(db_);
    return result;
  }

  Status ExecuteScript(std::string_view sql) override {
    char* err = nullptr;
    std::string s(sql);
    if (sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      sqlite3_free(err);
      // COMMIT and BEGIN come here too: a full disk or a busy database is told as such.
      return Error("script", sql);
    }
    return Status::Ok();
  }

  Status Begin() override { return ExecuteScript("BEGIN IMMEDIATE"); }

  bool Healthy() override {
    auto r = Execute("SELECT 1 AS ok", {});
    return r.has_value();
  }

 private:
  Status Error(const char* what, std::string_view sql) {
    int ext = sqlite3_extended_errcode(db_);
    std::string msg = sqlite3_errmsg(db_);
    if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY) {
      return Status::Conflict("already exists: " + msg);
    }
    if ((ext & 0xff) == SQLITE_CONSTRAINT) return Status::Conflict("constraint failed: " + msg);
    if ((ext & 0xff) == SQLITE_BUSY || (ext & 0xff) == SQLITE_LOCKED) {
      return Status::Unavailable("database busy");
    }
    if ((ext & 0xff) == SQLITE_FULL) {
      LogError("sqlite: the disk is full", {{"stage", what}});
      return Status::InsufficientStorage("the server's storage is full; nothing was saved");
    }
    if ((ext & 0xff) == SQLITE_IOERR) {
      LogError("sqlite: I/O error", {{"stage", what}, {"error", msg}});
      return Status::Unavailable("the database could not write; nothing was saved");
    }
    LogError("sqlite: statement failed",
             {{"stage", what}, {"error", msg}, {"sql", std::string(sql.substr(0, 200))}});
    return Status::Internal("database error");
  }

  // Called by SQLite inside each INSERT, UPDATE or DELETE of a row (not for a DELETE
  // without WHERE, which this project never runs on these tables).
  static void RowChanged(void* self, int /*op*/, const char* /*db*/, const char* table,
                         sqlite3_int64 /*rowid*/) {
    if (std::strcmp(table, "reports") == 0 || std::strcmp(table, "users") == 0) {
      static_cast<SqliteConnection*>(self)->NoteReportsChanged();
    }
  }

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

}  // namespace

Result<std::unique_ptr<Connection>> OpenSqliteConnection(const std::string& path) {
  std::error_code ec;
  auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    return Err(Status::Unavailable("cannot open SQLite database " + path + ": " + msg));
  }
  sqlite3_busy_timeout(db, 5000);
  auto conn = std::make_unique<SqliteConnection>(db);
  Status st = conn->ExecuteScript(
      "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;");
  if (!st.ok()) return Err(Status::Unavailable("cannot configure SQLite database " + path));
  return std::unique_ptr<Connection>(std::move(conn));
}

}  // namespace cleanai
