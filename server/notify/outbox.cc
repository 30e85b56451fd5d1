// SPDX-License-Identifier: AGPL-3.0-or-later
#include "notify/outbox.h"

#include <curl/curl.h>
#include <sodium.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <ctime>

#include "core/crypto.h"
#include "core/log.h"
#include "core/text.h"
#include "http/client.h"

namespace cleanai {
namespace {

constexpr int kBatch = 10;
constexpr auto kLease = std::chrono::seconds(120);

std::string OneLine(std::string s) {
  for (char& ch : s) {
    if (ch == '\r' || ch == '\n') ch = ' ';
  }
  return s;
}

std::string Base64(const std::string& bytes) {
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

// RFC 2047 for a header value with non-ASCII text (Urdu subjects).
std::string HeaderText(const std::string& s) {
  bool ascii =
      std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  return ascii ? OneLine(s) : "=?UTF-8?B?" + Base64(OneLine(s)) + "?=";
}

std::string Rfc5322Date(SystemTime t) {
  std::time_t secs =
      std::chrono::system_clock::to_time_t(std::chrono::time_point_cast<std::chrono::seconds>(t));
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buf;
}

// "CleanAI <noreply@x>" -> "<noreply@x>"
std::string Envelope(const std::string& from) {
  auto lt = from.find('<'), gt = from.find('>');
  return lt == std::string::npos ? "<" + from + ">" : from.substr(lt, gt - lt + 1);
}

struct Upload {
  const std::string* data;
  size_t pos = 0;
};

size_t ReadUpload(char* buffer, size_t size, size_t n, void* user) {
  auto* u = static_cast<Upload*>(user);
  size_t len = std::min(size * n, u->data->size() - u->pos);
  std::copy_n(u->data->data() + u->pos, len, buffer);
  u->pos += len;
  return len;
}

// What the service worker shows: the notification's words, a tag that makes a repeated
// delivery replace the first instead of showing twice, and the page to open.
// The page a notification opens: the report's own page for news of a report (its
// reporter, followers and admins may all see it), the route for a driver's work.
std::string PageOf(const Row& row) {
  const std::string kind = row.Text("kind");
  if (kind == "assignment.new" || kind == "route.changed") return "/driver";
  if (!row.IsNull("report_id") && (kind.rfind("report.", 0) == 0 || kind == "area.new_report")) {
    return "/reports/" + row.Text("report_id");
  }
  return "/notifications";
}

std::string PushPayload(const Row& row) {
  const std::string kind = row.Text("kind");
  const std::string page = PageOf(row);
  std::string body = row.Text("body");
  if (body.size() > 2400) {  // within one 4 KB record with the title, even in Urdu script
    size_t cut = 2400;
    while (cut > 0 && (static_cast<unsigned char>(body[cut]) & 0xC0) == 0x80) --cut;
    body = body.substr(0, cut) + "…";
  }
  return boost::json::serialize(boost::json::object{{"id", row.Text("notification_id")},
                                                    {"kind", kind},
                                                    {"title", row.Text("title")},
                                                    {"body", body},
                                                    {"url", page}});
}

}  // namespace

std::string RenderEmail(const EmailMessage& m, const std::string& unsubscribe_url,
                        SystemTime date) {
  const std::string boundary = "cleanai-" + m.message_id.substr(1, m.message_id.find('@') - 1);
  std::string out;
  out += "From: " + OneLine(m.from) + "\r\n";
  out += "To: <" + OneLine(m.to) + ">\r\n";
  out += "Subject: " + HeaderText(m.subject) + "\r\n";
  out += "Date: " + Rfc5322Date(date) + "\r\n";
  out += "Message-ID: " + OneLine(m.message_id) + "\r\n";
  out += "List-Unsubscribe: <" + OneLine(unsubscribe_url) + ">\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n\r\n";
  out += "--" + boundary +
         "\r\nContent-Type: text/plain; charset=utf-8\r\n"
         "Content-Transfer-Encoding: 8bit\r\n\r\n" +
         m.text + "\r\n";
  out += "--" + boundary +
         "\r\nContent-Type: text/html; charset=utf-8\r\n"
         "Content-Transfer-Encoding: 8bit\r\n\r\n" +
         m.html + "\r\n";
  out += "--" + boundary + "--\r\n";
  return out;
}

Status SendEmailSmtp(const Config& config, const EmailMessage& m, const std::string& rfc5322) {
  InitCurl();
  CURL* curl = curl_easy_init();
  if (!curl) return Status::Unavailable("cannot start an SMTP client");
  std::string from = Envelope(config.notify_smtp_from), to = "<" + m.to + ">";
  curl_slist* rcpt = curl_slist_append(nullptr, to.c_str());
  Upload upload{&rfc5322};
  curl_easy_setopt(curl, CURLOPT_URL, config.notify_smtp_url.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, ReadUpload);
  curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(config.notify_smtp_timeout_seconds));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  if (config.notify_smtp_url.rfind("smtp://", 0) == 0) {
    curl_easy_setopt(
        curl, CURLOPT_USE_SSL,
        static_cast<long>(config.notify_smtp_starttls ? CURLUSESSL_ALL : CURLUSESSL_NONE));
  }
  if (!config.notify_smtp_username.empty()) {
    curl_easy_setopt(curl, CURLOPT_USERNAME, config.notify_smtp_username.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, config.notify_smtp_password.c_str());
  }
  CURLcode rc = curl_easy_perform(curl);
  long code = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
  curl_slist_free_all(rcpt);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK) {
    return Status::Unavailable(std::string(curl_easy_strerror(rc)) +
                               (code ? " (SMTP " + std::to_string(code) + ")" : ""));
  }
  return Status::Ok();
}

