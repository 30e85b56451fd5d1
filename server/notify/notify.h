// SPDX-License-Identifier: AGPL-3.0-or-later
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
#include "events/events.h"
#include "http/router.h"
#include "notify/templates.h"
#include "notify/webpush.h"
#include "storage/database.h"
#include "storage/shared_rate_limit.h"

namespace cleanai {

struct Notification {
  std::string user_id;
  std::optional<std::string> report_id = {};
  std::string kind;  // report.received, report.acknowledged, report.dispatched, …
  // The words: empty title and body render the kind's template (notify/templates.h), plus
  // `variant` (".photo"), with `params`, in the recipient's language. An admin's message
  // gives its own.
  std::string title = {};
  std::string body = {};
  TemplateParams params = {};
  std::string variant = {};
  // Only this outside channel ("email", "sms" or "push"); empty: every configured one.
  std::string only_channel = {};
};

// The kinds a user may choose channels for, and the outside channels.
const std::vector<std::string>& NotificationKinds();
const std::vector<std::string>& OutsideChannels();  // email, sms, push

// A browser's push subscription (PushSubscription.toJSON()).
struct PushSubscription {
  std::string endpoint, p256dh, auth, user_agent;
};

// What an admin may filter the history by; empty fields do not filter.
struct HistoryQuery {
  std::string user_id;  // empty: everyone's (admins)
  bool unread_only = false;
  std::string before_id;  // the cursor
  int limit = 50;
  std::string kind, channel, status;  // status: of a delivery on `channel` (or any)
  std::string from, to;               // created_at, RFC 3339
};

struct ChannelPreference {
  std::string kind, channel;
  bool enabled = true;
};

class Notifier {
 public:
  // `vapid`: the Web Push key, or null when push is off. `events`: the live stream, where
  // each notification also goes to its user as notification.created.
  Notifier(Database& db, const Clock& clock, const Config& config, const VapidKey* vapid,
           const EventLog& events)
      : db_(db),
        clock_(clock),
        config_(config),
        vapid_(vapid),
        events_(events),
        broadcasts_(db, clock, "broadcast",
                    {{3, std::chrono::seconds(18)}, {10, std::chrono::seconds(60)}}) {}

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
  // Newest first.
  Result<std::vector<Item>> History(const HistoryQuery& q) const;
  // Every kind × channel for `user_id`: on unless they turned it off.
  Result<std::vector<ChannelPreference>> Preferences(const std::string& user_id) const;
  Status SetPreferences(const std::string& user_id,
                        const std::vector<ChannelPreference>& items) const;

  // The language notifications reach `user_id` in (en, ur), and changing it.
  Result<std::string> Language(const std::string& user_id) const;
  Status SetLanguage(const std::string& user_id, const std::string& language) const;

  // Conflict unless `channel` (email, sms, push) is configured here.
  Status ChannelReady(const std::string& channel) const;
  // The VAPID public key browsers subscribe with; empty when push is off.
  std::string PushPublicKey() const { return vapid_ ? vapid_->public_key() : std::string(); }
  // Stores (or moves to `user_id`) one device's subscription. InvalidArgument for bad keys
  // or an endpoint that is not https (http only on loopback, for tests).
  Status Subscribe(const std::string& user_id, const PushSubscription& s) const;
  // NotFound unless `endpoint` is one of `user_id`'s subscriptions.
  Status Unsubscribe(const std::string& user_id, const std::string& endpoint) const;
  // An admin's message to one user or to everyone with a role, through one channel
  // (email or sms), written as notifications with queued deliveries. Conflict when the
  // channel is not configured; NotFound for an unknown user. Returns how many were queued.
  Result<int64_t> Broadcast(const Principal& admin, const std::string& channel,
                            const std::optional<std::string>& user_id,
                            const std::optional<std::string>& role, const std::string& subject,
                            const std::string& message, const ClientInfo& client) const;

  // Whether `admin_id` may broadcast now: 0, or the seconds to wait. Three within any 18 s
  // and ten a minute, counted across every instance (a double click must not mail a city
  // twice whichever instance answers).
  Result<int> TakeBroadcastSlot(const std::string& admin_id) const {
    return broadcasts_.Take(admin_id);
  }

  // Marks one of `user_id`'s notifications read; NotFound if it is not theirs.
  Status MarkRead(const std::string& user_id, const std::string& id) const;

 private:
  Database& db_;
  const Clock& clock_;
  const Config& config_;
  const VapidKey* vapid_;
  const EventLog& events_;
  mutable SharedRateLimit broadcasts_;
};

// GET /api/notify/history, POST /api/notify/:id/read, GET and PUT /api/notify/preferences,
// GET /api/notify/push/key, POST and DELETE /api/notify/push/subscriptions,
// POST /api/notify/email, /sms and /push
// (admin; a burst of three, then ten a minute, per admin).
void RegisterNotifyRoutes(Router& router, const Notifier& notifier);

}  // namespace cleanai
