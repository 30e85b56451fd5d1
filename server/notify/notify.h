// Notifications: one interface through which every domain tells a user something.
// Writes happen inside the caller's transaction, so a notification exists exactly when
// the change that caused it committed: in-app (the notifications table), and a row in the
// outbox (notify/outbox.h) for each configured channel the user can be reached on.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/config.h"
#include "core/status.h"
#include "http/router.h"
#include "storage/database.h"

namespace cleanai {

struct Notification {
  std::string user_id;
  std::optional<std::string> report_id;
  std::string kind;   // report.received, report.acknowledged, report.dispatched, …
  std::string title;  // short, shown as the heading
  std::string body;
  // Only this outside channel ("email" or "sms"); empty: every configured one.
  std::string only_channel = {};
};

// The kinds a user may choose channels for, and the outside channels.
const std::vector<std::string>& NotificationKinds();
const std::vector<std::string>& OutsideChannels();  // email, sms

struct ChannelPreference {
  std::string kind, channel;
  bool enabled = true;
};

class Notifier {
 public:
  Notifier(Database& db, const Clock& clock, const Config& config)
      : db_(db), clock_(clock), config_(config) {}

  // Records `n` in `c`'s transaction.
  Status Send(Connection& c, const Notification& n) const;

  struct Delivery {
    std::string channel, status, updated_at;
    int64_t attempts = 0;
    std::optional<std::string> response;  // the provider's answer or error
  };
  struct Item {
    std::string id, user_id, kind, title, body, created_at;
    std::optional<std::string> report_id, read_at;
    std::vector<Delivery> deliveries;
  };
  // Newest first. `user_id` empty: everyone's (admins). `before_id` is a cursor.
  Result<std::vector<Item>> History(const std::string& user_id, bool unread_only,
                                    const std::string& before_id, int limit) const;
  // Every kind × channel for `user_id`: on unless they turned it off.
  Result<std::vector<ChannelPreference>> Preferences(const std::string& user_id) const;
  Status SetPreferences(const std::string& user_id, const std::vector<ChannelPreference>& items) const;

  // Conflict unless `channel` (email, sms) is configured here.
  Status ChannelReady(const std::string& channel) const;
  // An admin's message to one user or to everyone with a role, through one channel
  // (email or sms), written as notifications with queued deliveries. Conflict when the
  // channel is not configured; NotFound for an unknown user. Returns how many were queued.
  Result<int64_t> Broadcast(const Principal& admin, const std::string& channel,
                            const std::optional<std::string>& user_id,
                            const std::optional<std::string>& role, const std::string& subject,
                            const std::string& message, const ClientInfo& client) const;

  // Marks one of `user_id`'s notifications read; NotFound if it is not theirs.
  Status MarkRead(const std::string& user_id, const std::string& id) const;

 private:
  Database& db_;
  const Clock& clock_;
  const Config& config_;
};

// GET /api/notify/history, POST /api/notify/:id/read, GET and PUT /api/notify/preferences,
// POST /api/notify/email and /sms
// (admin; a burst of three, then ten a minute, per admin).
void RegisterNotifyRoutes(Router& router, const Notifier& notifier);

}  // namespace cleanai
