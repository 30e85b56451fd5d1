// SPDX-License-Identifier: AGPL-3.0-or-later
#include "http/conditional.h"

#include <sodium.h>

#include <algorithm>

namespace cleanai {
namespace {

const std::string* HeaderOf(const HttpResponse& resp, std::string_view name) {
  for (const auto& [k, v] : resp.headers) {
    if (k.size() == name.size() && std::equal(k.begin(), k.end(), name.begin(), [](char a, char b) {
          return std::tolower(a) == std::tolower(b);
        }))
      return &v;
  }
  return nullptr;
}

// If-None-Match: "*" or a list of entity tags, weak ones compared weakly (RFC 9110 13.1.2).
bool Matches(const std::string& header, const std::string& etag) {
  size_t pos = 0;
  while (pos < header.size()) {
    size_t end = header.find(',', pos);
    if (end == std::string::npos) end = header.size();
    std::string tag = header.substr(pos, end - pos);
    tag.erase(0, tag.find_first_not_of(" \t"));
    tag.erase(tag.find_last_not_of(" \t") + 1);
    if (tag.rfind("W/", 0) == 0) tag.erase(0, 2);
    if (tag == "*" || tag == etag) return true;
    pos = end + 1;
  }
  return false;
}

}  // namespace

std::string EntityTag(std::string_view body) {
  // BLAKE2b-128 (libsodium): a strong validator at a fraction of SHA-256's cost per byte.
  unsigned char digest[16];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(body.data()),
                     body.size(), nullptr, 0);
  char hex[sizeof digest * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return "\"" + std::string(hex) + "\"";
}

bool IfNoneMatchNames(const HttpRequest& req, const std::string& etag) {
  auto wanted = req.Header("if-none-match");
  return wanted && wanted->size() <= 4096 && Matches(*wanted, etag);
}

void ApplyConditionalGet(const HttpRequest& req, HttpResponse& resp) {
  if ((req.method != "GET" && req.method != "HEAD") || resp.status != 200 || resp.event_stream ||
      resp.Body().empty() || resp.content_type.find("json") == std::string::npos) {
    return;
  }
  std::string etag;
  if (const std::string* set = HeaderOf(resp, "ETag")) {
    etag = *set;  // the handler's own (a kept answer's, http/response_cache.h)
  } else {
    if (const std::string* cc = HeaderOf(resp, "Cache-Control")) {
      if (cc->find("no-store") != std::string::npos) return;
    } else {
      resp.SetHeader("Cache-Control", "private, no-cache");
    }
    etag = EntityTag(resp.Body());
    resp.SetHeader("ETag", etag);
  }
  if (IfNoneMatchNames(req, etag)) {
    resp.status = 304;
    resp.ClearBody();
  }
}

}  // namespace cleanai