Status SendSmsTwilio(const Config& config, const std::string& to, const std::string& text,
                     std::string* answer) {
  OutgoingRequest req;
  req.url = config.notify_twilio_base_url + "/2010-04-01/Accounts/" +
            UrlEscape(config.notify_twilio_account_sid) + "/Messages.json";
  req.timeout_seconds = config.notify_smtp_timeout_seconds;
  req.user_agent = "CleanAI notify/1";
  // One SMS is 160 GSM characters or 70 in Urdu script; Twilio splits longer ones itself,
  // but a notification should stay within a few parts.
  std::string body = text.size() > 600 ? text.substr(0, 597) + "..." : text;
  auto resp = HttpPostForm(req, {{"To", to}, {"From", config.notify_twilio_from}, {"Body", body}},
                           config.notify_twilio_account_sid, config.notify_twilio_auth_token);
  if (!resp) {
    *answer = resp.error().message();
    return resp.error();
  }
  boost::system::error_code ec;
  auto v = boost::json::parse(resp->body, ec);
  const boost::json::object* o = !ec && v.is_object() ? &v.as_object() : nullptr;
  auto field = [&](const char* k) {
    const auto* f = o ? o->if_contains(k) : nullptr;
    return f && f->is_string() ? std::string(f->as_string()) : std::string();
  };
  if (resp->status == 201 || resp->status == 200) {
    *answer = "Twilio " + field("sid") + " " + field("status");
    return Status::Ok();
  }
  *answer = "Twilio HTTP " + std::to_string(resp->status) + ": " + field("message");
  return Status::Unavailable(*answer);
}

