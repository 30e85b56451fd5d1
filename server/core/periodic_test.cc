// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/periodic.h"

#include <gtest/gtest.h>

#include <atomic>

namespace cleanai {
namespace {

TEST(PeriodicTaskTest, RunsAgainUntilStoppedAndStopWaitsForTheRun) {
  std::atomic<int> runs{0};
  PeriodicTask task;
  task.Start(std::chrono::milliseconds(1), [&] { ++runs; });
  task.Start(std::chrono::milliseconds(1), [&] { runs += 1000; });  // ignored: already running
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (runs < 3 && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
  task.Stop();
  int after_stop = runs;
  EXPECT_GE(after_stop, 3);
  EXPECT_LT(after_stop, 1000);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(runs, after_stop) << "ran after Stop";
  task.Stop();  // twice is fine
}

TEST(PeriodicTaskTest, StopWakesALongPause) {
  std::atomic<int> runs{0};
  PeriodicTask task;
  task.Start(std::chrono::hours(1), [&] { ++runs; });
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (runs < 1 && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
  task.Stop();  // returns although the pause has an hour left
  EXPECT_EQ(runs, 1);
}

TEST(PeriodicTaskTest, WakeCutsAPauseShortAndIsNotLostDuringARun) {
  std::atomic<int> runs{0};
  PeriodicTask task;
  task.Start(std::chrono::hours(1), [&] { ++runs; });
  auto wait_for = [&](int n) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (runs < n && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return runs.load();
  };
  EXPECT_EQ(wait_for(1), 1);
  task.Wake();  // the hour-long pause ends now
  EXPECT_EQ(wait_for(2), 2);
  task.Wake();
  EXPECT_EQ(wait_for(3), 3);
  task.Stop();
}

}  // namespace
}  // namespace cleanai
