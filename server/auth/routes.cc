// SPDX-License-Identifier: AGPL-3.0-or-later
// HTTP handlers for /api/auth and /api/users: parse, call AuthService, map the result.
#include <strings.h>

#include <boost/json.hpp>

#include "auth/auth.h"
#include "core/crypto.h"
#include "http/json_input.h"
#include "http/problem.h"

namespace cleanai {
namespace {

constexpr const char* kRefreshCookie = "cleanai_refresh";
constexpr const char* kCookiePath = "/api/auth";
// Not a secret: tells the web app a refresh cookie exists (that one is HttpOnly), so a
// visitor who never signed in causes no refresh request and no error.
constexpr const char* kSignedInCookie = "cleanai_signed_in";
// A device that signed in before (see AuthService::Login): a year, HttpOnly.
constexpr const char* kDeviceCookie = "cleanai_device";
constexpr int kDeviceCookieSeconds = 365 * 24 * 3600;

boost::json::object UserJson(const User& u) {
  boost::json::object o{{"id", u.id},
                        {"username", u.username},
                        {"email", u.email},
                        {"role", u.role},
                        {"isActive", u.is_active},
                        {"createdAt", u.created_at},
                        {"updatedAt", u.updated_at},
                        {"reportsSubmitted", u.reports_submitted},
                        {"reportsResolved", u.reports_resolved}};
  o["phone"] = u.phone ? boost::json::value(*u.phone) : nullptr;
  o["lastLogin"] = u.last_login ? boost::json::value(*u.last_login) : nullptr;
  return o;
}

void AddCookie(HttpResponse& resp, const Config& cfg, const std::string& name,
               const std::string& value, const std::string& path, int max_age, bool http_only) {
  std::string cookie = name + "=" + value + "; Path=" + path +
                       "; Max-Age=" + std::to_string(max_age) + (http_only ? "; HttpOnly" : "") +
                       "; SameSite=Strict";
  if (SecureCookies(cfg)) cookie += "; Secure";
  resp.headers.emplace_back("Set-Cookie", std::move(cookie));
}

// Sets (or, with an empty token and 0, clears) the refresh cookie and its visible hint.
void SetRefreshCookie(HttpResponse& resp, const Config& cfg, const std::string& token,
                      int max_age) {
  AddCookie(resp, cfg, kRefreshCookie, token, kCookiePath, max_age, true);
  AddCookie(resp, cfg, kSignedInCookie, token.empty() ? "" : "1", "/", max_age, false);
}

HttpResponse SessionResponse(int status, const Session& s, const Config& cfg) {
  boost::json::object body{{"accessToken", s.access_token},
                           {"refreshToken", s.refresh_token},
                           {"tokenType", "Bearer"},
                           {"expiresIn", s.access_expires_in},
                           {"user", UserJson(s.user)}};
  HttpResponse resp = HttpResponse::Json(status, body);
  resp.SetHeader("Cache-Control", "no-store");
  SetRefreshCookie(resp, cfg, s.refresh_token, s.refresh_expires_in);
  if (!s.device_token.empty()) {
    AddCookie(resp, cfg, kDeviceCookie, s.device_token, kCookiePath, kDeviceCookieSeconds, true);
  }
  return resp;
}

// A request authenticated by a cookie alone must come from one of our own origins:
// SameSite=Strict already stops most cross-site requests; this stops the rest (CSRF).
Status CheckCookieOrigin(const HttpRequest& req, const Config& cfg) {
  auto origin = req.Header("origin");
  if (!origin) return Status::PermissionDenied("cookie-authenticated requests need an Origin");
  if (*origin == OriginOf(cfg.public_url)) return Status::Ok();
  // Same origin as the request itself: the page was served by this server under this
  // host name (a cross-site page cannot send our Host with its own Origin).
  size_t scheme = origin->find("://");
  auto host = req.Header("host");
  if (scheme != std::string::npos && host && origin->substr(scheme + 3) == *host) {
    return Status::Ok();
  }
  for (const auto& o : cfg.cors_origins) {
    if (*origin == o) return Status::Ok();
  }
  return Status::PermissionDenied("origin not allowed");
}

std::string BearerToken(const HttpRequest& req) {
  auto h = req.Header("authorization");
  if (!h || h->size() < 8 || strncasecmp(h->c_str(), "Bearer ", 7) != 0) return "";
  return h->substr(7);
}

// Reads the refresh token from the JSON body or, for browsers, the HttpOnly cookie.
Result<std::string> RefreshTokenFrom(const HttpRequest& req, const Config& cfg) {
  if (!req.body.empty()) {
    JsonInput in(req);
    auto token = in.String("refreshToken", {.required = true, .min = 1, .max = 128});
    if (Status st = in.Finish(); !st.ok()) return Err(st);
    return *token;
  }
  auto cookie = req.Cookie(kRefreshCookie);
  if (!cookie || cookie->empty()) {
    // Not signed in: an expected state, answered as such (401), not as bad input.
    return Err(Status::Unauthenticated("not signed in: no refresh token"));
  }
  CLEANAI_RETURN_IF_ERROR(CheckCookieOrigin(req, cfg));
  return *cookie;
}

}  // namespace

bool SecureCookies(const Config& cfg) {
  return cfg.tls_enabled() || cfg.public_url.rfind("https://", 0) == 0;
}

void AddSessionCookies(HttpResponse& resp, const Config& cfg, const Session& session) {
  SetRefreshCookie(resp, cfg, session.refresh_token, session.refresh_expires_in);
}

Result<Principal> AuthenticateRequest(AuthService& auth, const HttpRequest& req) {
  std::string token = BearerToken(req);
  // EventSource cannot send headers: the SSE route alone takes the token in the query.
  if (token.empty() && req.path == "/api/events")
    token = req.QueryParam("accessToken").value_or("");
  if (token.empty()) return Err(Status::Unauthenticated("missing bearer token"));
  return auth.Authenticate(token);
}

void RegisterAuthRoutes(Router& router, AuthService& auth) {
  const Config& cfg = auth.config();
  router.Add("POST", "/api/auth/register", Access::Public(), [&auth, &cfg](HttpRequest& req) {
    JsonInput in(req);
    NewUser u;
    u.username = in.String("username", {.required = true, .max = 50}).value_or("");
    u.email = in.String("email", {.required = true, .max = 255}).value_or("");
    u.password = in.String("password", {.required = true, .max = 128}).value_or("");
    u.phone = in.String("phone", {.max = 16});
    if (Status st = in.Finish(); !st.ok()) return ProblemResponse(st, req.request_id);
    auto s = auth.Register(u, ClientOf(req));
    if (!s) return ProblemResponse(s.error(), req.request_id);
    return SessionResponse(201, *s, cfg);
  });

  router.Add("POST", "/api/auth/login", Access::Public(), [&auth, &cfg](HttpRequest& req) {
    JsonInput in(req);
    // "username" accepts a username or an email, as the seed's login form does.
    auto login = in.String("username", {.required = true, .min = 1, .max = 255});
    auto password = in.String("password", {.required = true, .min = 1, .max = 128});
    if (Status st = in.Finish(); !st.ok()) return ProblemResponse(st, req.request_id);
    // The device cookie is only ever sent to /api/auth (its Path) by this site's pages.
    auto s = auth.Login(*login, *password, ClientOf(req), req.Cookie(kDeviceCookie).value_or(""));
    if (!s) return ProblemResponse(s.error(), req.request_id);
    return SessionResponse(200, *s, cfg);
  });

  router.Add("POST", "/api/auth/refresh", Access::Public(), [&auth, &cfg](HttpRequest& req) {
    auto token = RefreshTokenFrom(req, cfg);
    if (!token) return ProblemResponse(token.error(), req.request_id);
    auto s = auth.Refresh(*token, ClientOf(req));
    if (!s) {
      HttpResponse resp = ProblemResponse(s.error(), req.request_id);
      SetRefreshCookie(resp, cfg, "", 0);  // a dead token should not be sent again
      return resp;
    }
    return SessionResponse(200, *s, cfg);
  });

  // Ends a session. A valid access token ends its own; a refresh token (body, as RFC 7009's
  // revocation, or the browser's cookie) ends its family even when the access token has
  // expired. Unknown tokens are not an error; no token at all is a 401.
  router.Add("POST", "/api/auth/logout", Access::Public(), [&auth, &cfg](HttpRequest& req) {
    std::optional<std::string> refresh;
    if (!req.body.empty()) {
      JsonInput in(req);
      refresh = in.String("refreshToken", {.min = 1, .max = 128});
      if (Status st = in.Finish(); !st.ok()) return ProblemResponse(st, req.request_id);
    }
    if (!refresh) {
      if (auto cookie = req.Cookie(kRefreshCookie); cookie && !cookie->empty()) {
        if (Status st = CheckCookieOrigin(req, cfg); !st.ok())
          return ProblemResponse(st, req.request_id);
        refresh = *cookie;
      }
    }
    std::optional<std::string> session;
    if (std::string bearer = BearerToken(req); !bearer.empty()) {
      auto who = auth.Authenticate(bearer);
      if (who)
        session = who->session_id;
      else if (!refresh)
        return ProblemResponse(who.error(), req.request_id);
    }
    if (!session && !refresh) {
      return ProblemResponse(Status::Unauthenticated("not signed in: no token to revoke"),
                             req.request_id);
    }
    if (session) {
      if (Status st = auth.Logout(*session); !st.ok()) return ProblemResponse(st, req.request_id);
    }
    if (refresh) {
      if (Status st = auth.RevokeRefreshToken(*refresh); !st.ok()) {
        return ProblemResponse(st, req.request_id);
      }
    }
    HttpResponse resp = HttpResponse::NoContent();
    SetRefreshCookie(resp, cfg, "", 0);
    return resp;
  });

  router.Add("GET", "/api/auth/me", Access::AnyUser(), [&auth](HttpRequest& req) {
    auto u = auth.GetUser(req.principal->user_id);
    if (!u) return ProblemResponse(u.error(), req.request_id);
    HttpResponse resp = HttpResponse::Json(200, UserJson(*u));
    resp.SetHeader("Cache-Control", "no-store");
    return resp;
  });

  router.Add("PUT", "/api/auth/password", Access::AnyUser(), [&auth](HttpRequest& req) {
    JsonInput in(req);
    auto current = in.String("currentPassword", {.required = true, .min = 1, .max = 128});
    auto next = in.String("newPassword", {.required = true, .min = 1, .max = 128});
    if (Status st = in.Finish(); !st.ok()) return ProblemResponse(st, req.request_id);
    Status st = auth.ChangePassword(*req.principal, req.principal->session_id, *current, *next,
                                    ClientOf(req));
    if (!st.ok()) return ProblemResponse(st, req.request_id);
    return HttpResponse::NoContent();
  });

  router.Add("GET", "/api/users", Access::Roles({Role::kAdmin}), [&auth](HttpRequest& req) {
    UserFilter f;
    std::vector<FieldError> errors;
    if (auto role = req.QueryParam("role")) {
      if (!ParseRole(*role)) {
        errors.push_back({"role", "must be citizen, driver or admin"});
      }
      f.role = *role;
    }
    if (auto active = req.QueryParam("active")) {
      if (*active != "true" && *active != "false") {
        errors.push_back({"active", "must be true or false"});
      }
      f.active = *active == "true";
    }
    if (auto q = req.QueryParam("q")) {
      if (q->size() > 100) errors.push_back({"q", "must be at most 100 characters"});
      f.query = *q;
    }
    if (auto limit = req.QueryParam("limit"); limit && !ParseBoundedInt(*limit, 1, 200, &f.limit)) {
      errors.push_back({"limit", "must be an integer from 1 to 200"});
    }
    if (auto cursor = req.QueryParam("cursor")) {
      if (!IsUuid(*cursor)) {
        errors.push_back({"cursor", "is not a cursor returned by this endpoint"});
      } else {
        f.after_id = *cursor;
      }
    }
    if (!errors.empty()) {
      return ProblemResponse(Status::InvalidArgument("invalid query parameters", errors),
                             req.request_id);
    }
    auto users = auth.ListUsers(f);
    if (!users) return ProblemResponse(users.error(), req.request_id);
    boost::json::array items;
    for (const auto& u : *users) items.push_back(UserJson(u));
    boost::json::object body{{"items", std::move(items)}};
    body["nextCursor"] = static_cast<int>(users->size()) == f.limit
                             ? boost::json::value(users->back().id)
                             : boost::json::value(nullptr);
    return HttpResponse::Json(200, body);
  });

  router.Add("PATCH", "/api/users/:id", Access::Roles({Role::kAdmin}), [&auth](HttpRequest& req) {
    JsonInput in(req);
    UserChange change;
    change.role = in.String("role", {.max = 20});
    change.is_active = in.Bool("isActive");
    if (Status st = in.Finish(); !st.ok()) return ProblemResponse(st, req.request_id);
    if (!change.role && !change.is_active) {
      return ProblemResponse(
          Status::InvalidArgument("nothing to change", {{"role", "give role or isActive"}}),
          req.request_id);
    }
    auto u = auth.UpdateUser(*req.principal, req.path_params["id"], change, ClientOf(req));
    if (!u) return ProblemResponse(u.error(), req.request_id);
    return HttpResponse::Json(200, UserJson(*u));
  });
}

}  // namespace cleanai
