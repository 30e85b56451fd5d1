// SPDX-License-Identifier: AGPL-3.0-or-later
#include "events/feed.h"

#include <algorithm>

#include "core/log.h"

namespace cleanai {
namespace {
// Read this many rows per query; a burst larger than that takes several.
constexpr int64_t kBatch = 1000;
// Without a wake-up, look anyway this often: a NOTIFY lost with a connection is found.
constexpr auto kSafetyNet = std::chrono::seconds(2);
}  // namespace

ChangeFeed::ChangeFeed(Database& db, std::unique_ptr<ChangeSignal> signal, size_t capacity)
    : db_(db), signal_(std::move(signal)), capacity_(std::max<size_t>(capacity, 1)) {}

Status ChangeFeed::Start() {
  auto r = db_.Execute("SELECT COALESCE(MAX(id), 0) AS id FROM live_events");
  if (!r) return r.error();
  {
    std::unique_lock lock(mu_);
    floor_ = latest_ = r->rows.at(0).Int("id");
  }
  thread_ = std::thread([this] { Run(); });
  return Status::Ok();
}

void ChangeFeed::Stop() {
  if (stopping_.exchange(true)) return;
  signal_->Interrupt();
  if (thread_.joinable()) thread_.join();
}

void ChangeFeed::Run() {
  auto last_read = std::chrono::steady_clock::now();
  while (!stopping_) {
    bool changed = signal_->Wait(std::chrono::milliseconds(500));
    if (stopping_) break;
    auto now = std::chrono::steady_clock::now();
    if (!changed && now - last_read < kSafetyNet) continue;
    last_read = now;
    while (!stopping_ && ReadNew()) {
    }
  }
}

bool ChangeFeed::ReadNew() {
  int64_t after;
  {
    std::shared_lock lock(mu_);
    after = latest_;
  }
  ++reads_;
  auto r = db_.Execute(
      "SELECT id, recipient_user_id, event_type, payload FROM live_events WHERE id > $1 "
      "ORDER BY id LIMIT $2",
      {after, kBatch});
  if (!r) {
    LogWarn("change feed: read failed", {{"error", r.error().message()}});
    return false;
  }
  if (r->rows.empty()) return false;
  std::set<std::string> recipients;
  bool broadcast = false;
  {
    std::unique_lock lock(mu_);
    for (const auto& row : r->rows) {
      Stored e{row.Int("id"),
               row.OptText("recipient_user_id"),
               {row.Int("id"), row.Text("event_type"), row.Text("payload")}};
      if (e.recipient)
        recipients.insert(*e.recipient);
      else
        broadcast = true;
      latest_ = e.id;
      events_.push_back(std::move(e));
    }
    while (events_.size() > capacity_) {
      floor_ = events_.front().id;
      events_.pop_front();
    }
  }
  read_events_ += r->rows.size();
  {
    std::lock_guard lock(subs_mu_);
    for (auto& [id, s] : subs_) {
      if ((broadcast && s.admin) || recipients.count(s.user_id)) s.wake();
    }
    for (auto& fn : any_) fn();
  }
  return static_cast<int64_t>(r->rows.size()) == kBatch;
}

int64_t ChangeFeed::LatestId() const {
  std::shared_lock lock(mu_);
  return latest_;
}

bool ChangeFeed::Visible(const Stored& e, const std::string& user_id, bool admin) {
  return e.recipient ? *e.recipient == user_id : admin;
}

std::optional<std::vector<LiveEvent>> ChangeFeed::Since(int64_t after, const Principal& who,
                                                        size_t limit) const {
  std::shared_lock lock(mu_);
  if (after < floor_) return std::nullopt;
  bool admin = who.role == Role::kAdmin;
  auto it = std::upper_bound(events_.begin(), events_.end(), after,
                             [](int64_t id, const Stored& e) { return id < e.id; });
  std::vector<LiveEvent> out;
  for (; it != events_.end() && out.size() < limit; ++it) {
    if (Visible(*it, who.user_id, admin)) out.push_back(it->event);
  }
  return out;
}

uint64_t ChangeFeed::Subscribe(const Principal& who, std::function<void()> wake) {
  std::lock_guard lock(subs_mu_);
  uint64_t id = next_sub_++;
  subs_.emplace(id, Subscriber{who.user_id, who.role == Role::kAdmin, std::move(wake)});
  return id;
}

void ChangeFeed::Unsubscribe(uint64_t id) {
  std::lock_guard lock(subs_mu_);
  subs_.erase(id);
}

void ChangeFeed::OnAnyEvent(std::function<void()> fn) {
  std::lock_guard lock(subs_mu_);
  any_.push_back(std::move(fn));
}

ChangeFeed::Stats ChangeFeed::stats() const {
  Stats s;
  s.reads = reads_;
  s.events = read_events_;
  s.listening = signal_->Listening();
  s.latest_id = LatestId();
  std::lock_guard lock(subs_mu_);
  s.subscribers = subs_.size();
  return s;
}

}  // namespace cleanai
