#include "notify/notify.h"

#include <boost/json.hpp>

#include "core/crypto.h"
#include "http/problem.h"

namespace cleanai {

Status Notifier::Send(Connection& c, const Notification& n) const {
  auto r = c.Execute(
      "INSERT INTO notifications (id, user_id, report_id, kind, title, body, created_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7)",
      {NewUuidV7(), n.user_id, n.report_id ? Value(*n.report_id) : Value(nullptr), n.kind,
       n.title.substr(0, 200), n.body, FormatTime(clock_.Now())});
  return r ? Status::Ok() : r.error();
}

Result<std::vector<Notifier::Item>> Notifier::History(const std::string& user_id,
                                                      bool unread_only,
                                                      const std::string& before_id,
                                                      int limit) const {
  std::string sql =
      "SELECT id, user_id, report_id, kind, title, body, created_at, read_at FROM notifications "
      "WHERE id < $1";
  std::vector<Value> params{before_id.empty() ? "ffffffff-ffff-ffff-ffff-ffffffffffff" : before_id};
  if (!user_id.empty()) {
    params.push_back(user_id);
    sql += " AND user_id = $" + std::to_string(params.size());
  }
  if (unread_only) sql += " AND read_at IS NULL";
  params.push_back(int64_t{limit});
  sql += " ORDER BY id DESC LIMIT $" + std::to_string(params.size());
  auto r = db_.Execute(sql, params);
  if (!r) return Err(r.error());
  std::vector<Item> out;
  for (const auto& row : r->rows) {
    Item i{row.Text("id"), row.Text("user_id"), row.Text("kind"), row.Text("title"),
           row.Text("body"), FormatTime(row.Time("created_at").value_or(SystemTime{})),
           row.OptText("report_id"), std::nullopt};
    if (auto t = row.Time("read_at")) i.read_at = FormatTime(*t);
    out.push_back(std::move(i));
  }
  return out;
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

void RegisterNotifyRoutes(Router& router, const Notifier& notifier) {
  router.Add("GET", "/api/notify/history", Access::AnyUser(), [&notifier](HttpRequest& req) {
    std::vector<FieldError> errors;
    std::string user = req.principal->user_id;
    if (auto u = req.QueryParam("userId")) {
      // Admins may look at anyone's (or, with userId=all, everyone's) history.
      if (req.principal->role != "admin") {
        errors.push_back({"userId", "only admins may read other users' notifications"});
      } else if (*u == "all") {
        user.clear();
      } else if (!IsUuid(*u)) {
        errors.push_back({"userId", "must be a user id or 'all'"});
      } else {
        user = *u;
      }
    }
    bool unread = false;
    if (auto v = req.QueryParam("unread")) {
      if (*v != "true" && *v != "false") errors.push_back({"unread", "must be true or false"});
      unread = *v == "true";
    }
    std::string before;
    if (auto c = req.QueryParam("cursor")) {
      if (!IsUuid(*c)) errors.push_back({"cursor", "is not a cursor from this endpoint"});
      before = *c;
    }
    int limit = 50;
    if (auto l = req.QueryParam("limit"); l && !ParseBoundedInt(*l, 1, 200, &limit)) {
      errors.push_back({"limit", "must be an integer from 1 to 200"});
    }
    if (!errors.empty()) {
      return ProblemResponse(Status::InvalidArgument("invalid query parameters", errors),
                             req.request_id);
    }
    auto items = notifier.History(user, unread, before, limit);
    if (!items) return ProblemResponse(items.error(), req.request_id);
    boost::json::array arr;
    for (const auto& i : *items) {
      boost::json::object o{{"id", i.id}, {"kind", i.kind}, {"title", i.title},
                            {"body", i.body}, {"createdAt", i.created_at}};
      o["reportId"] = i.report_id ? boost::json::value(*i.report_id) : nullptr;
      o["readAt"] = i.read_at ? boost::json::value(*i.read_at) : nullptr;
      if (user.empty() || user != req.principal->user_id) o["userId"] = i.user_id;
      arr.push_back(std::move(o));
    }
    boost::json::object body{{"items", arr}};
    body["nextCursor"] = static_cast<int>(items->size()) == limit
                             ? boost::json::value(items->back().id)
                             : boost::json::value(nullptr);
    return HttpResponse::Json(200, body);
  });

  router.Add("POST", "/api/notify/:id/read", Access::AnyUser(), [&notifier](HttpRequest& req) {
    Status st = notifier.MarkRead(req.principal->user_id, req.path_params["id"]);
    if (!st.ok()) return ProblemResponse(st, req.request_id);
    return HttpResponse::NoContent();
  });
}

}  // namespace cleanai
