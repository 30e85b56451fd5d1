// SPDX-License-Identifier: AGPL-3.0-or-later
// A function run on a thread of its own, again and again with a pause between runs, until
// Stop(): the background loops (notification outbox, alert rules, media sweeper) share it.
// Start and Stop are thread-safe; Stop waits for the run in progress to finish.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace cleanai {

class PeriodicTask {
 public:
  PeriodicTask() = default;
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;
  ~PeriodicTask() { Stop(); }

  // Runs `run` now, then `pause` after each run ends. A second Start is ignored.
  void Start(std::chrono::milliseconds pause, std::function<void()> run);
  void Stop();
  // Cuts the current pause short: the next run starts now (or right after the one in
  // progress). Thread-safe.
  void Wake();

 private:
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool woken_ = false;
  std::thread worker_;
};

}  // namespace cleanai
