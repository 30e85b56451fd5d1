// SPDX-License-Identifier: AGPL-3.0-or-later
// /api/auth/oidc/*: "Sign in with …". The browser is sent to the provider with a state,
// a nonce and a PKCE challenge whose secrets travel in a sealed, HttpOnly, ten-minute
// cookie bound to this browser (SameSite=Lax: it must come back on the provider's
// redirect). The callback checks the state, redeems the code once, and ends in the web
// app signed in (the same refresh cookie a password sign-in sets) or on the login page
// with an error code the app puts in words.
#include <boost/json.hpp>
#include <chrono>

#include "auth/auth.h"
#include "core/crypto.h"
#include "core/log.h"
#include "http/json_input.h"
#include "http/problem.h"

namespace cleanai {
namespace {

namespace json = boost::json;

constexpr const char* kFlowCookie = "cleanai_oidc";
constexpr const char* kFlowPath = "/api/auth/oidc";
constexpr const char* kSealPurpose = "oidc-flow";
constexpr int kFlowSeconds = 600;
constexpr const char* kSettingsPage = "/settings/notifications";  // where linking ends

std::string FlowCookie(const Config& cfg, const std::string& value, int max_age) {
  return std::string(kFlowCookie) + "=" + value + "; Path=" + kFlowPath +
         "; Max-Age=" + std::to_string(max_age) + "; HttpOnly; SameSite=Lax" +
         (SecureCookies(cfg) ? "; Secure" : "");
}

// Only a path on this site (no "//host", no scheme): an open redirect is a phishing tool.
// Browsers drop tabs and newlines from URLs and read '\\' as '/', so "/\t/evil.example"
// would become "//evil.example": no control characters, spaces or backslashes at all.
std::string SafeReturnPath(const std::optional<std::string>& wanted) {
  if (!wanted || wanted->empty() || wanted->size() > 300 || (*wanted)[0] != '/') return "/";
  for (unsigned char c : *wanted) {
    if (c <= 0x20 || c == 0x7f || c == '\\') return "/";
  }
  if (wanted->rfind("//", 0) == 0) return "/";
  return *wanted;
}

HttpResponse Redirect(const std::string& location) {
  HttpResponse resp = HttpResponse::NoContent();
  resp.status = 302;
  resp.SetHeader("Location", location);
  resp.SetHeader("Cache-Control", "no-store");
  return resp;
}

// Where a failed attempt lands: the login page (or the settings, for a link), with a code.
HttpResponse Failed(const Config& cfg, bool linking, const std::string& code) {
  HttpResponse resp =
      Redirect(std::string(linking ? kSettingsPage : "/login") + "?oidcError=" + code);
  resp.headers.emplace_back("Set-Cookie", FlowCookie(cfg, "", 0));
  return resp;
}

std::string Random() { return Base64UrlEncode(RandomBytes(32)); }

int64_t UnixNow(const Clock& clock) {
  return std::chrono::duration_cast<std::chrono::seconds>(clock.Now().time_since_epoch()).count();
}

OidcClient* Find(std::vector<std::unique_ptr<OidcClient>>& clients, const std::string& id) {
  for (auto& c : clients)
    if (c->provider().id == id) return c.get();
  return nullptr;
}

// Starts an attempt: the provider's URL, and the sealed cookie that must come back.
Result<std::pair<std::string, std::string>> Begin(OidcClient& client, const Config& cfg,
                                                  const std::string& secret, const Clock& clock,
                                                  const std::string& return_to,
                                                  const std::string& link_user) {
  const std::string state = Random(), nonce = Random(), verifier = Random();
  auto url = client.AuthorizationUrl(state, nonce, PkceChallenge(verifier));
  if (!url) return Err(url.error());
  json::object flow{{"p", client.provider().id},
                    {"s", state},
                    {"n", nonce},
                    {"v", verifier},
                    {"r", return_to},
                    {"u", link_user},
                    {"e", UnixNow(clock) + kFlowSeconds}};
  return std::make_pair(
      *url, FlowCookie(cfg, SealText(secret, kSealPurpose, json::serialize(flow)), kFlowSeconds));
}

}  // namespace

void RegisterOidcRoutes(Router& router, AuthService& auth,
                        std::vector<std::unique_ptr<OidcClient>>& clients, const Clock& clock) {
  const Config& cfg = auth.config();

  router.Add("GET", "/api/auth/oidc/providers", Access::Public(), [&clients](HttpRequest&) {
    json::array out;
    for (const auto& c : clients)
      out.push_back(json::object{{"id", c->provider().id}, {"name", c->provider().display_name}});
    return HttpResponse::Json(200, json::object{{"providers", std::move(out)}});
  });

  router.Add("GET", "/api/auth/oidc/:provider/start", Access::Public(),
             [&auth, &clients, &cfg, &clock](HttpRequest& req) {
               OidcClient* client = Find(clients, req.path_params["provider"]);
               if (!client)
                 return ProblemResponse(Status::NotFound("no such provider"), req.request_id);
               auto begun = Begin(*client, cfg, auth.FlowSecret(), clock,
                                  SafeReturnPath(req.QueryParam("returnTo")), "");
               if (!begun) {
                 LogWarn("sign-in provider unavailable",
                         {{"provider", client->provider().id}, {"error", begun.error().message()}});
                 return Failed(cfg, false, "unavailable");
               }
               HttpResponse resp = Redirect(begun->first);
               resp.headers.emplace_back("Set-Cookie", begun->second);
               return resp;
             });

  // Linking starts from the signed-in app (a bearer token), which then navigates to `url`.
  router.Add("POST", "/api/auth/oidc/:provider/link", Access::AnyUser(),
             [&auth, &clients, &cfg, &clock](HttpRequest& req) {
               OidcClient* client = Find(clients, req.path_params["provider"]);
               if (!client)
                 return ProblemResponse(Status::NotFound("no such provider"), req.request_id);
               auto begun = Begin(*client, cfg, auth.FlowSecret(), clock, kSettingsPage,
                                  req.principal->user_id);
               if (!begun) return ProblemResponse(begun.error(), req.request_id);
               HttpResponse resp = HttpResponse::Json(200, json::object{{"url", begun->first}});
               resp.headers.emplace_back("Set-Cookie", begun->second);
               resp.SetHeader("Cache-Control", "no-store");
               return resp;
             });

  router.Add(
      "GET", "/api/auth/oidc/:provider/callback", Access::Public(),
      [&auth, &clients, &cfg, &clock](HttpRequest& req) {
        OidcClient* client = Find(clients, req.path_params["provider"]);
        if (!client) return ProblemResponse(Status::NotFound("no such provider"), req.request_id);
        // The attempt this browser started: sealed by us, unexpired, for this provider.
        std::string text;
        auto sealed = req.Cookie(kFlowCookie);
        json::value flow;
        if (sealed && OpenSealedText(auth.FlowSecret(), kSealPurpose, *sealed, &text)) {
          boost::system::error_code ec;
          flow = json::parse(text, ec);
          if (ec) flow = nullptr;
        }
        if (!flow.is_object() || flow.at("p").as_string() != client->provider().id ||
            flow.at("e").to_number<int64_t>() < UnixNow(clock)) {
          return Failed(cfg, false, "expired");
        }
        const json::object& f = flow.as_object();
        const std::string link_user(f.at("u").as_string());
        const bool linking = !link_user.empty();
        auto state = req.QueryParam("state");
        if (!state || !ConstantTimeEquals(*state, std::string(f.at("s").as_string()))) {
          return Failed(cfg, linking, "state");
        }
        if (auto error = req.QueryParam("error")) {
          return Failed(cfg, linking, *error == "access_denied" ? "denied" : "provider");
        }
        auto code = req.QueryParam("code");
        if (!code || code->empty() || code->size() > 2048) return Failed(cfg, linking, "provider");
        auto who = client->Redeem(*code, std::string(f.at("v").as_string()),
                                  std::string(f.at("n").as_string()));
        if (!who) {
          LogWarn("sign-in with a provider refused",
                  {{"provider", client->provider().id}, {"reason", who.error().message()}});
          return Failed(cfg, linking,
                        who.error().code() == StatusCode::kUnavailable ? "unavailable" : "token");
        }
        auto session = auth.SignInWithIdentity(
            client->provider(), *who,
            linking ? std::optional<std::string>(link_user) : std::nullopt, ClientOf(req));
        if (!session) {
          const Status& e = session.error();
          const std::string& m = e.message();
          std::string code_word = "failed";
          for (const char* known : {"account-exists", "email-unverified", "admin-provider",
                                    "identity-taken", "no-email", "inactive"}) {
            if (m == known) code_word = known;
          }
          if (code_word == "failed") {
            LogError("sign-in with a provider failed", {{"error", m}});
            if (e.code() == StatusCode::kUnavailable) code_word = "unavailable";
          }
          return Failed(cfg, linking, code_word);
        }
        HttpResponse resp =
            Redirect(linking ? kSettingsPage + std::string("?linked=") + client->provider().id
                             : std::string(f.at("r").as_string()));
        resp.headers.emplace_back("Set-Cookie", FlowCookie(cfg, "", 0));  // used: gone
        AddSessionCookies(resp, cfg, *session);
        return resp;
      });

  router.Add("GET", "/api/auth/identities", Access::AnyUser(), [&auth](HttpRequest& req) {
    auto list = auth.ListIdentities(req.principal->user_id);
    if (!list) return ProblemResponse(list.error(), req.request_id);
    json::array out;
    for (const auto& i : *list) {
      json::object o{{"id", i.id}, {"provider", i.provider_id}, {"createdAt", i.created_at}};
      o["email"] = i.email.empty() ? json::value(nullptr) : json::value(i.email);
      o["lastUsedAt"] = i.last_used_at ? json::value(*i.last_used_at) : json::value(nullptr);
      out.push_back(std::move(o));
    }
    return HttpResponse::Json(200, json::object{{"identities", std::move(out)}});
  });

  router.Add("DELETE", "/api/auth/identities/:id", Access::AnyUser(), [&auth](HttpRequest& req) {
    Status st = auth.RemoveIdentity(req.principal->user_id, req.path_params["id"], ClientOf(req));
    if (!st.ok()) return ProblemResponse(st, req.request_id);
    return HttpResponse::NoContent();
  });

  router.Add("GET", "/api/auth/oidc/policy", Access::Roles({Role::kAdmin}),
             [&auth](HttpRequest& req) {
               auto p = auth.AdminProvider();
               if (!p) return ProblemResponse(p.error(), req.request_id);
               json::object out;
               out["adminsSignInWith"] = p->empty() ? json::value(nullptr) : json::value(*p);
               return HttpResponse::Json(200, out);
             });

  router.Add(
      "PUT", "/api/auth/oidc/policy", Access::Roles({Role::kAdmin}), [&auth](HttpRequest& req) {
        JsonInput in(req);
        std::optional<std::string> provider;
        if (in.IsNull("adminsSignInWith")) {
          in.Ignore("adminsSignInWith");  // null: any way in, passwords included
        } else {
          provider = in.String("adminsSignInWith", {.required = true, .min = 1, .max = 32});
        }
        if (Status st = in.Finish(); !st.ok()) return ProblemResponse(st, req.request_id);
        Status st = auth.SetAdminProvider(*req.principal, provider.value_or(""), ClientOf(req));
        if (!st.ok()) return ProblemResponse(st, req.request_id);
        json::object out;
        out["adminsSignInWith"] =
            provider && !provider->empty() ? json::value(*provider) : json::value(nullptr);
        return HttpResponse::Json(200, out);
      });
}

}  // namespace cleanai
