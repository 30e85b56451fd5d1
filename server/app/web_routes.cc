// SPDX-License-Identifier: AGPL-3.0-or-later
// Serves the built web app (web/dist): hashed assets cached for a year, everything else
// revalidated, and client-side routes answered with index.html. The build writes a
// brotli (.br) and a gzip (.gz) copy of every text asset; a browser that accepts one gets
// it (a phone on a slow network downloads a quarter of the bytes), with
// `Vary: Accept-Encoding` so caches keep the variants apart.
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/app.h"
#include "core/crypto.h"
#include "core/text.h"
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

// Whether the Accept-Encoding header accepts `coding` (a q-value of 0 refuses it).
bool Accepts(const std::string& header, std::string_view coding) {
  size_t pos = 0;
  while (pos < header.size()) {
    size_t end = header.find(',', pos);
    if (end == std::string::npos) end = header.size();
    std::string item = header.substr(pos, end - pos);
    pos = end + 1;
    size_t semi = item.find(';');
    std::string name = item.substr(0, semi);
    name.erase(0, name.find_first_not_of(" \t"));
    name.erase(name.find_last_not_of(" \t") + 1);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (name != coding && name != "*") continue;
    if (semi == std::string::npos) return true;
    std::string params = item.substr(semi + 1);
    size_t q = params.find("q=");
    if (q == std::string::npos) return true;
    return std::strtod(params.c_str() + q + 2, nullptr) > 0;
  }
  return false;
}

// The file at `path`, or its precompressed copy the client accepts (brotli first).
HttpResponse ServeFile(const HttpRequest& req, const std::filesystem::path& path,
                       const std::string& content_type, std::string body_if_plain) {
  const std::string accept = req.Header("accept-encoding").value_or("");
  std::string body;
  for (const auto& [coding, suffix] : {std::pair{"br", ".br"}, std::pair{"gzip", ".gz"}}) {
    std::filesystem::path packed = path;
    packed += suffix;
    if (!std::filesystem::exists(packed)) continue;
    if (Accepts(accept, coding) && ReadFile(packed, &body)) {
      HttpResponse r = HttpResponse::Text(200, content_type, std::move(body));
      r.SetHeader("Content-Encoding", coding);
      r.SetHeader("Vary", "Accept-Encoding");
      return r;
    }
  }
  HttpResponse r = HttpResponse::Text(200, content_type, std::move(body_if_plain));
  std::filesystem::path gz = path;
  gz += ".gz";
  if (std::filesystem::exists(gz)) r.SetHeader("Vary", "Accept-Encoding");
  return r;
}

// A public report's page carries Open Graph tags, so a shared link shows what and where
// (and the photo once the city has seen it) in a chat or a post. Only what the public
// JSON shows; nothing that names the reporter.
std::string WithOpenGraph(std::string html, const Report& r, const Config& cfg) {
  const WasteType* t = FindWasteType(r.waste_type);
  const std::string title =
      (t ? t->label : r.waste_type) + " waste: " + std::string(StatusName(r.status));
  std::string tags = "<meta property=\"og:type\" content=\"article\">";
  auto meta = [&tags](const char* property, const std::string& value) {
    tags +=
        "<meta property=\"" + std::string(property) + "\" content=\"" + EscapeMarkup(value) + "\">";
  };
  meta("og:title", title);
  meta("og:description", "Reported at " + r.address + (r.city ? ", " + *r.city : "") +
                             " on CleanAI, the city's waste reports.");
  meta("og:url", cfg.public_url + "/reports/" + r.id);
  meta("og:site_name", "CleanAI");
  if (PhotoIsPublic(r)) meta("og:image", cfg.public_url + MediaUrl(r.image_key));
  tags += "<meta name=\"twitter:card\" content=\"summary_large_image\">";
  tags += "<link rel=\"alternate\" type=\"application/atom+xml\" href=\"/feeds/reports/" + r.id +
          ".atom\">";
  const size_t head = html.find("</head>");
  if (head != std::string::npos) html.insert(head, tags);
  return html;
}

}  // namespace

void RegisterWebRoutes(App& app) {
  std::filesystem::path root = app.config.web_root;
  app.router.SetFallback([root, reports = app.reports.get(), &cfg = app.config](HttpRequest& req) {
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
      HttpResponse r = ServeFile(req, root / rel, MimeType(rel), std::move(body));
      bool hashed = rel.rfind("assets/", 0) == 0;
      r.SetHeader("Cache-Control", hashed ? "public, max-age=31536000, immutable" : "no-cache");
      return r;
    }
    const std::string prefix = "reports/";
    if (rel.rfind(prefix, 0) == 0 && IsUuid(rel.substr(prefix.size())) &&
        ReadFile(root / "index.html", &body)) {
      if (auto page = reports->GetPublic(rel.substr(prefix.size()))) {
        HttpResponse r = HttpResponse::Text(200, "text/html; charset=utf-8",
                                            WithOpenGraph(std::move(body), page->first, cfg));
        r.SetHeader("Cache-Control", "no-cache");
        return r;
      }
    }
    // A client-side route (no extension in the last segment): the app decides.
    std::string last = std::filesystem::path(rel).filename().string();
    if (last.find('.') == std::string::npos && ReadFile(root / "index.html", &body)) {
      HttpResponse r =
          ServeFile(req, root / "index.html", "text/html; charset=utf-8", std::move(body));
      r.SetHeader("Cache-Control", "no-cache");
      return r;
    }
    return ProblemResponse(404, "Not Found", "no such resource: " + req.path, req.request_id);
  });
}

}  // namespace cleanai
