// SPDX-License-Identifier: AGPL-3.0-or-later
// report_day_counts, kept by triggers, always equals a count the test makes itself from
// the reports: through inserts, status and type changes, resolutions and reopenings, soft
// and hard deletes, on both backends; and a new day boundary rebuilds it.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <random>
#include <tuple>

#include "analytics/dashboard.h"
#include "core/crypto.h"
#include "storage/migrations.h"
#include "testing/databases.h"

namespace cleanai {
namespace {

class FixedClock : public Clock {
 public:
  explicit FixedClock(SystemTime t) : t_(t) {}
  SystemTime Now() const override { return t_; }

 private:
  SystemTime t_;
};

using Key = std::tuple<std::string, std::string, std::string, std::string>;  // day kind type status
using Counts = std::map<Key, std::pair<int64_t, int64_t>>;                   // n, seconds

std::string LocalDay(const std::string& stored, int offset_minutes) {
  SystemTime t;
  EXPECT_TRUE(ParseTime(stored, &t)) << stored;
  return FormatTime(t + std::chrono::minutes(offset_minutes)).substr(0, 10);
}

class DayCountsTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!testing::BackendAvailable(GetParam())) GTEST_SKIP() << "no PostgreSQL test server";
    dir_ = testing::MakeTempDir();
    auto db = Database::Open(testing::FreshDatabaseUrl(GetParam(), dir_), 2);
    ASSERT_TRUE(db) << db.error().message();
    db_ = std::move(*db);
    ASSERT_TRUE(Migrate(*db_, clock_));
  }
  void TearDown() override {
    db_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  Counts Expected(int offset) {
    auto r = db_->Execute(
        "SELECT waste_type, status, created_at, resolved_at, resolution_seconds FROM reports "
        "WHERE deleted_at IS NULL");
    EXPECT_TRUE(r);
    Counts c;
    for (const auto& row : r->rows) {
      auto& f = c[{LocalDay(FormatTime(*row.Time("created_at")), offset), "filed",
                   row.Text("waste_type"), row.Text("status")}];
      f.first += 1;
      if (row.Text("status") == "resolved" && !row.IsNull("resolved_at")) {
        auto& z = c[{LocalDay(FormatTime(*row.Time("resolved_at")), offset), "resolved",
                     row.Text("waste_type"), "resolved"}];
        z.first += 1;
        z.second += row.Int("resolution_seconds");
      }
    }
    return c;
  }
  Counts Stored() {
    auto r = db_->Execute(
        "SELECT day, kind, waste_type, status, n, seconds FROM report_day_counts WHERE n <> 0");
    EXPECT_TRUE(r);
    Counts c;
    for (const auto& row : r->rows) {
      c[{row.Text("day"), row.Text("kind"), row.Text("waste_type"), row.Text("status")}] = {
          row.Int("n"), row.Int("seconds")};
    }
    return c;
  }

  FixedClock clock_{SystemTime(std::chrono::seconds(1'795'000'000))};
  std::string dir_;
  std::unique_ptr<Database> db_;
};

TEST_P(DayCountsTest, TriggersKeepExactCountsAndANewBoundaryRebuilds) {
  Config pkt;
  pkt.analytics_utc_offset_minutes = 300;
  AnalyticsService analytics(*db_, *db_, clock_, pkt);
  ASSERT_TRUE(analytics.PrepareDayCounts().ok());

  std::mt19937 rng(7);
  const char* types[] = {"plastic", "glass", "medical"};
  const char* statuses[] = {"submitted", "acknowledged", "resolved", "rejected", "duplicate"};
  std::vector<std::string> ids;
  SystemTime now = clock_.Now();
  for (int i = 0; i < 120; ++i) {
    // Many within minutes of a local midnight (19:00 UTC for UTC+5), where days split.
    SystemTime created = std::chrono::floor<std::chrono::days>(now) - std::chrono::days(i % 6) +
                         std::chrono::hours(19) + std::chrono::seconds(int(rng() % 600) - 300);
    std::string status = statuses[rng() % 5];
    Value resolved_at = nullptr, seconds = nullptr;
    if (status == "resolved") {
      int64_t s = 600 + rng() % 90000;
      resolved_at = FormatTime(created + std::chrono::seconds(s));
      seconds = s;
    }
    std::string id = NewUuidV7();
    auto r = db_->Execute(
        "INSERT INTO reports (id, image_url, image_key, thumbnail_key, waste_type, location_lat, "
        "location_lng, location_address, location_source, status, priority, resolved_at, "
        "resolution_seconds, created_at, updated_at) VALUES ($1, '/m/x', 'x', 'x', $2, 31.5, "
        "74.3, 'a street', 'device', $3, 'medium', $4, $5, $6, $6)",
        {id, std::string(types[rng() % 3]), status, resolved_at, seconds, FormatTime(created)});
    ASSERT_TRUE(r) << r.error().message();
    ids.push_back(id);
  }
  ASSERT_GT(Expected(300).size(), 20u);  // not two empty maps
  EXPECT_EQ(Stored(), Expected(300));

  std::string later = FormatTime(now);
  for (size_t i = 0; i < ids.size(); i += 3) {  // resolve (or re-resolve) a third
    ASSERT_TRUE(
        db_->Execute("UPDATE reports SET status = 'resolved', resolved_at = $1, "
                     "resolution_seconds = $2 WHERE id = $3",
                     {later, int64_t{3600 + int64_t(i)}, ids[i]}));
  }
  for (size_t i = 1; i < ids.size(); i += 7) {  // reopen some
    ASSERT_TRUE(db_->Execute("UPDATE reports SET status = 'acknowledged' WHERE id = $1", {ids[i]}));
  }
  for (size_t i = 2; i < ids.size(); i += 5) {  // an admin corrects the type
    ASSERT_TRUE(db_->Execute("UPDATE reports SET waste_type = 'glass' WHERE id = $1", {ids[i]}));
  }
  for (size_t i = 4; i < ids.size(); i += 9) {  // soft-deleted, and one restored
    ASSERT_TRUE(db_->Execute("UPDATE reports SET deleted_at = $1 WHERE id = $2", {later, ids[i]}));
  }
  ASSERT_TRUE(db_->Execute("UPDATE reports SET deleted_at = NULL WHERE id = $1", {ids[4]}));
  for (size_t i = 5; i < ids.size(); i += 11) {  // removed for good
    ASSERT_TRUE(db_->Execute("DELETE FROM reports WHERE id = $1", {ids[i]}));
  }
  EXPECT_EQ(Stored(), Expected(300));

  // Moved to a city two hours behind UTC: the next start rebuilds on its days.
  Config west;
  west.analytics_utc_offset_minutes = -120;
  AnalyticsService moved(*db_, *db_, clock_, west);
  ASSERT_TRUE(moved.PrepareDayCounts().ok());
  EXPECT_EQ(Stored(), Expected(-120));
  ASSERT_TRUE(moved.PrepareDayCounts().ok());  // unchanged boundary: nothing to do
  EXPECT_EQ(Stored(), Expected(-120));
  // New reports now count on the new days.
  ASSERT_TRUE(db_->Execute(
      "INSERT INTO reports (id, image_url, image_key, thumbnail_key, waste_type, location_lat, "
      "location_lng, location_address, location_source, status, priority, created_at, "
      "updated_at) VALUES ($1, '/m/x', 'x', 'x', 'plastic', 31.5, 74.3, 'a street', 'device', "
      "'submitted', 'medium', $2, $2)",
      {NewUuidV7(), FormatTime(now)}));
  EXPECT_EQ(Stored(), Expected(-120));
}

INSTANTIATE_TEST_SUITE_P(Backends, DayCountsTest, ::testing::ValuesIn(testing::TestBackends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace cleanai
