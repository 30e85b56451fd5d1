// SPDX-License-Identifier: AGPL-3.0-or-later
// The data-access layer on every backend: the same queries, the same answers.
#include "storage/database.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "core/crypto.h"
#include "storage/migrations.h"
#include "testing/databases.h"

namespace cleanai {
namespace {

class DatabaseTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!testing::BackendAvailable(GetParam())) GTEST_SKIP() << "no PostgreSQL test server";
    dir_ = testing::MakeTempDir();
    auto db = Database::Open(testing::FreshDatabaseUrl(GetParam(), dir_), 4);
    ASSERT_TRUE(db) << db.error().message();
    db_ = std::move(*db);
    auto n = Migrate(*db_, SystemClock());
    ASSERT_TRUE(n) << n.error().message();
    EXPECT_EQ(*n, static_cast<int>(AllMigrations().size()));
  }

  void TearDown() override {
    db_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  Result<QueryResult> InsertUser(const std::string& id, const std::string& name) {
    std::string now = FormatTime(SystemClock().Now());
    return db_->Execute(
        "INSERT INTO users (id, username, email, password_hash, role, created_at, updated_at) "
        "VALUES ($1, $2, $3, 'x', 'citizen', $4, $4)",
        {id, name, name + "@example.org", now});
  }

  std::string dir_;
  std::unique_ptr<Database> db_;
};

TEST_P(DatabaseTest, MigrateIsIdempotent) {
  auto again = Migrate(*db_, SystemClock());
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, 0);
  auto v = db_->Execute("SELECT MAX(version) AS v FROM schema_migrations");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->rows[0].Int("v"), AllMigrations().back().version);
}

TEST_P(DatabaseTest, SeedTablesHaveAllTheirColumns) {
  // Selecting every seed column by name fails if one is missing.
  const char* queries[] = {
      "SELECT id, username, email, password_hash, role, phone, created_at, updated_at, "
      "last_login, is_active, reports_submitted, reports_resolved FROM users",
      "SELECT id, user_id, image_url, image_key, waste_type, ai_detected_type, ai_confidence, "
      "location_lat, location_lng, location_address, location_city, location_country, "
      "description, status, priority, dispatched_to, dispatched_at, resolved_at, resolved_by, "
      "verification_image_url, created_at, updated_at FROM reports",
      "SELECT id, vehicle_number, driver_id, driver_name, current_lat, current_lng, status, "
      "capacity, current_load, last_updated, created_at FROM fleet",
      "SELECT id, report_id, user_id, event_type, old_status, new_status, details, ip_address, "
      "user_agent, created_at FROM event_logs"};
  for (const char* q : queries) EXPECT_TRUE(db_->Execute(q)) << q;
}

TEST_P(DatabaseTest, ValuesRoundTrip) {
  std::string id = NewUuidV7();
  ASSERT_TRUE(InsertUser(id, "Alice"));
  auto upd = db_->Execute(
      "UPDATE users SET is_active = $1, reports_submitted = $2, phone = $3, last_login = $4 "
      "WHERE id = $5",
      {false, int64_t{42}, nullptr, "2026-11-24T18:30:10.123Z", id});
  ASSERT_TRUE(upd) << upd.error().message();
  EXPECT_EQ(upd->affected_rows, 1);
  auto r = db_->Execute("SELECT * FROM users WHERE id = $1", {id});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->rows.size(), 1u);
  const Row& row = r->rows[0];
  EXPECT_EQ(row.Text("username"), "Alice");
  EXPECT_FALSE(row.Bool("is_active"));
  EXPECT_EQ(row.Int("reports_submitted"), 42);
  EXPECT_TRUE(row.IsNull("phone"));
  ASSERT_TRUE(row.Time("last_login"));
  EXPECT_EQ(FormatTime(*row.Time("last_login")), "2026-11-24T18:30:10.123Z");
  EXPECT_EQ(row.TimeText("last_login"), "2026-11-24T18:30:10.123Z");
  EXPECT_EQ(row.TimeText("phone"), std::nullopt);
}

