// SPDX-License-Identifier: AGPL-3.0-or-later
#include "http/router.h"

#include "core/log.h"
#include "http/problem.h"

namespace cleanai {

namespace {
// Views into `path`, which must outlive them: no copies on the per-request path.
std::vector<std::string_view> PathSegments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (pos < path.size()) {
    if (path[pos] == '/') {
      ++pos;
      continue;
    }
    size_t end = path.find('/', pos);
    if (end == std::string_view::npos) end = path.size();
    out.push_back(path.substr(pos, end - pos));
    pos = end;
  }
  return out;
}
}  // namespace

std::vector<std::string> SplitPath(const std::string& path) {
  std::vector<std::string> out;
  for (std::string_view segment : PathSegments(path)) out.emplace_back(segment);
  return out;
}

void Router::Add(const std::string& method, const std::string& pattern, Access access,
                 Handler handler) {
  for (auto& r : routes_) {
    if (r.info.method == method && r.info.pattern == pattern) {
      r.handler = std::move(handler);
      r.info.access = access;
      return;
    }
  }
  routes_.push_back(Route{{method, pattern, access}, SplitPath(pattern), std::move(handler), {}});
  infos_.push_back(routes_.back().info);
  Reindex();
}

void Router::AddUpload(const std::string& method, const std::string& pattern, Access access,
                       Handler handler, int64_t limit) {
  Add(method, pattern, access, std::move(handler));
  SetFlag(method, pattern, &RouteInfo::upload);
  for (auto& r : routes_) {
    if (r.info.method == method && r.info.pattern == pattern) r.info.upload_limit = limit;
  }
}

void Router::AddQuickRead(const std::string& pattern, Access access, Handler handler,
                          std::vector<std::string> slow_params) {
  Add("GET", pattern, access, std::move(handler));
  SetFlag("GET", pattern, &RouteInfo::quick);
  for (auto& r : routes_) {
    if (r.info.method == "GET" && r.info.pattern == pattern) r.slow_params = slow_params;
  }
}

void Router::SetFlag(const std::string& method, const std::string& pattern, bool RouteInfo::*flag) {
  for (auto& r : routes_) {
    if (r.info.method == method && r.info.pattern == pattern) r.info.*flag = true;
  }
  for (auto& i : infos_) {
    if (i.method == method && i.pattern == pattern) i.*flag = true;
  }
}

std::string Router::IndexKey(size_t size, std::string_view first, std::string_view second) {
  std::string key = std::to_string(size);
  key.push_back('|');
  key += first;
  key.push_back('|');
  key += second;
  return key;
}

void Router::Reindex() {
  index_.clear();
  for (size_t i = 0; i < routes_.size(); ++i) {
    const auto& seg = routes_[i].segments;
    auto is_param = [](const std::string& s) { return !s.empty() && s[0] == ':'; };
    const bool literal = seg.size() >= 2 && !is_param(seg[0]) && !is_param(seg[1]);
    index_[literal ? IndexKey(seg.size(), seg[0], seg[1]) : IndexKey(seg.size(), "*", "*")]
        .push_back(i);
  }
}

const Router::Route* Router::Find(const std::string& method, const Segments& path) const {
  const Route* found = nullptr;
  auto consider = [&](const std::string& key) {
    auto bucket = index_.find(key);
    if (bucket == index_.end()) return;
    for (size_t i : bucket->second) {
      const Route& r = routes_[i];
      bool same_method = r.info.method == method || (method == "HEAD" && r.info.method == "GET");
      if (same_method && Match(r.segments, path) &&
          (!found || MoreSpecific(r.segments, found->segments))) {
        found = &r;
      }
    }
  };
  if (path.size() >= 2) consider(IndexKey(path.size(), path[0], path[1]));
  consider(IndexKey(path.size(), "*", "*"));
  return found;
}

bool Router::IsUploadRoute(const std::string& method, const std::string& path) const {
  return UploadLimit(method, path).has_value();
}

std::optional<int64_t> Router::UploadLimit(const std::string& method,
                                           const std::string& path) const {
  const Route* found = Find(method, PathSegments(path));
  if (!found || !found->info.upload) return std::nullopt;
  return found->info.upload_limit;
}

