// SPDX-License-Identifier: AGPL-3.0-or-later
#include "notify/notify.h"

#include <algorithm>
#include <boost/json.hpp>

#include "core/crypto.h"
#include "storage/audit.h"

namespace cleanai {

namespace {

// The host part of the public URL, for Message-IDs: "https://clean.example:8443/x" ->
// "clean.example".
std::string Host(const std::string& url) {
  size_t start = url.find("://");
  start = start == std::string::npos ? 0 : start + 3;
  size_t end = url.find_first_of(":/", start);
  std::string host = url.substr(start, end == std::string::npos ? std::string::npos : end - start);
  return host.empty() ? "localhost" : host;
}

}  // namespace

const std::vector<std::string>& NotificationKinds() {
  static const std::vector<std::string> kKinds = {
      "report.received", "report.acknowledged",  "report.dispatched", "report.in_progress",
      "report.resolved", "report.rejected",      "report.duplicate",  "assignment.new",
      "route.changed",   "report.high_priority", "admin.message",     "area.new_report"};
  return kKinds;
}

bool OnByDefault(const std::string& channel) { return channel != "sms"; }

const std::vector<std::string>& OutsideChannels() {
  static const std::vector<std::string> kChannels = {"email", "sms", "push"};
  return kChannels;
}

Status Notifier::Send(Connection& c, const Notification& n) const {
  const std::string id = NewUuidV7(), now = FormatTime(clock_.Now());
  auto user = c.Execute("SELECT email, phone, language FROM users WHERE id = $1 AND is_active = $2",
                        {n.user_id, true});
  if (!user) return user.error();
  NotificationText text{n.title, n.body};
  if (text.title.empty()) {
    const std::string language = user->rows.empty() ? "en" : user->rows[0].Text("language");
    auto rendered = RenderNotification(n.kind + n.variant, language, n.params);
    if (!rendered) return Status::Internal("no words for notification " + n.kind + n.variant);
    text = *rendered;
  }
  auto r = c.Execute(
      "INSERT INTO notifications (id, user_id, report_id, kind, title, body, created_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7)",
      {id, n.user_id, n.report_id ? Value(*n.report_id) : Value(nullptr), n.kind,
       text.title.substr(0, 200), text.body, now});
  if (!r) return r.error();
  boost::json::object live{{"id", id},
                           {"kind", n.kind},
                           {"title", text.title.substr(0, 200)},
                           {"body", text.body},
                           {"createdAt", now}};
  live["reportId"] = n.report_id ? boost::json::value(*n.report_id) : boost::json::value(nullptr);
  CLEANAI_RETURN_STATUS_IF_ERROR(events_.Publish(c, n.user_id, n.report_id, "notification.created",
                                                 boost::json::serialize(live)));
  auto on = [&](const char* channel) {
    return ChannelReady(channel).ok() && (n.only_channel.empty() || n.only_channel == channel);
  };
  const bool email = on("email"), sms = on("sms"), push = on("push");
  if ((!email && !sms && !push) || user->rows.empty()) return Status::Ok();
  // Outside channels go through the outbox, committed with this change or not at all.
  auto queue = [&](const char* channel, const std::string& address) -> Status {
    auto d = c.Execute(
        "INSERT INTO notification_deliveries (id, notification_id, channel, address, status, "
        "attempts, next_attempt_at, message_id, created_at, updated_at) "
        "VALUES ($1, $2, $3, $4, 'queued', 0, $5, $6, $5, $5)",
        {NewUuidV7(), id, std::string(channel), address, now,
         "<" + id + "@" + Host(config_.public_url) + ">"});
    return d ? Status::Ok() : d.error();
  };
  // The user's choices for this kind; without one, a channel is on by default, except SMS
  // (texts cost the city money and reach people anywhere), which only an explicit choice,
  // or an admin who chose SMS for this one message, turns on.
  auto chosen = c.Execute(
      "SELECT channel, enabled FROM notification_preferences WHERE user_id = $1 AND kind = $2",
      {n.user_id, n.kind});
  if (!chosen) return chosen.error();
  auto wanted = [&](const char* channel) {
    for (const auto& row : chosen->rows) {
      if (row.Text("channel") == channel) return row.Bool("enabled");
    }
    return std::string_view(channel) != "sms" || n.only_channel == "sms";
  };
  const Row& u = user->rows[0];
  if (email && wanted("email") && !u.Text("email").empty()) {
    CLEANAI_RETURN_STATUS_IF_ERROR(queue("email", u.Text("email")));
  }
  if (sms && wanted("sms") && !u.Text("phone").empty()) {
    CLEANAI_RETURN_STATUS_IF_ERROR(queue("sms", u.Text("phone")));
  }
  if (push && wanted("push")) {
    // One delivery per device, so one device's outage does not resend to the others.
    auto devices = c.Execute(
        "SELECT id FROM push_subscriptions WHERE user_id = $1 ORDER BY id LIMIT 20", {n.user_id});
    if (!devices) return devices.error();
    for (const auto& row : devices->rows) {
      CLEANAI_RETURN_STATUS_IF_ERROR(queue("push", row.Text("id")));
    }
  }
  return Status::Ok();
}

Result<std::vector<Notifier::Item>> Notifier::History(const HistoryQuery& q) const {
  std::string sql =
      "SELECT id, user_id, report_id, kind, title, body, created_at, read_at FROM notifications n "
      "WHERE id < $1";
  std::vector<Value> params{q.before_id.empty() ? "ffffffff-ffff-ffff-ffff-ffffffffffff"
                                                : q.before_id};
  auto where = [&](const std::string& condition, Value v) {
    params.push_back(std::move(v));
    std::string clause = condition;
    clause.replace(clause.find('?'), 1, "$" + std::to_string(params.size()));
    sql += " AND " + clause;
  };
  if (!q.user_id.empty()) where("user_id = ?", q.user_id);
  if (q.unread_only) sql += " AND read_at IS NULL";
  if (!q.kind.empty()) where("kind = ?", q.kind);
  if (!q.from.empty()) where("created_at >= ?", q.from);
  if (!q.to.empty()) where("created_at < ?", q.to);
  if (!q.channel.empty() || !q.status.empty()) {
    // Notifications with a delivery on that channel and/or in that state.
    std::string sub =
        "EXISTS (SELECT 1 FROM notification_deliveries d WHERE d.notification_id = n.id";
    for (auto [column, value] :
         {std::pair{"channel", &q.channel}, std::pair{"status", &q.status}}) {
      if (value->empty()) continue;
      params.push_back(*value);
      sub += std::string(" AND d.") + column + " = $" + std::to_string(params.size());
    }
    sql += " AND " + sub + ")";
  }
  params.push_back(int64_t{q.limit});
  sql += " ORDER BY id DESC LIMIT $" + std::to_string(params.size());
  auto r = db_.Execute(sql, params);
  if (!r) return Err(r.error());
  std::vector<Item> out;
  for (const auto& row : r->rows) {
    Item i{row.Text("id"),           row.Text("user_id"), row.Text("kind"),
           row.Text("title"),        row.Text("body"),    row.TimeText("created_at").value_or(""),
           row.OptText("report_id"), std::nullopt,        {}};
    i.read_at = row.TimeText("read_at");
    out.push_back(std::move(i));
  }
  if (out.empty()) return out;
  // Each item's deliveries, in one query for the page.
  std::string in;
  std::vector<Value> ids;
  for (const auto& i : out) {
    ids.push_back(i.id);
    in += (in.empty() ? "$" : ", $") + std::to_string(ids.size());
  }
  auto d = db_.Execute(
      "SELECT notification_id, channel, status, attempts, provider_response, updated_at FROM "
      "notification_deliveries WHERE notification_id IN (" +
          in + ") ORDER BY channel, id",
      ids);
  if (!d) return Err(d.error());
  for (const auto& row : d->rows) {
    for (auto& i : out) {
      if (i.id != row.Text("notification_id")) continue;
      i.deliveries.push_back({row.Text("channel"), row.Text("status"),
                              row.TimeText("updated_at").value_or(""), row.Int("attempts"),
                              row.OptText("provider_response")});
    }
  }
  return out;
}

Result<std::string> Notifier::Language(const std::string& user_id) const {
  auto r = db_.Execute("SELECT language FROM users WHERE id = $1", {user_id});
  if (!r) return Err(r.error());
  if (r->rows.empty()) return Err(Status::NotFound("no such user"));
  return r->rows[0].Text("language");
}

Status Notifier::SetLanguage(const std::string& user_id, const std::string& language) const {
  auto r = db_.Execute("UPDATE users SET language = $1 WHERE id = $2", {language, user_id});
  return r ? Status::Ok() : r.error();
}

Status Notifier::Subscribe(const std::string& user_id, const PushSubscription& s) const {
  if (Status st = ChannelReady("push"); !st.ok()) return st;
  std::vector<FieldError> errors;
  if (s.endpoint.size() > 1024 || s.endpoint.find_first_of(" \r\n\"\\") != std::string::npos ||
      !PushEndpointAllowed(s.endpoint, config_.notify_push_hosts)) {
    errors.push_back({"endpoint", "must be the https URL of a browser's push service"});
  }
  if (!ValidSubscriptionKeys(s.p256dh, s.auth)) {
    errors.push_back(
        {"keys", "p256dh must be a P-256 public point and auth 16 bytes, both base64url"});
  }
  if (!errors.empty()) return Status::InvalidArgument("not a push subscription", errors);
  // A device that signs in as someone else moves its subscription with it.
  auto r = db_.Execute(
      "INSERT INTO push_subscriptions (id, user_id, endpoint, p256dh, auth, user_agent, "
      "created_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (endpoint) DO UPDATE SET "
      "user_id = excluded.user_id, p256dh = excluded.p256dh, auth = excluded.auth, "
      "user_agent = excluded.user_agent",
      {NewUuidV7(), user_id, s.endpoint, s.p256dh, s.auth, s.user_agent.substr(0, 300),
       FormatTime(clock_.Now())});
  return r ? Status::Ok() : r.error();
}

Status Notifier::Unsubscribe(const std::string& user_id, const std::string& endpoint) const {
  auto r = db_.Execute("DELETE FROM push_subscriptions WHERE endpoint = $1 AND user_id = $2",
                       {endpoint, user_id});
  if (!r) return r.error();
  return r->affected_rows == 0 ? Status::NotFound("no such subscription") : Status::Ok();
}

Result<std::vector<ChannelPreference>> Notifier::Preferences(const std::string& user_id) const {
  auto r = db_.Execute(
      "SELECT kind, channel, enabled FROM notification_preferences WHERE user_id = $1", {user_id});
  if (!r) return Err(r.error());
  std::vector<ChannelPreference> out;
  for (const auto& kind : NotificationKinds()) {
    for (const auto& channel : OutsideChannels()) {
      ChannelPreference p{kind, channel, OnByDefault(channel)};
      for (const auto& row : r->rows) {
        if (row.Text("kind") == kind && row.Text("channel") == channel)
          p.enabled = row.Bool("enabled");
      }
      out.push_back(p);
    }
  }
  return out;
}

Status Notifier::SetPreferences(const std::string& user_id,
                                const std::vector<ChannelPreference>& items) const {
  auto done = db_.InTransaction<bool>([&](Connection& c) -> Result<bool> {
    for (const auto& p : items) {
      auto r = c.Execute(
          "INSERT INTO notification_preferences (user_id, kind, channel, enabled, updated_at) "
          "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id, kind, channel) DO UPDATE SET "
          "enabled = excluded.enabled, updated_at = excluded.updated_at",
          {user_id, p.kind, p.channel, p.enabled, FormatTime(clock_.Now())});
      if (!r) return Err(r.error());
    }
    return true;
  });
  return done ? Status::Ok() : done.error();
}

Status Notifier::ChannelReady(const std::string& channel) const {
  if (channel == "push" && !vapid_) {
    return Status::Conflict("Web Push is turned off on this server (notify.push)");
  }
  if (channel == "email" && config_.notify_smtp_url.empty()) {
    return Status::Conflict("email is not configured on this server (notify.smtp_url)");
  }
  if (channel == "sms" && config_.notify_twilio_account_sid.empty()) {
    return Status::Conflict("SMS is not configured on this server (notify.twilio_account_sid)");
  }
  return Status::Ok();
}

Result<int64_t> Notifier::Broadcast(const Principal& admin, const std::string& channel,
                                    const std::optional<std::string>& user_id,
                                    const std::optional<std::string>& role,
                                    const std::string& subject, const std::string& message,
                                    const ClientInfo& client) const {
  if (Status st = ChannelReady(channel); !st.ok()) return Err(st);
  if (user_id && !IsUuid(*user_id)) return Err(Status::NotFound("no such user"));
  return db_.InTransaction<int64_t>([&](Connection& c) -> Result<int64_t> {
    auto users = user_id ? c.Execute("SELECT id FROM users WHERE id = $1 AND is_active = $2",
                                     {*user_id, true})
                         : c.Execute(
                               "SELECT id FROM users WHERE role = $1 AND is_active = $2 "
                               "ORDER BY id LIMIT 10000",
                               {*role, true});
    if (!users) return Err(users.error());
    if (user_id && users->rows.empty()) return Err(Status::NotFound("no such user"));
    for (const auto& row : users->rows) {
      CLEANAI_RETURN_IF_ERROR(Send(c, {.user_id = row.Text("id"),
                                       .kind = "admin.message",
                                       .title = subject,
                                       .body = message,
                                       .only_channel = channel}));
    }
    boost::json::object details{{"channel", channel},
                                {"recipients", static_cast<int64_t>(users->rows.size())}};
    details[user_id ? "userId" : "role"] = user_id ? *user_id : *role;
    CLEANAI_RETURN_IF_ERROR(
        WriteAudit(c, clock_,
                   {std::nullopt, admin.user_id, "notify.sent", std::nullopt, std::nullopt,
                    boost::json::serialize(details), client.ip, client.user_agent}));
    return static_cast<int64_t>(users->rows.size());
  });
}

Status Notifier::MarkRead(const std::string& user_id, const std::string& id) const {
  if (!IsUuid(id)) return Status::NotFound("no such notification");
  auto r = db_.Execute(
      "UPDATE notifications SET read_at = COALESCE(read_at, $1) WHERE id = $2 AND user_id = $3",
      {FormatTime(clock_.Now()), id, user_id});
  if (!r) return r.error();
  if (r->affected_rows == 0) return Status::NotFound("no such notification");
  return Status::Ok();
}

}  // namespace cleanai
