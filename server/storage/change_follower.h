// SPDX-License-Identifier: AGPL-3.0-or-later
// Follows a ChangeSignal on a thread of its own and says what it heard: `fn(changed,
// listening)` after each change, and about once a second otherwise (`changed` false), so
// that a cache can stop trusting itself while LISTEN is down and trust itself again once
// it is back (announcements sent meanwhile were lost: the signal reports a change then).
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <thread>

#include "storage/change_signal.h"

namespace cleanai {

class ChangeFollower {
 public:
  using Callback = std::function<void(bool changed, bool listening)>;
  ChangeFollower(std::unique_ptr<ChangeSignal> signal, Callback fn)
      : signal_(std::move(signal)), fn_(std::move(fn)) {}
  ~ChangeFollower() { Stop(); }
  ChangeFollower(const ChangeFollower&) = delete;
  ChangeFollower& operator=(const ChangeFollower&) = delete;

  void Start();
  void Stop();

 private:
  std::unique_ptr<ChangeSignal> signal_;
  Callback fn_;
  std::atomic<bool> running_{false}, stop_{false};
  std::thread thread_;
};

}  // namespace cleanai