bool Router::IsQuickRoute(const std::string& method, const std::string& path,
                          const std::string& query) const {
  if (method != "GET" && method != "HEAD") return false;
  const Route* found = Find(method, PathSegments(path));
  if (!found || !found->info.quick) return false;
  for (const auto& name : found->slow_params) {
    for (size_t at = query.find(name + "="); at != std::string::npos;
         at = query.find(name + "=", at + 1)) {
      if (at == 0 || query[at - 1] == '&') return false;
    }
  }
  return true;
}

// The first segment where two patterns differ decides: a fixed segment beats a `:param`
// (so /api/fleet/plan wins over /api/fleet/:id whichever was registered first).
bool Router::MoreSpecific(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    bool a_param = !a[i].empty() && a[i][0] == ':';
    bool b_param = !b[i].empty() && b[i][0] == ':';
    if (a_param != b_param) return !a_param;
  }
  return false;
}

bool Router::Match(const std::vector<std::string>& pattern, const Segments& path) {
  if (pattern.size() != path.size()) return false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (!(!pattern[i].empty() && pattern[i][0] == ':') && pattern[i] != path[i]) return false;
  }
  return true;
}

void Router::Capture(const std::vector<std::string>& pattern, const Segments& path,
                     std::map<std::string, std::string>* params) {
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (!pattern[i].empty() && pattern[i][0] == ':') {
      (*params)[pattern[i].substr(1)] = std::string(path[i]);
    }
  }
}

HttpResponse Router::Handle(HttpRequest& req) const {
  const Segments segments = PathSegments(req.path);
  const Route* found = Find(req.method, segments);
  if (!found) {
    std::string allow;
    for (const auto& r : routes_) {
      if (Match(r.segments, segments) && allow.find(r.info.method) == std::string::npos) {
        allow += (allow.empty() ? "" : ", ") + r.info.method;
      }
    }
    if (!allow.empty()) {
      HttpResponse resp =
          ProblemResponse(405, "Method Not Allowed",
                          req.method + " is not allowed here; allowed: " + allow, req.request_id);
      resp.SetHeader("Allow", allow);
      resp.route = req.path;
      return resp;
    }
    bool api = req.path.rfind("/api/", 0) == 0 || req.path == "/api" ||
               req.path.rfind("/media/", 0) == 0 || req.path.rfind("/open311/", 0) == 0;
    if (fallback_ && !api && (req.method == "GET" || req.method == "HEAD")) {
      HttpResponse resp = fallback_(req);
      resp.route = "web";
      return resp;
    }
    HttpResponse resp =
        ProblemResponse(404, "Not Found", "no such resource: " + req.path, req.request_id);
    resp.route = "unmatched";
    return resp;
  }
  Capture(found->segments, segments, &req.path_params);

  HttpResponse resp;
  try {
    if (found->info.access.authenticated) {
      if (!authenticator_) {
        resp = ProblemResponse(Status::Internal("no authenticator configured"), req.request_id);
      } else if (auto principal = authenticator_(req); !principal) {
        resp = ProblemResponse(principal.error(), req.request_id);
        resp.SetHeader("WWW-Authenticate", "Bearer");
      } else if (!found->info.access.roles.empty() &&
                 !found->info.access.roles.count(principal->role)) {
        resp =
            ProblemResponse(Status::PermissionDenied("your role may not do this"), req.request_id);
      } else {
        req.principal = *principal;
        resp = found->handler(req);
      }
    } else if (found->info.access.optional_user && req.Header("authorization") && authenticator_) {
      if (auto principal = authenticator_(req); !principal) {
        resp = ProblemResponse(principal.error(), req.request_id);
        resp.SetHeader("WWW-Authenticate", "Bearer");
      } else {
        req.principal = *principal;
        resp = found->handler(req);
      }
    } else {
      resp = found->handler(req);
    }
  } catch (const std::exception& e) {
    LogError("handler threw",
             {{"route", found->info.pattern}, {"error", e.what()}, {"requestId", req.request_id}});
    resp = ProblemResponse(Status::Internal(e.what()), req.request_id);
  }
  resp.route = found->info.pattern;
  return resp;
}

}  // namespace cleanai
