// SPDX-License-Identifier: AGPL-3.0-or-later
#include "auth/session_cache.h"

#include <mutex>

namespace cleanai {
namespace {
constexpr size_t kMaxEntries = 200000;  // then start again: a bound on memory
}  // namespace

void SessionCache::Start() {
  if (running_.exchange(true)) return;
  stop_ = false;
  thread_ = std::thread([this] { Run(); });
}

void SessionCache::Stop() {
  if (!running_.exchange(false)) return;
  stop_ = true;
  signal_->Interrupt();
  if (thread_.joinable()) thread_.join();
  Invalidate();
}

void SessionCache::Run() {
  while (!stop_) {
    // A change anywhere, or a reconnect after which announcements may have been lost.
    const bool changed = signal_->Wait(std::chrono::seconds(1));
    // While LISTEN is down nothing is answered from memory (Find), and what was kept
    // before the outage is dropped, so none of it is served once LISTEN is back.
    if (changed || !signal_->Listening()) Invalidate();
  }
}

void SessionCache::Invalidate() {
  std::unique_lock lock(mu_);
  generation_.fetch_add(1);
  entries_.clear();
}

std::optional<SessionCache::Entry> SessionCache::Find(const std::string& session_id,
                                                      const std::string& user_id) const {
  if (!running_ || ttl_.count() <= 0 || !signal_->Listening()) {
    misses_.fetch_add(1, std::memory_order_relaxed);
    return std::nullopt;
  }
  std::shared_lock lock(mu_);
  auto it = entries_.find(session_id);
  if (it == entries_.end() || it->second.first.user_id != user_id ||
      Clock::now() - it->second.second > ttl_) {
    misses_.fetch_add(1, std::memory_order_relaxed);
    return std::nullopt;
  }
  hits_.fetch_add(1, std::memory_order_relaxed);
  return it->second.first;
}

void SessionCache::Put(const std::string& session_id, Entry entry, uint64_t generation) {
  if (!running_ || ttl_.count() <= 0) return;
  std::unique_lock lock(mu_);
  if (generation_.load() != generation) return;  // a change was announced meanwhile
  if (entries_.size() >= kMaxEntries) entries_.clear();
  entries_[session_id] = {std::move(entry), Clock::now()};
}

}  // namespace cleanai