Status SendWebPush(const Config& config, const VapidKey& vapid, const std::string& endpoint,
                   const std::string& p256dh, const std::string& auth, const std::string& payload,
                   SystemTime now, std::string* answer, bool* gone) {
  *gone = false;
  std::string ua_public, secret;
  if (!Base64UrlDecode(p256dh, &ua_public) || !Base64UrlDecode(auth, &secret)) {
    *gone = true;
    *answer = "the subscription's keys are not readable";
    return Status::InvalidArgument(*answer);
  }
  auto body = EncryptPushPayload(payload, ua_public, secret);
  if (!body) {
    *answer = body.error().message();
    return body.error();
  }
  auto authorization = vapid.Authorization(
      endpoint, config.notify_push_subject.empty() ? config.public_url : config.notify_push_subject,
      now);
  if (!authorization) {
    *answer = authorization.error().message();
    return authorization.error();
  }
  OutgoingRequest req;
  req.url = endpoint;
  req.timeout_seconds = config.notify_smtp_timeout_seconds;
  req.user_agent = "CleanAI notify/1";
  req.max_body_bytes = 64 * 1024;
  auto resp = HttpPost(req,
                       {"Authorization: " + *authorization, "Content-Encoding: aes128gcm",
                        "Content-Type: application/octet-stream", "TTL: 86400", "Urgency: normal"},
                       *body);
  if (!resp) {
    *answer = resp.error().message();
    return resp.error();
  }
  *answer = "push service HTTP " + std::to_string(resp->status);
  if (resp->status >= 200 && resp->status < 300) return Status::Ok();
  *gone = resp->status == 404 || resp->status == 410;
  return Status::Unavailable(*answer + ": " + OneLine(resp->body.substr(0, 200)));
}

Result<OutboxWorker::Backlog> OutboxWorker::Waiting() const {
  auto r = db_.Execute(
      "SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM notification_deliveries "
      "WHERE status IN ('queued', 'failed', 'sending')");
  if (!r) return Err(r.error());
  Backlog b;
  b.count = r->rows.at(0).Int("n");
  if (auto oldest = r->rows.at(0).Time("oldest")) {
    b.oldest_seconds = std::max(0.0, std::chrono::duration<double>(clock_.Now() - *oldest).count());
  }
  return b;
}

Result<int> OutboxWorker::RunOnce() {
  const std::string now = FormatTime(clock_.Now());
  auto due = db_.Execute(
      "SELECT id FROM notification_deliveries WHERE (status IN ('queued', 'failed') AND "
      "next_attempt_at <= $1) OR (status = 'sending' AND lease_until < $1) "
      "ORDER BY next_attempt_at LIMIT $2",
      {now, int64_t{kBatch}});
  if (!due) return Err(due.error());
  int attempted = 0;
  for (const auto& row : due->rows) {
    const std::string id = row.Text("id");
    // Claimed only if still due: two workers never take the same row.
    auto claim = db_.Execute(
        "UPDATE notification_deliveries SET status = 'sending', lease_until = $1, "
        "attempts = attempts + 1, updated_at = $2 WHERE id = $3 AND ((status IN ('queued', "
        "'failed') AND next_attempt_at <= $2) OR (status = 'sending' AND lease_until < $2))",
        {FormatTime(clock_.Now() + kLease), now, id});
    if (!claim) return Err(claim.error());
    if (claim->affected_rows != 1) continue;
    ++attempted;
    auto done = db_.WithConnection<bool>([&](Connection& c) -> Result<bool> {
      Status st = Deliver(c, id);
      if (!st.ok()) return Err(st);
      return true;
    });
    if (!done) LogWarn("delivery bookkeeping failed", {{"error", done.error().message()}});
  }
  return attempted;
}

