// SPDX-License-Identifier: AGPL-3.0-or-later
#include "storage/snapshot.h"

#include <fcntl.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <unistd.h>

#include <memory>

namespace cleanai {

Result<std::string> SqlitePathOf(const std::string& database_url) {
  if (database_url.rfind("sqlite:///", 0) != 0 || database_url.size() == 10) {
    return Err(Status::InvalidArgument("not a sqlite:/// URL"));
  }
  return database_url.substr(10);  // sqlite:///rel/path -> rel/path, sqlite:////abs -> /abs
}

Status SqliteOnlineBackup(const std::string& database_url, const std::string& dest_path) {
  auto source_path = SqlitePathOf(database_url);
  if (!source_path) return source_path.error();
  auto close = [](sqlite3* db) { sqlite3_close_v2(db); };
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(source_path->c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  std::unique_ptr<sqlite3, decltype(close)> source(raw, close);
  if (rc != SQLITE_OK) {
    return Status::Unavailable("cannot open the database " + *source_path + ": " +
                               (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  }
  sqlite3_busy_timeout(source.get(), 10000);
  raw = nullptr;
  rc =
      sqlite3_open_v2(dest_path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  std::unique_ptr<sqlite3, decltype(close)> dest(raw, close);
  if (rc != SQLITE_OK) {
    return Status::Internal("cannot create " + dest_path + ": " +
                            (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  }
  sqlite3_backup* backup = sqlite3_backup_init(dest.get(), "main", source.get(), "main");
  if (!backup) return Status::Internal("backup: " + std::string(sqlite3_errmsg(dest.get())));
  // All pages in one step: one read transaction, so one consistent moment. (Stepping in
  // chunks would restart whenever the server writes between chunks.)
  do {
    rc = sqlite3_backup_step(backup, -1);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(100);
  } while (rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) {
    return Status::Internal("backup of " + *source_path + " failed: " + sqlite3_errstr(rc));
  }
  // The copy is an ordinary rollback-journal file, complete on its own.
  sqlite3_exec(dest.get(), "PRAGMA journal_mode=DELETE", nullptr, nullptr, nullptr);
  dest.reset();
  int fd = ::open(dest_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 || ::fsync(fd) != 0) {
    if (fd >= 0) ::close(fd);
    return Status::Internal("cannot sync " + dest_path);
  }
  ::close(fd);
  return Status::Ok();
}

Result<std::vector<std::string>> SqliteReadColumn(const std::string& path, const std::string& sql) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> db(raw, sqlite3_close_v2);
  if (rc != SQLITE_OK) return Err(Status::NotFound("cannot open " + path));
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db.get(), sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    return Err(Status::InvalidArgument(path + ": " + sqlite3_errmsg(db.get())));
  }
  std::vector<std::string> out;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    if (const unsigned char* text = sqlite3_column_text(stmt, 0))
      out.emplace_back(reinterpret_cast<const char*>(text));
  }
  sqlite3_finalize(stmt);
  if (rc != SQLITE_DONE) return Err(Status::Internal(path + ": " + sqlite3_errstr(rc)));
  return out;
}

Result<std::map<std::string, std::string>> PostgresClientEnvironment(const std::string& url) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
  if (!options) {
    std::string message = error ? error : "cannot parse the database URL";
    PQfreemem(error);
    return Err(Status::InvalidArgument("database.url: " + message));
  }
  static const std::map<std::string, std::string> kEnv{{"host", "PGHOST"},
                                                       {"hostaddr", "PGHOSTADDR"},
                                                       {"port", "PGPORT"},
                                                       {"user", "PGUSER"},
                                                       {"password", "PGPASSWORD"},
                                                       {"dbname", "PGDATABASE"},
                                                       {"sslmode", "PGSSLMODE"},
                                                       {"sslrootcert", "PGSSLROOTCERT"},
                                                       {"sslcert", "PGSSLCERT"},
                                                       {"sslkey", "PGSSLKEY"},
                                                       {"connect_timeout", "PGCONNECT_TIMEOUT"},
                                                       {"options", "PGOPTIONS"},
                                                       {"application_name", "PGAPPNAME"}};
  std::map<std::string, std::string> env;
  for (PQconninfoOption* o = options; o->keyword; ++o) {
    auto name = kEnv.find(o->keyword);
    if (o->val && *o->val && name != kEnv.end()) env[name->second] = o->val;
  }
  PQconninfoFree(options);
  return env;
}

}  // namespace cleanai
