// Serves the built web app (web/dist): hashed assets cached for a year, everything else
// revalidated, and client-side routes answered with index.html.
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/app.h"
#include "http/problem.h"

namespace cleanai {
namespace {

std::string MimeType(const std::string& path) {
  static const std::pair<const char*, const char*> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".json", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".txt", "text/plain; charset=utf-8"},
      {".woff2", "font/woff2"},
  };
  for (const auto& [ext, type] : kTypes) {
    size_t n = std::strlen(ext);
    if (path.size() >= n && path.compare(path.size() - n, n, ext) == 0) return type;
  }
  return "application/octet-stream";
}

bool ReadFile(const std::filesystem::path& p, std::string* out) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(p, ec)) return false;
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return static_cast<bool>(in) || in.eof();
}

}  // namespace

void RegisterWebRoutes(App& app) {
  std::filesystem::path root = app.config.web_root;
  app.router.SetFallback([root](HttpRequest& req) {
    std::string rel = req.path == "/" ? "index.html" : req.path.substr(1);
    // Only plain relative paths inside the root: no "..", no hidden files.
    for (const auto& part : std::filesystem::path(rel)) {
      std::string s = part.string();
      if (s == ".." || (!s.empty() && s[0] == '.')) {
        return ProblemResponse(404, "Not Found", "no such resource", req.request_id);
      }
    }
    std::string body;
    if (ReadFile(root / rel, &body)) {
      HttpResponse r = HttpResponse::Text(200, MimeType(rel), std::move(body));
      bool hashed = rel.rfind("assets/", 0) == 0;
      r.SetHeader("Cache-Control", hashed ? "public, max-age=31536000, immutable" : "no-cache");
      return r;
    }
    // A client-side route (no extension in the last segment): the app decides.
    std::string last = std::filesystem::path(rel).filename().string();
    if (last.find('.') == std::string::npos && ReadFile(root / "index.html", &body)) {
      HttpResponse r = HttpResponse::Text(200, "text/html; charset=utf-8", std::move(body));
      r.SetHeader("Cache-Control", "no-cache");
      return r;
    }
    return ProblemResponse(404, "Not Found", "no such resource: " + req.path, req.request_id);
  });
}

}  // namespace cleanai
