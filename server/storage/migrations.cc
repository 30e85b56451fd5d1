// SPDX-License-Identifier: AGPL-3.0-or-later
#include "storage/migrations.h"

#include <algorithm>
#include <cstring>

#include "core/log.h"

namespace cleanai {

const std::vector<Migration>& AllMigrations() {
  // NNN_name.sql for both backends, NNN_name.sqlite.sql and NNN_name.postgres.sql for
  // either one; the first line of NNN_name.sql ("-- what it does") names the migration.
  static const std::vector<Migration> kMigrations = [] {
    std::vector<Migration> out;
    for (const MigrationFile& f : MigrationFiles()) {
      const std::string file = f.name;
      const int version = std::stoi(file.substr(0, 3));
      if (out.empty() || out.back().version != version) out.push_back({version, "", ""});
      Migration& m = out.back();
      if (file.size() > 11 && file.compare(file.size() - 11, 11, ".sqlite.sql") == 0) {
        m.sqlite_sql = f.sql;
      } else if (file.size() > 13 && file.compare(file.size() - 13, 13, ".postgres.sql") == 0) {
        m.postgres_sql = f.sql;
      } else {
        m.sql = f.sql;
        const std::string first = m.sql.substr(0, m.sql.find('\n'));
        m.name = first.rfind("-- ", 0) == 0 ? first.substr(3) : file;
      }
    }
    return out;
  }();
  return kMigrations;
}

std::string RenderSql(const std::string& sql, Backend backend) {
  const bool pg = backend == Backend::kPostgres;
  const std::pair<const char*, const char*> tokens[] = {
      {"{uuid}", pg ? "UUID" : "TEXT"},
      {"{timestamp}", pg ? "TIMESTAMPTZ" : "TEXT"},
      {"{bool}", pg ? "BOOLEAN" : "INTEGER"},
      {"{json}", pg ? "JSONB" : "TEXT"},
      {"{inet}", pg ? "INET" : "TEXT"},
      {"{true}", pg ? "true" : "1"},
      {"{false}", pg ? "false" : "0"},
      // An id that grows with every insert, for resumable streams.
      {"{serial}", pg ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT"},
  };
  std::string out = sql;
  for (const auto& [token, replacement] : tokens) {
    for (size_t pos = out.find(token); pos != std::string::npos;
         pos = out.find(token, pos + std::strlen(replacement))) {
      out.replace(pos, std::strlen(token), replacement);
    }
  }
  return out;
}

Result<std::vector<int>> PendingMigrations(Database& db) {
  std::vector<int> pending;
  auto exists =
      db.Execute(db.backend() == Backend::kSqlite
                     ? "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND "
                       "name = 'schema_migrations'"
                     : "SELECT COUNT(*) AS n FROM information_schema.tables WHERE "
                       "table_name = 'schema_migrations' AND table_schema = current_schema()",
                 {});
  if (!exists) return Err(exists.error());
  std::vector<int64_t> applied;
  if (exists->rows[0].Int("n") > 0) {
    auto rows = db.Execute("SELECT version FROM schema_migrations", {});
    if (!rows) return Err(rows.error());
    for (const auto& row : rows->rows) applied.push_back(row.Int("version"));
  }
  for (const Migration& m : AllMigrations()) {
    if (std::find(applied.begin(), applied.end(), m.version) == applied.end()) {
      pending.push_back(m.version);
    }
  }
  return pending;
}

Result<int> Migrate(Database& db, const Clock& clock, int up_to_version) {
  auto created = db.Execute(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
      "name TEXT NOT NULL, applied_at TEXT NOT NULL)");
  if (!created) return Err(created.error());

  int applied = 0;
  for (const Migration& m : AllMigrations()) {
    if (m.version > up_to_version) break;
    auto done = db.InTransaction<bool>([&](Connection& c) -> Result<bool> {
      if (c.backend() == Backend::kPostgres) {
        // Serialises migrators across processes; released at commit.
        auto lock = c.Execute("SELECT pg_advisory_xact_lock(7141000) AS locked", {});
        if (!lock) return Err(lock.error());
      }
      auto seen = c.Execute("SELECT version FROM schema_migrations WHERE version = $1",
                            {int64_t{m.version}});
      if (!seen) return Err(seen.error());
      if (!seen->rows.empty()) return false;
      CLEANAI_RETURN_IF_ERROR(c.ExecuteScript(RenderSql(m.sql, c.backend())));
      const std::string& extra = c.backend() == Backend::kSqlite ? m.sqlite_sql : m.postgres_sql;
      if (!extra.empty()) CLEANAI_RETURN_IF_ERROR(c.ExecuteScript(RenderSql(extra, c.backend())));
      auto rec =
          c.Execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                    {int64_t{m.version}, m.name, FormatTime(clock.Now())});
      if (!rec) return Err(rec.error());
      return true;
    });
    if (!done) {
      return Err(Status::Internal("migration " + std::to_string(m.version) + " (" + m.name +
                                  ") failed: " + done.error().message()));
    }
    if (*done) {
      ++applied;
      LogInfo("migration applied", {{"version", m.version}, {"name", m.name}});
    }
  }
  return applied;
}

}  // namespace cleanai
