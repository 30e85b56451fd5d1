// SPDX-License-Identifier: AGPL-3.0-or-later
#include "events/events.h"

#include <boost/json.hpp>

#include "core/log.h"
#include "events/feed.h"
#include "http/problem.h"

namespace cleanai {

Status EventLog::Publish(Connection& c, const std::optional<std::string>& recipient,
                         const std::optional<std::string>& report_id, const std::string& type,
                         const std::string& payload_json) const {
  if (c.backend() == Backend::kPostgres) {
    // Held to commit: ids are handed out in commit order (SQLite writers are serial anyway).
    auto lock = c.Execute("SELECT pg_advisory_xact_lock(7141001) AS locked", {});
    if (!lock) return lock.error();
  }
  auto r = c.Execute(
      "INSERT INTO live_events (recipient_user_id, report_id, event_type, payload, created_at) "
      "VALUES ($1, $2, $3, $4, $5)",
      {recipient ? Value(*recipient) : Value(nullptr),
       report_id ? Value(*report_id) : Value(nullptr), type, payload_json,
       FormatTime(clock_.Now())});
  if (!r) return r.error();
  if (c.backend() == Backend::kPostgres) {
    // Delivered at commit to every instance's feed (several in one transaction: one).
    auto n = c.Execute("SELECT pg_notify($1, '') AS notified", {std::string(kChannel)});
    if (!n) return n.error();
  }
  if (on_commit_) c.AfterCommit(on_commit_);
  return Status::Ok();
}

Result<std::vector<LiveEvent>> EventLog::After(int64_t after_id, const Principal& who,
                                               int limit) const {
  auto r = who.role == Role::kAdmin
               ? db_.Execute(
                     "SELECT id, event_type, payload FROM live_events WHERE id > $1 AND "
                     "(recipient_user_id IS NULL OR recipient_user_id = $2) ORDER BY id LIMIT $3",
                     {after_id, who.user_id, int64_t{limit}})
               : db_.Execute(
                     "SELECT id, event_type, payload FROM live_events WHERE id > $1 AND "
                     "recipient_user_id = $2 ORDER BY id LIMIT $3",
                     {after_id, who.user_id, int64_t{limit}});
  if (!r) return Err(r.error());
  std::vector<LiveEvent> out;
  for (const auto& row : r->rows) {
    out.push_back({row.Int("id"), row.Text("event_type"), row.Text("payload")});
  }
  return out;
}

Result<int64_t> EventLog::LatestId() const {
  auto r = db_.Execute("SELECT COALESCE(MAX(id), 0) AS id FROM live_events");
  if (!r) return Err(r.error());
  return r->rows.at(0).Int("id");
}

namespace {

class UserEventStream final : public EventStreamSource {
 public:
  UserEventStream(const EventLog& events, ChangeFeed& feed, Principal who, int64_t last_id)
      : events_(events), feed_(feed), who_(std::move(who)), last_id_(last_id) {}
  ~UserEventStream() override {
    if (subscription_) feed_.Unsubscribe(subscription_);
  }

  bool Subscribe(std::function<void()> wake) override {
    subscription_ = feed_.Subscribe(who_, std::move(wake));
    return true;
  }

  std::string Poll() override {
    constexpr size_t kMax = 200;
    auto batch = feed_.Since(last_id_, who_, kMax);
    if (!batch) {
      // Resuming from before what the feed holds in memory: the table has it.
      auto stored = events_.After(last_id_, who_, kMax);
      if (!stored) {
        LogWarn("event stream read failed", {{"error", stored.error().message()}});
        return "";
      }
      batch = std::move(*stored);
    }
    std::string out;
    for (const auto& e : *batch) {
      out += "id: " + std::to_string(e.id) + "\nevent: " + e.type + "\ndata: " + e.payload + "\n\n";
      last_id_ = e.id;
    }
    return out;
  }

 private:
  const EventLog& events_;
  ChangeFeed& feed_;
  Principal who_;
  int64_t last_id_;
  uint64_t subscription_ = 0;
};

}  // namespace

void RegisterEventRoutes(Router& router, const EventLog& events, ChangeFeed& feed) {
  router.Add("GET", "/api/events", Access::AnyUser(), [&events, &feed](HttpRequest& req) {
    std::optional<std::string> resume = req.Header("last-event-id");
    if (!resume) resume = req.QueryParam("lastEventId");
    int64_t last = 0;
    if (resume) {
      char* end = nullptr;
      long long v = std::strtoll(resume->c_str(), &end, 10);
      if (resume->empty() || *end != '\0' || v < 0) {
        return ProblemResponse(
            Status::InvalidArgument("invalid Last-Event-ID",
                                    {{"Last-Event-ID", "must be an id received from this stream"}}),
            req.request_id);
      }
      last = v;
    } else {
      last = feed.LatestId();  // from now on; no query per connection
    }
    HttpResponse resp;
    resp.content_type = "text/event-stream";
    resp.event_stream = std::make_shared<UserEventStream>(events, feed, *req.principal, last);
    return resp;
  });
}

}  // namespace cleanai
