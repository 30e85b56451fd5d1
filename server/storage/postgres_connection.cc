// SPDX-License-Identifier: AGPL-3.0-or-later
// PostgreSQL adapter on libpq: text-format parameters and results, so the same Row
// accessors read both backends. A broken connection is reset on the next use.
#include <libpq-fe.h>

#include <cstdio>
#include <unordered_map>

#include "core/log.h"
#include "storage/database.h"

namespace cleanai {
namespace {

class PostgresConnection final : public Connection {
 public:
  PostgresConnection(PGconn* conn, std::string url) : conn_(conn), url_(std::move(url)) {
    // Kept across PQreset: the receiver belongs to the PGconn object, not the session.
    PQsetNoticeReceiver(conn_, &PostgresConnection::Notice, this);
  }
  ~PostgresConnection() override { PQfinish(conn_); }

  Backend backend() const override { return Backend::kPostgres; }

  Result<QueryResult> Execute(std::string_view sql, const std::vector<Value>& params) override {
    if (!EnsureConnected()) return Err(Status::Unavailable("database unavailable"));
    std::vector<std::string> storage(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    for (size_t i = 0; i < params.size(); ++i) {
      const Value& v = params[i];
      if (std::holds_alternative<std::nullptr_t>(v)) continue;
      if (auto* n = std::get_if<int64_t>(&v)) {
        storage[i] = std::to_string(*n);
      } else if (auto* d = std::get_if<double>(&v)) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.17g", *d);
        storage[i] = buf;
      } else if (auto* s = std::get_if<std::string>(&v)) {
        storage[i] = *s;
      } else if (auto* b = std::get_if<bool>(&v)) {
        storage[i] = *b ? "true" : "false";
      }
      values[i] = storage[i].c_str();
    }
    // Each distinct statement is prepared once per connection: planning costs PostgreSQL
    // one to three milliseconds a query, more than executing most of ours.
    std::string text(sql);
    auto it = prepared_.find(text);
    if (it == prepared_.end()) {
      if (prepared_.size() >= kMaxPrepared) {
        // Filters build many SQL variants; keep the per-session cache bounded.
        PQclear(PQexec(conn_, "DEALLOCATE ALL"));
        prepared_.clear();
      }
      std::string name = "s" + std::to_string(++statement_counter_);
      PGresult* prep =
          PQprepare(conn_, name.c_str(), text.c_str(), static_cast<int>(params.size()), nullptr);
      bool ok = PQresultStatus(prep) == PGRES_COMMAND_OK;
      Status err = ok ? Status::Ok() : Error(prep, sql);
      PQclear(prep);
      if (!ok) return Err(err);
      it = prepared_.emplace(text, name).first;
    }
    PGresult* res = PQexecPrepared(conn_, it->second.c_str(), static_cast<int>(params.size()),
                                   values.data(), nullptr, nullptr, 0);
    struct Clear {
      PGresult* r;
      ~Clear() { PQclear(r); }
    } clear{res};
    ExecStatusType st = PQresultStatus(res);
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) return Err(Error(res, sql));

    QueryResult result;
    int nrows = PQntuples(res);
    int ncols = PQnfields(res);
    auto columns = std::make_shared<std::vector<std::string>>();
    for (int c = 0; c < ncols; ++c) columns->push_back(PQfname(res, c));
    result.rows.reserve(nrows);
    for (int r = 0; r < nrows; ++r) {
      std::vector<std::optional<std::string>> cells;
      cells.reserve(ncols);
      for (int c = 0; c < ncols; ++c) {
        if (PQgetisnull(res, r, c)) {
          cells.emplace_back(std::nullopt);
        } else {
          cells.emplace_back(std::string(PQgetvalue(res, r, c), PQgetlength(res, r, c)));
        }
      }
      result.rows.emplace_back(columns, std::move(cells));
    }
    const char* affected = PQcmdTuples(res);
    result.affected_rows = affected && *affected ? std::atoll(affected) : nrows;
    return result;
  }

  Status ExecuteScript(std::string_view sql) override {
    if (!EnsureConnected()) return Status::Unavailable("database unavailable");
    std::string text(sql);
    PGresult* res = PQexec(conn_, text.c_str());
    ExecStatusType st = PQresultStatus(res);
    Status out = Status::Ok();
    // A script of comments only is empty, not an error (a migration for the other backend).
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY)
      out = Error(res, sql);
    PQclear(res);
    return out;
  }

  Status Begin() override { return ExecuteScript("BEGIN"); }

  bool Healthy() override { return Execute("SELECT 1 AS ok", {}).has_value(); }

 private:
  bool EnsureConnected() {
    if (PQstatus(conn_) == CONNECTION_OK) return true;
    prepared_.clear();  // a new session has no prepared statements
    PQreset(conn_);
    if (PQstatus(conn_) != CONNECTION_OK) return false;
    return Configure(conn_);
  }

  Status Error(PGresult* res, std::string_view sql) {
    const char* state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    std::string code = state ? state : "";
    std::string msg = PQresultErrorMessage(res);
    if (code == "23505") return Status::Conflict("already exists");
    if (code.rfind("23", 0) == 0) return Status::Conflict("constraint failed");
    if (code.rfind("08", 0) == 0 || PQstatus(conn_) != CONNECTION_OK) {
      return Status::Unavailable("database unavailable");
    }
    // 53100 disk_full, 53200 out_of_memory, 53300 too_many_connections, 57P0x shutdown.
    if (code == "53100")
      return Status::InsufficientStorage("the database's storage is full; nothing was saved");
    if (code.rfind("53", 0) == 0 || code.rfind("57P", 0) == 0) {
      return Status::Unavailable("database unavailable");
    }
    LogError("postgres: statement failed",
             {{"sqlstate", code}, {"error", msg}, {"sql", std::string(sql.substr(0, 200))}});
    return Status::Internal("database error");
  }

 public:
  static bool Configure(PGconn* conn) {
    // UTC and ISO dates make timestamp text parse the same way on both backends.
    PGresult* r = PQexec(conn, "SET TIME ZONE 'UTC'; SET DateStyle = 'ISO'");
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    return ok;
  }

 private:
  // The trigger of migration 019 says "cleanai:reports_changed" as a NOTICE in the
  // changing statement, so this process learns of its own change without a LISTEN of its
  // own; any other notice is logged (libpq would print it to stderr).
  static void Notice(void* self, const PGresult* res) {
    const char* primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
    std::string_view text = primary ? primary : "";
    if (text == "cleanai:reports_changed") {
      static_cast<PostgresConnection*>(self)->NoteReportsChanged();
      return;
    }
    LogInfo("postgres: notice", {{"message", std::string(text.substr(0, 300))}});
  }

  PGconn* conn_;
  std::string url_;
  static constexpr size_t kMaxPrepared = 256;
  std::unordered_map<std::string, std::string> prepared_;  // SQL -> statement name
  uint64_t statement_counter_ = 0;
};

}  // namespace

Result<std::unique_ptr<Connection>> OpenPostgresConnection(const std::string& url) {
  PGconn* conn = PQconnectdb(url.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(conn);
    PQfinish(conn);
    // The URL may hold a password: name the failure, not the URL.
    return Err(Status::Unavailable("cannot connect to PostgreSQL: " + msg));
  }
  if (!PostgresConnection::Configure(conn)) {
    PQfinish(conn);
    return Err(Status::Unavailable("cannot configure PostgreSQL session"));
  }
  return std::unique_ptr<Connection>(std::make_unique<PostgresConnection>(conn, url));
}

}  // namespace cleanai
