// SPDX-License-Identifier: AGPL-3.0-or-later
// What a backup needs from each database engine: a consistent copy of a live SQLite file
// (SQLite's online backup API), and the connection settings pg_dump and pg_restore take
// from their environment (so a password in the URL never appears on a command line).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/status.h"

namespace cleanai {

// The file a sqlite:/// URL names; InvalidArgument for any other URL.
Result<std::string> SqlitePathOf(const std::string& database_url);

// Copies the live database at `database_url` into a new file `dest_path`, page by page
// under one read transaction, so the copy is one consistent moment even while the server
// writes (WAL mode: the writers are not blocked). The copy is fsync'ed.
Status SqliteOnlineBackup(const std::string& database_url, const std::string& dest_path);

// The first column of `sql`'s rows (NULLs skipped), read from the SQLite file at `path`
// opened read-only: a backup's copy is queried without changing a byte of it.
Result<std::vector<std::string>> SqliteReadColumn(const std::string& path, const std::string& sql);

// PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, PGSSLMODE, … for a postgresql:// URL,
// as libpq parses it. InvalidArgument when it cannot be parsed.
Result<std::map<std::string, std::string>> PostgresClientEnvironment(const std::string& url);

}  // namespace cleanai
