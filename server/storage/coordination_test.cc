// SPDX-License-Identifier: AGPL-3.0-or-later
// What instances sharing a database coordinate through: after-commit hooks, the change
// signal (LISTEN/NOTIFY on PostgreSQL) and leadership leases. On every backend.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "core/clock.h"
#include "storage/change_signal.h"
#include "storage/database.h"
#include "storage/leadership.h"
#include "storage/migrations.h"
#include "testing/databases.h"

namespace cleanai {
namespace {

class CoordinationTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!testing::BackendAvailable(GetParam())) GTEST_SKIP() << "no PostgreSQL test server";
    dir_ = testing::MakeTempDir();
    url_ = testing::FreshDatabaseUrl(GetParam(), dir_);
    auto db = Database::Open(url_, 4);
    ASSERT_TRUE(db) << db.error().message();
    db_ = std::move(*db);
    ASSERT_TRUE(Migrate(*db_, SystemClock()));
  }
  void TearDown() override {
    db_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  std::string dir_, url_;
  std::unique_ptr<Database> db_;
};

TEST_P(CoordinationTest, AfterCommitHooksRunOnCommitAndNeverOnRollback) {
  int ran = 0;
  auto ok = db_->InTransaction<int>([&](Connection& c) -> Result<int> {
    c.AfterCommit([&] { ++ran; });
    EXPECT_EQ(ran, 0) << "ran before the commit";
    return 1;
  });
  ASSERT_TRUE(ok);
  EXPECT_EQ(ran, 1);
  auto failed = db_->InTransaction<int>([&](Connection& c) -> Result<int> {
    c.AfterCommit([&] { ran += 100; });
    return Err(Status::InvalidArgument("changed my mind"));
  });
  EXPECT_FALSE(failed);
  EXPECT_EQ(ran, 1) << "a rolled-back transaction's hook ran";
  // Outside a transaction (autocommit), the hook runs when the connection is released.
  auto single = db_->WithConnection<int>([&](Connection& c) -> Result<int> {
    c.AfterCommit([&] { ++ran; });
    return 0;
  });
  ASSERT_TRUE(single);
  EXPECT_EQ(ran, 2);
}

TEST_P(CoordinationTest, ASignalWakesForLocalCommitsAndOnPostgresForAnyConnectionsNotify) {
  auto signal = ChangeSignal::Open(url_, "cleanai_test_channel");
  ASSERT_TRUE(signal) << signal.error().message();
  auto& s = **signal;
  // The first wait connects and LISTENs (PostgreSQL), which counts as "look now".
  s.Wait(std::chrono::milliseconds(0));
  EXPECT_FALSE(s.Wait(std::chrono::milliseconds(50))) << "woke with nothing to say";
  s.Notify();
  EXPECT_TRUE(s.Wait(std::chrono::seconds(30)));
  EXPECT_TRUE(s.Listening());
  if (GetParam() != "postgres") return;
  // Another session's committed NOTIFY (another instance, in a cluster) wakes it.
  auto r = db_->InTransaction<int>([](Connection& c) -> Result<int> {
    auto n = c.Execute("SELECT pg_notify($1, '') AS n", {std::string("cleanai_test_channel")});
    if (!n) return Err(n.error());
    return 0;
  });
  ASSERT_TRUE(r);
  bool woke = false;
  for (int i = 0; i < 60 && !woke; ++i) woke = s.Wait(std::chrono::milliseconds(500));
  EXPECT_TRUE(woke) << "the NOTIFY did not arrive";
  // A rolled-back NOTIFY is never delivered.
  auto rolled = db_->InTransaction<int>([](Connection& c) -> Result<int> {
    auto n = c.Execute("SELECT pg_notify($1, '') AS n", {std::string("cleanai_test_channel")});
    if (!n) return Err(n.error());
    return Err(Status::InvalidArgument("roll back"));
  });
  EXPECT_FALSE(rolled);
  EXPECT_FALSE(s.Wait(std::chrono::milliseconds(300)));
}

TEST_P(CoordinationTest, InterruptEndsAWaitAtOnceAndIsNotAChange) {
  auto signal = ChangeSignal::Open(url_, "cleanai_test_channel");
  ASSERT_TRUE(signal);
  auto& s = **signal;
  s.Wait(std::chrono::milliseconds(0));
  std::atomic<bool> returned{false};
  bool changed = true;
  std::thread waiter([&] {
    changed = s.Wait(std::chrono::hours(1));
    returned = true;
  });
  s.Interrupt();
  waiter.join();  // would hang for an hour if Interrupt did not end the wait
  EXPECT_TRUE(returned);
  EXPECT_FALSE(changed);
}

TEST_P(CoordinationTest, OneLeaderAtATimeAndTheLeaseMovesWhenHandedBackOrExpired) {
  Leadership a(*db_, SystemClock(), "periodic", std::chrono::milliseconds(400));
  Leadership b(*db_, SystemClock(), "periodic", std::chrono::milliseconds(400));
  EXPECT_NE(a.holder(), b.holder());
  EXPECT_TRUE(a.TryAcquire());
  EXPECT_FALSE(b.TryAcquire()) << "two leaders";
  EXPECT_TRUE(a.TryAcquire()) << "a renewal failed";
  EXPECT_FALSE(b.TryAcquire());
  // Another kind of work has a lease of its own.
  Leadership other(*db_, SystemClock(), "something-else", std::chrono::milliseconds(400));
  EXPECT_TRUE(other.TryAcquire());

  // a stops renewing (it died): once the lease has expired, b takes it.
  bool taken = false;
  for (int i = 0; i < 300 && !taken; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    taken = b.TryAcquire();
  }
  ASSERT_TRUE(taken) << "the expired lease was never taken over";
  EXPECT_FALSE(a.TryAcquire()) << "the old leader came back while b leads";
  EXPECT_FALSE(a.IsLeader());

  // b stops cleanly: it hands the lease back and a may take it at once.
  b.Start();
  EXPECT_TRUE(b.IsLeader());
  b.Stop();
  EXPECT_FALSE(b.IsLeader());
  Leadership c(*db_, SystemClock(), "periodic", std::chrono::hours(1));
  EXPECT_TRUE(c.TryAcquire()) << "the lease was not handed back";
}

INSTANTIATE_TEST_SUITE_P(Backends, CoordinationTest, ::testing::ValuesIn(testing::TestBackends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace cleanai
