// SPDX-License-Identifier: AGPL-3.0-or-later
// Versioned schema migrations: numbered .sql files in server/storage/migrations/, compiled
// into the binary at build time. Each is written once with type tokens ({uuid},
// {timestamp}, {bool}, {json}, {inet}, {true}, {false}, {serial}) that are replaced per
// backend. Applied in order, each in its own transaction, recorded in schema_migrations.
#pragma once

#include <string>
#include <vector>

#include "storage/database.h"

namespace cleanai {

struct Migration {
  int version;
  std::string name;
  std::string sql;              // for both backends
  std::string sqlite_sql = "";  // extra, backend-specific (spatial indexes)
  std::string postgres_sql = "";
};

// One embedded file: its name (NNN_what.sql, NNN_what.sqlite.sql, NNN_what.postgres.sql)
// and text, in name order (generated: storage/migration_files.cc.in).
struct MigrationFile {
  const char* name;
  const char* sql;
};
const std::vector<MigrationFile>& MigrationFiles();

// All migrations known to this binary, in version order.
const std::vector<Migration>& AllMigrations();

// Applies every migration newer than the database's version. Safe to call from several
// processes at once (PostgreSQL: advisory lock; SQLite: BEGIN IMMEDIATE). Returns the
// number applied, or the failing migration's error with nothing of it applied.
// `up_to_version` stops earlier (the upgrade tests build every older schema with it).
Result<int> Migrate(Database& db, const Clock& clock, int up_to_version = 1 << 30);

// The versions this binary knows that the database has not applied yet (changes nothing;
// a database without the schema_migrations table has all of them pending).
Result<std::vector<int>> PendingMigrations(Database& db);

// Replaces the type tokens for `backend` (exposed for tests).
std::string RenderSql(const std::string& sql, Backend backend);

}  // namespace cleanai