Status OutboxWorker::Deliver(Connection& c, const std::string& id) {
  auto r = c.Execute(
      "SELECT d.channel, d.address, d.message_id, d.attempts, n.id AS notification_id, n.kind, "
      "n.title, n.body, n.report_id "
      "FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id "
      "WHERE d.id = $1",
      {id});
  if (!r) return r.error();
  if (r->rows.empty()) return Status::Ok();  // deleted with its notification meanwhile
  const Row& row = r->rows[0];
  Status sent = Status::Unavailable("channel " + row.Text("channel") + " is not configured");
  std::string answer;
  bool gone = false;  // nothing left to deliver to: dead at once
  if (row.Text("channel") == "email" && !config_.notify_smtp_url.empty()) {
    const std::string site = config_.public_url;
    EmailMessage m{config_.notify_smtp_from,
                   row.Text("address"),
                   row.Text("title"),
                   row.Text("message_id"),
                   "",
                   ""};
    const std::string link = site + PageOf(row);
    m.text = row.Text("body") + "\r\n\r\nSee it in CleanAI: " + link + "\r\n" +
             "Stop these emails: " + site + "/settings/notifications\r\n";
    // dir="auto": an Urdu message reads right to left in the mail client.
    m.html = "<!doctype html><html><body><p dir=\"auto\">" + EscapeMarkup(row.Text("body")) +
             "</p><p><a href=\"" + EscapeMarkup(link) +
             "\">See it in CleanAI</a></p>"
             "<p style=\"font-size:small\"><a href=\"" +
             EscapeMarkup(site) +
             "/settings/notifications\">Stop these emails</a></p></body></html>";
    sent =
        SendEmailSmtp(config_, m, RenderEmail(m, site + "/settings/notifications", clock_.Now()));
    answer = sent.ok() ? "accepted by the SMTP server" : sent.message();
  } else if (row.Text("channel") == "sms" && !config_.notify_twilio_account_sid.empty()) {
    sent = SendSmsTwilio(config_, row.Text("address"), row.Text("title") + ": " + row.Text("body"),
                         &answer);
  } else if (row.Text("channel") == "push" && vapid_) {
    auto sub = c.Execute("SELECT endpoint, p256dh, auth FROM push_subscriptions WHERE id = $1",
                         {row.Text("address")});
    if (!sub) return sub.error();
    if (sub->rows.empty()) {
      gone = true;
      answer = "the device unsubscribed";
      sent = Status::NotFound(answer);
    } else {
      const Row& s = sub->rows[0];
      sent = SendWebPush(config_, *vapid_, s.Text("endpoint"), s.Text("p256dh"), s.Text("auth"),
                         PushPayload(row), clock_.Now(), &answer, &gone);
      if (gone) {
        auto del = c.Execute("DELETE FROM push_subscriptions WHERE id = $1", {row.Text("address")});
        if (!del) return del.error();
      }
    }
  }
  const int64_t attempts = row.Int("attempts");
  const std::string now = FormatTime(clock_.Now());
  if (sent.ok()) {
    auto u = c.Execute(
        "UPDATE notification_deliveries SET status = 'sent', lease_until = NULL, "
        "provider_response = $1, updated_at = $2 WHERE id = $3",
        {answer, now, id});
    return u ? Status::Ok() : u.error();
  }
  const bool dead = gone || attempts >= config_.notify_max_attempts;
  // Exponential backoff with ±50 % jitter, so a provider's outage does not meet a wall.
  double delay =
      config_.notify_retry_base_seconds * std::pow(2.0, static_cast<double>(attempts - 1));
  delay *= std::uniform_real_distribution<double>(0.5, 1.5)(rng_);
  auto next = clock_.Now() + std::chrono::milliseconds(static_cast<int64_t>(delay * 1000));
  LogWarn("delivery failed", {{"delivery", id}, {"attempts", attempts}, {"dead", dead}});
  auto u = c.Execute(
      "UPDATE notification_deliveries SET status = $1, lease_until = NULL, next_attempt_at = $2, "
      "provider_response = $3, updated_at = $4 WHERE id = $5",
      {std::string(dead ? "dead" : "failed"), FormatTime(next), answer.substr(0, 500), now, id});
  return u ? Status::Ok() : u.error();
}

void OutboxWorker::Start() {
  loop_.Start(std::chrono::milliseconds(config_.notify_worker_interval_ms), [this] {
    if (auto n = RunOnce(); !n) LogWarn("outbox run failed", {{"error", n.error().message()}});
  });
}

void OutboxWorker::Stop() { loop_.Stop(); }

}  // namespace cleanai
