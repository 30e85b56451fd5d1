// SPDX-License-Identifier: AGPL-3.0-or-later
// Upgrades from every earlier schema: for each version v < latest, a database is built at
// v with data in every one of its tables (server/storage/upgrade_fixtures/NNN.sql, each
// written against the schema of its own version), then migrated to the latest, and the
// data is checked. A new migration that adds a table without a fixture fails here.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "storage/database.h"
#include "storage/migrations.h"
#include "testing/databases.h"

namespace cleanai {
namespace {

std::string Fixture(int version) {
  char name[16];
  std::snprintf(name, sizeof name, "%03d.sql", version);
  std::ifstream in(std::string(CLEANAI_SOURCE_DIR) + "/server/storage/upgrade_fixtures/" + name);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Row counts of every table, by name.
std::map<std::string, int64_t> TableCounts(Database& db) {
  std::map<std::string, int64_t> counts;
  auto tables = db.Execute(
      db.backend() == Backend::kSqlite
          ? "SELECT name AS t FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
          : "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = "
            "current_schema() AND table_type = 'BASE TABLE'");
  EXPECT_TRUE(tables) << tables.error().message();
  if (!tables) return counts;
  for (const Row& row : tables->rows) {
    const std::string table = row.Text("t");
    auto n = db.Execute("SELECT COUNT(*) AS n FROM " + table);  // names from the catalogue
    EXPECT_TRUE(n) << table;
    if (n) counts[table] = n->rows[0].Int("n");
  }
  return counts;
}

// What must read the same after any upgrade, by the version whose fixture wrote it.
struct Probe {
  int since;
  const char* sql;  // one row, one text column "v"
  const char* expected;
};
const std::vector<Probe>& Probes() {
  static const std::vector<Probe> kProbes{
      {1, "SELECT email AS v FROM users WHERE username = 'upg_citizen'", "citizen@upgrade.test"},
      {1, "SELECT role AS v FROM users WHERE username = 'upg_admin'", "admin"},
      {1, "SELECT CAST(capacity AS TEXT) AS v FROM fleet WHERE vehicle_number = 'UPG-001'", "80"},
      {1,
       "SELECT location_address AS v FROM reports WHERE id = "
       "'00000000-0000-7000-8000-0000000000b1'",
       "Saddar, Karachi"},
      {1, "SELECT status AS v FROM reports WHERE id = '00000000-0000-7000-8000-0000000000b1'",
       "resolved"},
      {1,
       "SELECT new_status AS v FROM event_logs WHERE id = '00000000-0000-7000-8000-0000000000e1'",
       "resolved"},
      {2, "SELECT account_key AS v FROM login_failures", "upg_citizen"},
      {2,
       "SELECT user_agent AS v FROM refresh_tokens WHERE id = "
       "'00000000-0000-7000-8000-0000000000c1'",
       "upgrade-test"},
      {3, "SELECT size AS v FROM reports WHERE id = '00000000-0000-7000-8000-0000000000b1'",
       "large"},
      {3, "SELECT idempotency_key AS v FROM idempotency_keys", "upgrade-key-1"},
      {3, "SELECT title AS v FROM notifications WHERE id = '00000000-0000-7000-8000-0000000000d1'",
       "Your report was resolved"},
      {3, "SELECT CAST(COUNT(*) AS TEXT) AS v FROM report_subscriptions", "1"},
      {4, "SELECT kind AS v FROM report_confirmations", "still_there"},
      {4, "SELECT event_type AS v FROM live_events", "report.updated"},
      {5,
       "SELECT CAST(resolution_seconds AS TEXT) AS v FROM reports WHERE id = "
       "'00000000-0000-7000-8000-0000000000b1'",
       "5400"},
      {6, "SELECT name AS v FROM open311_keys", "City 311 app"},
      {7, "SELECT title AS v FROM papers WHERE id = '00000000-0000-7000-8000-0000000000d3'",
       "An upgrade test paper"},
      {8, "SELECT value AS v FROM app_state WHERE name = 'upgrade.marker'", "kept"},
      {8, "SELECT message AS v FROM alerts", "Not dispatched in time"},
      {8, "SELECT name AS v FROM flood_low_lying_areas", "Korangi underpass"},
      {8, "SELECT CAST(n AS TEXT) AS v FROM report_day_counts", "1"},
      {8, "SELECT CAST(COUNT(*) AS TEXT) AS v FROM flood_rainfall_entries", "1"},
      {9, "SELECT CAST(COUNT(*) AS TEXT) AS v FROM vehicle_positions", "1"},
      // Migration 012 copies this table into a new one: the delivery must come along.
      {10,
       "SELECT address AS v FROM notification_deliveries WHERE id = "
       "'00000000-0000-7000-8000-0000000000d7'",
       "citizen@upgrade.test"},
      {11, "SELECT CASE WHEN enabled THEN 'on' ELSE 'off' END AS v FROM notification_preferences",
       "off"},
      {12, "SELECT language AS v FROM users WHERE username = 'upg_citizen'", "ur"},
      {12, "SELECT auth AS v FROM push_subscriptions", "authsecret"},
      {13, "SELECT model AS v FROM ai_results", "yolov8n-upgrade"},
      {13, "SELECT waste_type AS v FROM ai_labels", "plastic"},
      {13, "SELECT status AS v FROM ai_jobs", "done"},
      {14, "SELECT holder AS v FROM leader_leases", "old-host:123"},
      {15, "SELECT bucket AS v FROM rate_limit_hits", "broadcast"},
      {17, "SELECT subject AS v FROM oidc_identities", "subject-1"},
      {18, "SELECT label AS v FROM area_subscriptions", "Home"},
      {18, "SELECT media_key AS v FROM hidden_media",
       "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
  };
  return kProbes;
}

class UpgradeTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!testing::BackendAvailable(GetParam())) GTEST_SKIP() << "no PostgreSQL test server";
  }
};

TEST_P(UpgradeTest, EveryEarlierSchemaWithDataInEveryTableUpgradesToTheLatestKeepingIt) {
  const int latest = AllMigrations().back().version;
  ASSERT_FALSE(Fixture(latest).empty())
      << "add server/storage/upgrade_fixtures/" << latest
      << ".sql with data for the tables migration " << latest << " adds";
  for (int start = 1; start < latest; ++start) {
    SCOPED_TRACE("from schema " + std::to_string(start));
    const std::string dir = testing::MakeTempDir();
    auto db = Database::Open(testing::FreshDatabaseUrl(GetParam(), dir), 1);
    ASSERT_TRUE(db) << db.error().message();
    for (int v = 1; v <= start; ++v) {
      auto applied = Migrate(**db, SystemClock(), v);
      ASSERT_TRUE(applied) << applied.error().message();
      ASSERT_EQ(*applied, 1) << "version " << v;
      auto filled = (*db)->WithConnection<bool>([&](Connection& c) -> Result<bool> {
        CLEANAI_RETURN_IF_ERROR(c.ExecuteScript(RenderSql(Fixture(v), c.backend())));
        return true;
      });
      ASSERT_TRUE(filled) << "fixture " << v << ": " << filled.error().message();
    }
    auto before = TableCounts(**db);
    // SQLite's R*Tree keeps its own tables beside the virtual one (reports_geo_node,
    // _parent, _rowid); with one node, _parent is empty by design.
    std::vector<std::string> virtual_tables;
    if ((*db)->backend() == Backend::kSqlite) {
      auto v = (*db)->Execute(
          "SELECT name AS t FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%'");
      ASSERT_TRUE(v);
      for (const Row& row : v->rows) virtual_tables.push_back(row.Text("t") + "_");
    }
    for (const auto& [table, n] : before) {
      bool shadow = false;
      for (const auto& prefix : virtual_tables) shadow = shadow || table.rfind(prefix, 0) == 0;
      if (shadow) continue;
      EXPECT_GT(n, 0) << table << " is empty at schema " << start
                      << ": give it a row in upgrade_fixtures/";
    }
    auto pending = PendingMigrations(**db);
    ASSERT_TRUE(pending);
    EXPECT_EQ(pending->size(), static_cast<size_t>(latest - start));

    auto upgraded = Migrate(**db, SystemClock());
    ASSERT_TRUE(upgraded) << upgraded.error().message();
    EXPECT_EQ(*upgraded, latest - start);
    auto after = TableCounts(**db);
    for (const auto& [table, n] : before) {
      ASSERT_TRUE(after.count(table)) << table << " is gone";
      EXPECT_GE(after[table], n) << table << " lost rows";
    }
    for (const Probe& p : Probes()) {
      if (p.since > start) continue;
      auto r = (*db)->Execute(p.sql);
      ASSERT_TRUE(r) << p.sql << ": " << r.error().message();
      ASSERT_EQ(r->rows.size(), 1u) << p.sql;
      EXPECT_EQ(r->rows[0].Text("v"), p.expected) << p.sql;
    }
    db->reset();
    std::filesystem::remove_all(dir);
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, UpgradeTest, ::testing::ValuesIn(testing::TestBackends()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

}  // namespace
}  // namespace cleanai
