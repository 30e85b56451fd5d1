// SPDX-License-Identifier: AGPL-3.0-or-later
// The notification endpoints: preferences and language, Web Push subscriptions, the
// admin's broadcasts, the inbox (history) and marking read. Thin over Notifier.
#include <algorithm>
#include <boost/json.hpp>

#include "core/crypto.h"
#include "http/json_input.h"
#include "http/problem.h"
#include "notify/notify.h"

namespace cleanai {

void RegisterNotifyRoutes(Router& router, const Notifier& notifier) {
  // The user's choices: channels per kind, and the language their notifications speak.
  auto prefs_json = [&notifier](const std::string& user_id) -> Result<boost::json::object> {
    auto items = notifier.Preferences(user_id);
    if (!items) return Err(items.error());
    auto language = notifier.Language(user_id);
    if (!language) return Err(language.error());
    boost::json::array arr;
    for (const auto& p : *items) {
      arr.push_back(
          boost::json::object{{"kind", p.kind}, {"channel", p.channel}, {"enabled", p.enabled}});
    }
    return boost::json::object{{"items", arr}, {"language", *language}};
  };
  router.Add("GET", "/api/notify/preferences", Access::AnyUser(), [prefs_json](HttpRequest& req) {
    auto p = prefs_json(req.principal->user_id);
    if (!p) return ProblemResponse(p.error(), req.request_id);
    return HttpResponse::Json(200, *p);
  });
  router.Add(
      "PUT", "/api/notify/preferences", Access::AnyUser(),
      [&notifier, prefs_json](HttpRequest& req) {
        boost::system::error_code ec;
        auto v = boost::json::parse(req.body, ec);
        if (ec) {
          return ProblemResponse(400, "Bad Request", "the body is not valid JSON", req.request_id);
        }
        const boost::json::array* items = nullptr;
        const boost::json::value* language = nullptr;
        std::vector<FieldError> errors;
        if (const auto* o = v.if_object()) {
          if (const auto* i = o->if_contains("items")) items = i->if_array();
          language = o->if_contains("language");
          for (const auto& [key, value] : *o) {
            if (key != "items" && key != "language")
              errors.push_back({std::string(key), "is not a known field"});
          }
        }
        const auto& languages = NotificationLanguages();
        if (language &&
            (!language->is_string() || std::find(languages.begin(), languages.end(),
                                                 language->as_string()) == languages.end())) {
          errors.push_back({"language", "must be en or ur"});
        }
        std::vector<ChannelPreference> prefs;
        if (!v.is_object() || (!items && !language)) {
          errors.push_back({"items", "give items, language or both"});
        } else if (!items) {
          // only the language
        } else if (items->empty() || items->size() > 100) {
          errors.push_back({"items", "must be a list of 1 to 100 {kind, channel, enabled}"});
        } else {
          const auto& kinds = NotificationKinds();
          const auto& channels = OutsideChannels();
          for (const auto& item : *items) {
            const auto* o = item.if_object();
            const auto* kind = o ? o->if_contains("kind") : nullptr;
            const auto* channel = o ? o->if_contains("channel") : nullptr;
            const auto* enabled = o ? o->if_contains("enabled") : nullptr;
            bool ok =
                o && o->size() == 3 && kind && kind->is_string() && channel &&
                channel->is_string() && enabled && enabled->is_bool() &&
                std::find(kinds.begin(), kinds.end(), kind->as_string()) != kinds.end() &&
                std::find(channels.begin(), channels.end(), channel->as_string()) != channels.end();
            if (!ok) {
              errors.push_back({"items",
                                "each item is {kind, channel, enabled} with a known "
                                "kind and channel (email, sms, push)"});
              break;
            }
            prefs.push_back({std::string(kind->as_string()), std::string(channel->as_string()),
                             enabled->as_bool()});
          }
        }
        if (!errors.empty()) {
          return ProblemResponse(Status::InvalidArgument("invalid preferences", errors),
                                 req.request_id);
        }
        if (!prefs.empty()) {
          if (Status st = notifier.SetPreferences(req.principal->user_id, prefs); !st.ok()) {
            return ProblemResponse(st, req.request_id);
          }
        }
        if (language) {
          Status st =
              notifier.SetLanguage(req.principal->user_id, std::string(language->as_string()));
          if (!st.ok()) return ProblemResponse(st, req.request_id);
        }
        auto p = prefs_json(req.principal->user_id);
        if (!p) return ProblemResponse(p.error(), req.request_id);
        return HttpResponse::Json(200, *p);
      });
  router.Add("GET", "/api/notify/push/key", Access::AnyUser(), [&notifier](HttpRequest& req) {
    if (Status st = notifier.ChannelReady("push"); !st.ok())
      return ProblemResponse(st, req.request_id);
    return HttpResponse::Json(200, boost::json::object{{"publicKey", notifier.PushPublicKey()}});
  });
  router.Add(
      "POST", "/api/notify/push/subscriptions", Access::AnyUser(), [&notifier](HttpRequest& req) {
        // PushSubscription.toJSON(): {endpoint, expirationTime, keys: {p256dh, auth}}
        JsonInput in(req);
        auto endpoint = in.String("endpoint", {.required = true, .min = 1, .max = 1024});
        auto p256dh = in.String("keys.p256dh", {.required = true, .min = 1, .max = 100});
        auto auth = in.String("keys.auth", {.required = true, .min = 1, .max = 40});
        in.Ignore("expirationTime");
        if (Status st = in.Finish(); !st.ok()) return ProblemResponse(st, req.request_id);
        Status st =
            notifier.Subscribe(req.principal->user_id,
                               {*endpoint, *p256dh, *auth, req.Header("User-Agent").value_or("")});
        if (!st.ok()) return ProblemResponse(st, req.request_id);
        return HttpResponse::NoContent();
      });
  router.Add("DELETE", "/api/notify/push/subscriptions", Access::AnyUser(),
             [&notifier](HttpRequest& req) {
               JsonInput in(req);
               auto endpoint = in.String("endpoint", {.required = true, .min = 1, .max = 1024});
               if (Status st = in.Finish(); !st.ok()) return ProblemResponse(st, req.request_id);
               Status st = notifier.Unsubscribe(req.principal->user_id, *endpoint);
               if (!st.ok()) return ProblemResponse(st, req.request_id);
               return HttpResponse::NoContent();
             });
  for (const std::string channel : {"email", "sms", "push"}) {
    router.Add("POST", "/api/notify/" + channel, Access::Roles({Role::kAdmin}),
               [&notifier, channel](HttpRequest& req) {
                 JsonInput in(req);
                 auto user = in.String("userId", {.max = 36});
                 auto role = in.String("role", {.max = 20});
                 auto subject = in.String("subject", {.required = true, .min = 1, .max = 150});
                 auto message = in.String("message", {.required = true, .min = 1, .max = 1000});
                 if (Status st = in.Finish(); !st.ok()) return ProblemResponse(st, req.request_id);
                 std::vector<FieldError> errors;
                 if (user.has_value() == role.has_value()) {
                   errors.push_back({"userId", "give either userId or role"});
                 }
                 if (role && !ParseRole(*role)) {
                   errors.push_back({"role", "must be citizen, driver or admin"});
                 }
                 if (!errors.empty()) {
                   return ProblemResponse(Status::InvalidArgument("invalid message", errors),
                                          req.request_id);
                 }
                 if (Status st = notifier.ChannelReady(channel); !st.ok()) {
                   return ProblemResponse(st, req.request_id);
                 }
                 auto wait = notifier.TakeBroadcastSlot(req.principal->user_id);
                 if (!wait) return ProblemResponse(wait.error(), req.request_id);
                 if (*wait > 0) {
                   return ProblemResponse(
                       Status::RateLimited("ten messages a minute at most; wait a little", *wait),
                       req.request_id);
                 }
                 auto n = notifier.Broadcast(*req.principal, channel, user, role, *subject,
                                             *message, ClientOf(req));
                 if (!n) return ProblemResponse(n.error(), req.request_id);
                 return HttpResponse::Json(202, boost::json::object{{"queued", *n}});
               });
  }
  router.Add("GET", "/api/notify/history", Access::AnyUser(), [&notifier](HttpRequest& req) {
    std::vector<FieldError> errors;
    HistoryQuery q;
    q.user_id = req.principal->user_id;
    if (auto u = req.QueryParam("userId")) {
      // Admins may look at anyone's (or, with userId=all, everyone's) history.
      if (req.principal->role != Role::kAdmin) {
        errors.push_back({"userId", "only admins may read other users' notifications"});
      } else if (*u == "all") {
        q.user_id.clear();
      } else if (!IsUuid(*u)) {
        errors.push_back({"userId", "must be a user id or 'all'"});
      } else {
        q.user_id = *u;
      }
    }
    if (auto v = req.QueryParam("unread")) {
      if (*v != "true" && *v != "false") errors.push_back({"unread", "must be true or false"});
      q.unread_only = *v == "true";
    }
    if (auto c = req.QueryParam("cursor")) {
      if (!IsUuid(*c)) errors.push_back({"cursor", "is not a cursor from this endpoint"});
      q.before_id = *c;
    }
    if (auto l = req.QueryParam("limit"); l && !ParseBoundedInt(*l, 1, 200, &q.limit)) {
      errors.push_back({"limit", "must be an integer from 1 to 200"});
    }
    auto one_of = [&](const char* name, const std::vector<std::string>& allowed, std::string* out) {
      if (auto v = req.QueryParam(name)) {
        if (std::find(allowed.begin(), allowed.end(), *v) == allowed.end()) {
          std::string list;
          for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
          errors.push_back({name, "must be one of " + list});
        }
        *out = *v;
      }
    };
    one_of("kind", NotificationKinds(), &q.kind);
    one_of("channel", OutsideChannels(), &q.channel);
    one_of("status", {"queued", "sending", "sent", "failed", "dead"}, &q.status);
    for (auto [name, out] : {std::pair{"from", &q.from}, std::pair{"to", &q.to}}) {
      SystemTime t;
      if (auto v = req.QueryParam(name)) {
        if (!ParseTime(*v, &t)) errors.push_back({name, "must be an RFC 3339 time"});
        *out = FormatTime(t);
      }
    }
    if (!errors.empty()) {
      return ProblemResponse(Status::InvalidArgument("invalid query parameters", errors),
                             req.request_id);
    }
    auto items = notifier.History(q);
    const std::string& user = q.user_id;
    const int limit = q.limit;
    if (!items) return ProblemResponse(items.error(), req.request_id);
    boost::json::array arr;
    for (const auto& i : *items) {
      boost::json::object o{{"id", i.id},
                            {"kind", i.kind},
                            {"title", i.title},
                            {"body", i.body},
                            {"createdAt", i.created_at}};
      o["reportId"] = i.report_id ? boost::json::value(*i.report_id) : nullptr;
      o["readAt"] = i.read_at ? boost::json::value(*i.read_at) : nullptr;
      if (user.empty() || user != req.principal->user_id) o["userId"] = i.user_id;
      boost::json::array deliveries;
      for (const auto& d : i.deliveries) {
        deliveries.push_back(
            boost::json::object{{"channel", d.channel},
                                {"status", d.status},
                                {"attempts", d.attempts},
                                {"response", d.response ? boost::json::value(*d.response)
                                                        : boost::json::value(nullptr)},
                                {"updatedAt", d.updated_at}});
      }
      o["deliveries"] = std::move(deliveries);
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
