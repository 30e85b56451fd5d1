// API keys for Open311 clients. A key is shown once; only its SHA-256 is stored. Each key
// files reports as its own service account (a citizen-role user that cannot log in), so
// Open311 reports go through exactly the same pipeline as the web app's.
#include <boost/json.hpp>

#include "auth/auth.h"
#include "core/crypto.h"
#include "http/json_input.h"
#include "http/problem.h"
#include "open311/open311.h"

namespace cleanai {

Result<Principal> Open311KeyOwner(Database& db, const std::string& key) {
  if (key.empty() || key.size() > 128) return Err(Status::PermissionDenied("api_key is missing or invalid"));
  auto r = db.Execute(
      "SELECT k.user_id, u.username FROM open311_keys k JOIN users u ON u.id = k.user_id "
      "WHERE k.key_hash = $1 AND k.revoked_at IS NULL",
      {Sha256Hex(key)});
  if (!r) return Err(r.error());
  if (r->rows.empty()) return Err(Status::PermissionDenied("api_key is missing, unknown or revoked"));
  return Principal{r->rows[0].Text("user_id"), r->rows[0].Text("username"), "citizen", ""};
}

void RegisterOpen311KeyRoutes(Router& router, Database& db, AuthService& auth,
                              const Clock& clock) {
  router.Add("POST", "/api/open311/keys", Access::Roles({"admin"}), [&db, &auth, &clock](HttpRequest& req) {
    JsonInput in(req);
    auto name = in.String("name", {.required = true, .min = 1, .max = 100});
    if (Status st = in.Finish(); !st.ok()) return ProblemResponse(st, req.request_id);
    std::string key = Base64UrlEncode(RandomBytes(24));
    // The service account: a random password nobody knows, so it can never sign in.
    std::string suffix = Sha256Hex(key).substr(0, 10);
    NewUser account{"open311-" + suffix, "open311-" + suffix + "@cleanai.local",
                    Base64UrlEncode(RandomBytes(24)), std::nullopt, "citizen"};
    auto user = auth.CreateUser(account, ClientOf(req));
    if (!user) return ProblemResponse(user.error(), req.request_id);
    std::string id = NewUuidV7();
    auto ins = db.Execute(
        "INSERT INTO open311_keys (id, name, key_hash, user_id, created_at) VALUES ($1, $2, $3, "
        "$4, $5)",
        {id, *name, Sha256Hex(key), user->id, FormatTime(clock.Now())});
    if (!ins) return ProblemResponse(ins.error(), req.request_id);
    HttpResponse r = HttpResponse::Json(
        201, boost::json::object{{"id", id}, {"name", *name}, {"apiKey", key}});
    r.SetHeader("Cache-Control", "no-store");
    return r;
  });

  router.Add("GET", "/api/open311/keys", Access::Roles({"admin"}), [&db](HttpRequest& req) {
    auto r = db.Execute("SELECT id, name, created_at, revoked_at FROM open311_keys ORDER BY id");
    if (!r) return ProblemResponse(r.error(), req.request_id);
    boost::json::array items;
    for (const auto& row : r->rows) {
      boost::json::object o{{"id", row.Text("id")}, {"name", row.Text("name")},
                            {"createdAt", row.TimeText("created_at").value_or("")}};
      auto revoked = row.Time("revoked_at");
      o["revokedAt"] = revoked ? boost::json::value(FormatTime(*revoked)) : nullptr;
      items.push_back(std::move(o));
    }
    return HttpResponse::Json(200, boost::json::object{{"items", items}});
  });

  router.Add("DELETE", "/api/open311/keys/:id", Access::Roles({"admin"}), [&db, &clock](HttpRequest& req) {
    const std::string& id = req.path_params["id"];
    if (!IsUuid(id)) return ProblemResponse(Status::NotFound("no such key"), req.request_id);
    auto r = db.Execute(
        "UPDATE open311_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
        {FormatTime(clock.Now()), id});
    if (!r) return ProblemResponse(r.error(), req.request_id);
    if (r->affected_rows == 0) return ProblemResponse(Status::NotFound("no such key"), req.request_id);
    return HttpResponse::NoContent();
  });
}

}  // namespace cleanai
