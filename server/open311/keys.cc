// SPDX-License-Identifier: AGPL-3.0-or-later
// Open311 API keys: the store and the admin endpoints.
#include <boost/json.hpp>

#include "core/crypto.h"
#include "http/json_input.h"
#include "http/problem.h"
#include "open311/open311.h"

namespace cleanai {

Result<IssuedOpen311Key> Open311Keys::Create(const std::string& name, const ClientInfo& client) {
  std::string key = Base64UrlEncode(RandomBytes(24));
  // The service account: a random password nobody knows, so it can never sign in.
  std::string suffix = Sha256Hex(key).substr(0, 10);
  NewUser account{"open311-" + suffix, "open311-" + suffix + "@cleanai.local",
                  Base64UrlEncode(RandomBytes(24)), std::nullopt, "citizen"};
  auto user = auth_.CreateUser(account, client);
  if (!user) return Err(user.error());
  Open311Key k{NewUuidV7(), name, FormatTime(clock_.Now()), std::nullopt};
  auto ins = db_.Execute(
      "INSERT INTO open311_keys (id, name, key_hash, user_id, created_at) VALUES ($1, $2, $3, "
      "$4, $5)",
      {k.id, name, Sha256Hex(key), user->id, k.created_at});
  if (!ins) return Err(ins.error());
  return IssuedOpen311Key{std::move(k), std::move(key)};
}

Result<std::vector<Open311Key>> Open311Keys::List() {
  auto r = db_.Execute("SELECT id, name, created_at, revoked_at FROM open311_keys ORDER BY id");
  if (!r) return Err(r.error());
  std::vector<Open311Key> out;
  for (const auto& row : r->rows) {
    out.push_back({row.Text("id"), row.Text("name"), row.TimeText("created_at").value_or(""),
                   row.TimeText("revoked_at")});
  }
  return out;
}

Status Open311Keys::Revoke(const std::string& id) {
  if (!IsUuid(id)) return Status::NotFound("no such key");
  auto r =
      db_.Execute("UPDATE open311_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
                  {FormatTime(clock_.Now()), id});
  if (!r) return r.error();
  if (r->affected_rows == 0) return Status::NotFound("no such key");
  return Status::Ok();
}

Result<Principal> Open311Keys::Owner(const std::string& key) {
  if (key.empty() || key.size() > 128)
    return Err(Status::PermissionDenied("api_key is missing or invalid"));
  auto r = db_.Execute(
      "SELECT k.user_id, u.username FROM open311_keys k JOIN users u ON u.id = k.user_id "
      "WHERE k.key_hash = $1 AND k.revoked_at IS NULL",
      {Sha256Hex(key)});
  if (!r) return Err(r.error());
  if (r->rows.empty())
    return Err(Status::PermissionDenied("api_key is missing, unknown or revoked"));
  return Principal{r->rows[0].Text("user_id"), r->rows[0].Text("username"), Role::kCitizen, ""};
}

void RegisterOpen311KeyRoutes(Router& router, Open311Keys& keys) {
  router.Add("POST", "/api/open311/keys", Access::Roles({Role::kAdmin}), [&keys](HttpRequest& req) {
    JsonInput in(req);
    auto name = in.String("name", {.required = true, .min = 1, .max = 100});
    if (Status st = in.Finish(); !st.ok()) return ProblemResponse(st, req.request_id);
    auto created = keys.Create(*name, ClientOf(req));
    if (!created) return ProblemResponse(created.error(), req.request_id);
    HttpResponse r = HttpResponse::Json(201, boost::json::object{{"id", created->key.id},
                                                                 {"name", created->key.name},
                                                                 {"apiKey", created->secret}});
    r.SetHeader("Cache-Control", "no-store");
    return r;
  });

  router.Add("GET", "/api/open311/keys", Access::Roles({Role::kAdmin}), [&keys](HttpRequest& req) {
    auto list = keys.List();
    if (!list) return ProblemResponse(list.error(), req.request_id);
    boost::json::array items;
    for (const auto& k : *list) {
      boost::json::object o{{"id", k.id}, {"name", k.name}, {"createdAt", k.created_at}};
      o["revokedAt"] = k.revoked_at ? boost::json::value(*k.revoked_at) : nullptr;
      items.push_back(std::move(o));
    }
    return HttpResponse::Json(200, boost::json::object{{"items", items}});
  });

  router.Add("DELETE", "/api/open311/keys/:id", Access::Roles({Role::kAdmin}),
             [&keys](HttpRequest& req) {
               if (Status st = keys.Revoke(req.path_params["id"]); !st.ok())
                 return ProblemResponse(st, req.request_id);
               return HttpResponse::NoContent();
             });
}

}  // namespace cleanai
