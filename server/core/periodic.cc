// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/periodic.h"

namespace cleanai {

void PeriodicTask::Start(std::chrono::milliseconds pause, std::function<void()> run) {
  std::lock_guard<std::mutex> lock(mu_);
  if (worker_.joinable()) return;
  stopping_ = false;
  worker_ = std::thread([this, pause, run = std::move(run)] {
    std::unique_lock<std::mutex> lock(mu_);
    while (!stopping_) {
      woken_ = false;
      lock.unlock();
      run();
      lock.lock();
      wake_.wait_for(lock, pause, [this] { return stopping_ || woken_; });
    }
  });
}

void PeriodicTask::Wake() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    woken_ = true;
  }
  wake_.notify_all();
}

void PeriodicTask::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
}

}  // namespace cleanai
