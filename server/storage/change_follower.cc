// SPDX-License-Identifier: AGPL-3.0-or-later
#include "storage/change_follower.h"

#include <chrono>

namespace cleanai {

void ChangeFollower::Start() {
  if (running_.exchange(true)) return;
  stop_ = false;
  fn_(false, signal_->Listening());
  thread_ = std::thread([this] {
    while (!stop_) {
      const bool changed = signal_->Wait(std::chrono::seconds(1));
      if (!stop_) fn_(changed, signal_->Listening());
    }
  });
}

void ChangeFollower::Stop() {
  if (!running_.exchange(false)) return;
  stop_ = true;
  signal_->Interrupt();
  if (thread_.joinable()) thread_.join();
}

}  // namespace cleanai
