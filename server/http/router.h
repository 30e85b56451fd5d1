// SPDX-License-Identifier: AGPL-3.0-or-later
// The router: a plain function from request to response, testable without sockets.
// Patterns use `:name` segments (`/api/users/:id`); where two patterns match, the one with
// a fixed segment first wins, whatever the registration order. Each route declares who may call it;
// the router checks the bearer token through the Authenticator before the handler runs.
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "http/message.h"

namespace cleanai {

using Handler = std::function<HttpResponse(HttpRequest&)>;

// Who may call a route.
struct Access {
  bool authenticated = false;  // a valid access token is required
  std::set<Role> roles;        // if non-empty, the caller's role must be one of these
  // Public, but a token that is sent is checked and its principal given to the handler
  // (what anyone may see, plus what a signed-in reader may see of their own).
  bool optional_user = false;

  static Access Public() { return {}; }
  static Access OptionalUser() { return {false, {}, true}; }
  static Access AnyUser() { return {true, {}}; }
  static Access Roles(std::set<Role> r) { return {true, std::move(r)}; }
};

// Checks the request's credentials. Returns the principal, or Unauthenticated.
using Authenticator = std::function<Result<Principal>(const HttpRequest&)>;

struct RouteInfo {
  std::string method;
  std::string pattern;  // as registered, e.g. /api/users/:id
  Access access;
  bool upload = false;       // accepts multipart/form-data bodies streamed to a file
  int64_t upload_limit = 0;  // its own body limit in bytes; 0: the server's max_upload_bytes
  bool quick = false;        // a short read the server may run on its I/O thread (AddQuickRead)
};

class Router {
 public:
  void SetAuthenticator(Authenticator auth) { authenticator_ = std::move(auth); }

  // Registers `handler` for `method` and `pattern`. Later registrations of the same
  // method and pattern replace earlier ones.
  void Add(const std::string& method, const std::string& pattern, Access access, Handler handler);
  // Like Add, for a route that takes multipart/form-data uploads: the server streams such
  // a body to a temporary file (HttpRequest::body_file) under the upload size limit, or
  // under `limit` bytes when given (a trained model is larger than a photo).
  void AddUpload(const std::string& method, const std::string& pattern, Access access,
                 Handler handler, int64_t limit = 0);

  // Like Add, for a GET that never waits long: a cache lookup or a few indexed reads. The
  // server may run it on the connection's I/O thread instead of handing it to the worker
  // pool and back (two thread switches, most of the cost of such a request on 2 cores).
  // `slow_params`: query parameters that make a request slow (a text search), whose
  // requests go to the worker pool after all.
  void AddQuickRead(const std::string& pattern, Access access, Handler handler,
                    std::vector<std::string> slow_params = {});

  // Handles GET/HEAD requests that match no route and are outside /api/ and /media/
  // (the web app's pages and assets). Without it they are 404.
  void SetFallback(Handler handler) { fallback_ = std::move(handler); }

  // Whether `method` + `path` names an upload route.
  bool IsUploadRoute(const std::string& method, const std::string& path) const;
  // Its body limit: nullopt for no upload route, 0 for the server's max_upload_bytes.
  std::optional<int64_t> UploadLimit(const std::string& method, const std::string& path) const;
  // Whether this is a quick read: GET or HEAD of an AddQuickRead route, without its slow
  // parameters in `query` (the raw query string).
  bool IsQuickRoute(const std::string& method, const std::string& path,
                    const std::string& query) const;

  // Routes the request: 404 problem for an unknown path, 405 with Allow for a known path
  // and another method, 401/403 for failed access checks. Never throws: a handler's
  // exception becomes a 500 problem and is logged.
  HttpResponse Handle(HttpRequest& req) const;

  const std::vector<RouteInfo>& routes() const { return infos_; }

 private:
  struct Route {
    RouteInfo info;
    std::vector<std::string> segments;
    Handler handler;
    std::vector<std::string> slow_params;
  };
  using Segments = std::vector<std::string_view>;
  static bool Match(const std::vector<std::string>& pattern, const Segments& path);
  static void Capture(const std::vector<std::string>& pattern, const Segments& path,
                      std::map<std::string, std::string>* params);
  static bool MoreSpecific(const std::vector<std::string>& a, const std::vector<std::string>& b);
  // The most specific route for `method` (HEAD also finds GET) and `path`, or null.
  const Route* Find(const std::string& method, const Segments& path) const;
  void SetFlag(const std::string& method, const std::string& pattern, bool RouteInfo::*flag);

  // The candidates for a path: routes by segment count and first two segments ("*" where
  // either is a parameter), so a lookup compares a few patterns, not every one.
  static std::string IndexKey(size_t size, std::string_view first, std::string_view second);
  void Reindex();

  std::vector<Route> routes_;
  std::unordered_map<std::string, std::vector<size_t>> index_;
  std::vector<RouteInfo> infos_;
  Authenticator authenticator_;
  Handler fallback_;
};

// Splits "/a/b/c" into {"a","b","c"}.
std::vector<std::string> SplitPath(const std::string& path);

}  // namespace cleanai