TEST_P(DatabaseTest, CaseInsensitiveUniquenessIsAConflict) {
  ASSERT_TRUE(InsertUser(NewUuidV7(), "Bob"));
  auto dup = InsertUser(NewUuidV7(), "bOB");
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code(), StatusCode::kConflict);
}

TEST_P(DatabaseTest, FailedTransactionLeavesNothing) {
  std::string id = NewUuidV7();
  auto r = db_->InTransaction<int>([&](Connection& c) -> Result<int> {
    std::string now = FormatTime(SystemClock().Now());
    auto a = c.Execute(
        "INSERT INTO users (id, username, email, password_hash, created_at, updated_at) "
        "VALUES ($1, 'carol', 'carol@example.org', 'x', $2, $2)",
        {id, now});
    if (!a) return Err(a.error());
    return Err(Status::Internal("boom after the first write"));
  });
  ASSERT_FALSE(r);
  auto n = db_->Execute("SELECT COUNT(*) AS n FROM users WHERE id = $1", {id});
  ASSERT_TRUE(n);
  EXPECT_EQ(n->rows[0].Int("n"), 0);
}

TEST_P(DatabaseTest, ParametersAreNeverInterpretedAsSql) {
  std::string evil = "x'); DROP TABLE users; --";
  ASSERT_TRUE(InsertUser(NewUuidV7(), "mallory"));
  auto r = db_->Execute("SELECT COUNT(*) AS n FROM users WHERE username = $1", {evil});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->rows[0].Int("n"), 0);
  EXPECT_TRUE(db_->Execute("SELECT COUNT(*) AS n FROM users"));
}

TEST_P(DatabaseTest, ConcurrentWritersThroughThePool) {
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        auto r = InsertUser(NewUuidV7(), "u" + std::to_string(t) + "_" + std::to_string(i));
        if (!r) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  auto n = db_->Execute("SELECT COUNT(*) AS n FROM users");
  ASSERT_TRUE(n);
  EXPECT_EQ(n->rows[0].Int("n"), 160);
  PoolStats s = db_->Stats();
  EXPECT_EQ(s.size, 4);
  EXPECT_EQ(s.in_use, 0);
  EXPECT_GE(s.acquired_total, 160u);
}

TEST_P(DatabaseTest, SyntaxErrorIsInternalNotACrash) {
  auto r = db_->Execute("SELEC nonsense");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), StatusCode::kInternal);
  EXPECT_TRUE(db_->Execute("SELECT 1 AS ok"));  // the connection is still usable
}

INSTANTIATE_TEST_SUITE_P(Backends, DatabaseTest, ::testing::ValuesIn(testing::TestBackends()),
                         [](const auto& info) { return info.param; });

TEST(MigrationsTest, FilesAreNumberedOneByOneAndEachIsNamed) {
  const auto& all = AllMigrations();
  ASSERT_GE(all.size(), 13u);
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].version, static_cast<int>(i + 1));
    EXPECT_FALSE(all[i].sql.empty()) << all[i].version;
    EXPECT_FALSE(all[i].name.empty()) << all[i].version;
    EXPECT_EQ(all[i].name.find("--"), std::string::npos) << all[i].name;
    // A backend-specific part comes with its counterpart.
    EXPECT_EQ(all[i].sqlite_sql.empty(), all[i].postgres_sql.empty()) << all[i].version;
  }
  EXPECT_EQ(all[0].name, "core schema: users, fleet, reports, event_logs (the seed's tables)");
  EXPECT_NE(all[2].sqlite_sql.find("rtree"), std::string::npos);
  EXPECT_NE(all[2].postgres_sql.find("earthdistance"), std::string::npos);
}

}  // namespace
}  // namespace cleanai
