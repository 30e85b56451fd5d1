// SPDX-License-Identifier: AGPL-3.0-or-later
// The notification outbox: each notification that should also leave the building gets a
// row per channel in notification_deliveries, written in the same transaction as the
// change that caused it (Notifier::Send). A worker claims due rows with a lease, delivers
// them, and records the outcome: sent (with the provider's answer), failed (retried with
// exponential backoff and jitter) or dead (after notify.max_attempts). A crash between
// commit and delivery loses nothing: the row waits, and a lease that runs out is claimed
// again. Each delivery carries a stable message id (email: Message-ID <notification@host>).
#pragma once

#include <condition_variable>
#include <mutex>
#include <random>
#include <string>
#include <thread>

#include "core/clock.h"
#include "core/config.h"
#include "core/periodic.h"
#include "core/status.h"
#include "notify/webpush.h"
#include "storage/database.h"

namespace cleanai {

// One email, rendered. Header values never contain CR or LF.
struct EmailMessage {
  std::string from, to, subject, message_id, text, html;
};

// RFC 5322 text: headers (RFC 2047 for non-ASCII subjects), multipart/alternative with
// text and HTML parts, List-Unsubscribe.
std::string RenderEmail(const EmailMessage& m, const std::string& unsubscribe_url, SystemTime date);

// Sends over SMTP with libcurl. The provider's failure text on error.
Status SendEmailSmtp(const Config& config, const EmailMessage& m, const std::string& rfc5322);

// Sends one SMS through Twilio's Messages API (form fields, basic auth with the account
// SID and token). `answer`: the message SID and status, or Twilio's error.
Status SendSmsTwilio(const Config& config, const std::string& to, const std::string& text,
                     std::string* answer);

// Sends one Web Push message to a subscription. `gone` is set when the push service says
// the subscription no longer exists (404/410): it is deleted, not retried.
Status SendWebPush(const Config& config, const VapidKey& vapid, const std::string& endpoint,
                   const std::string& p256dh, const std::string& auth, const std::string& payload,
                   SystemTime now, std::string* answer, bool* gone);

class OutboxWorker {
 public:
  // `vapid`: the Web Push key, or null when push is off.
  OutboxWorker(Database& db, const Clock& clock, const Config& config, const VapidKey* vapid)
      : db_(db), clock_(clock), config_(config), vapid_(vapid), rng_(std::random_device{}()) {}
  ~OutboxWorker() { Stop(); }

  // Claims and delivers what is due now; returns how many were attempted.
  Result<int> RunOnce();

  // What waits to be delivered (queued, retrying or being sent), and the age in seconds
  // of the oldest of it (0 when none): for monitoring.
  struct Backlog {
    int64_t count = 0;
    double oldest_seconds = 0;
  };
  Result<Backlog> Waiting() const;
  void Start();
  void Stop();

 private:
  Status Deliver(Connection& c, const std::string& delivery_id);
  Database& db_;
  const Clock& clock_;
  const Config& config_;
  const VapidKey* vapid_;
  std::mt19937_64 rng_;
  PeriodicTask loop_;  // last: stopped before the members it uses go
};

}  // namespace cleanai
