// SPDX-License-Identifier: AGPL-3.0-or-later
#include "http/message.h"

#include <boost/json/serialize.hpp>
#include <cmath>
#include <cstdlib>

namespace cleanai {

std::optional<std::string> HttpRequest::Header(const std::string& name) const {
  auto it = headers.find(name);
  if (it == headers.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> HttpRequest::QueryParam(const std::string& name) const {
  size_t pos = 0;
  while (pos <= query.size()) {
    size_t amp = query.find('&', pos);
    if (amp == std::string::npos) amp = query.size();
    std::string pair = query.substr(pos, amp - pos);
    size_t eq = pair.find('=');
    std::string key = pair.substr(0, eq);
    std::string decoded_key;
    if (PercentDecode(key, true, &decoded_key) && decoded_key == name) {
      std::string value;
      if (eq == std::string::npos) return std::string();
      if (!PercentDecode(pair.substr(eq + 1), true, &value)) return std::nullopt;
      return value;
    }
    pos = amp + 1;
  }
  return std::nullopt;
}

std::optional<std::string> HttpRequest::Cookie(const std::string& name) const {
  auto header = Header("cookie");
  if (!header) return std::nullopt;
  const std::string& h = *header;
  size_t pos = 0;
  while (pos < h.size()) {
    while (pos < h.size() && (h[pos] == ' ' || h[pos] == ';')) ++pos;
    size_t end = h.find(';', pos);
    if (end == std::string::npos) end = h.size();
    std::string item = h.substr(pos, end - pos);
    size_t eq = item.find('=');
    if (eq != std::string::npos && item.substr(0, eq) == name) return item.substr(eq + 1);
    pos = end + 1;
  }
  return std::nullopt;
}

ClientInfo ClientOf(const HttpRequest& req) {
  return {req.remote_address, req.Header("user-agent").value_or("").substr(0, 512)};
}

void HttpResponse::SetHeader(std::string name, std::string value) {
  for (auto& h : headers) {
    if (h.first == name) {
      h.second = std::move(value);
      return;
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
}

HttpResponse HttpResponse::Json(int status, const boost::json::value& body) {
  HttpResponse r;
  r.status = status;
  r.body = boost::json::serialize(body);
  return r;
}

HttpResponse HttpResponse::NoContent() {
  HttpResponse r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

HttpResponse HttpResponse::Text(int status, std::string content_type, std::string body) {
  HttpResponse r;
  r.status = status;
  r.content_type = std::move(content_type);
  r.body = std::move(body);
  return r;
}

std::string OriginOf(const std::string& url) {
  size_t scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  return url.substr(0, url.find('/', scheme + 3));
}

bool ParseBoundedInt(const std::string& text, long lo, long hi, int* out) {
  if (text.empty() || text.size() > 12) return false;
  char* end = nullptr;
  long v = std::strtol(text.c_str(), &end, 10);
  if (*end != '\0' || v < lo || v > hi) return false;
  *out = static_cast<int>(v);
  return true;
}

bool ParseFiniteDouble(const std::string& text, double* out) {
  if (text.empty() || text.size() > 32) return false;
  char* end = nullptr;
  *out = std::strtod(text.c_str(), &end);
  return *end == '\0' && std::isfinite(*out);
}

std::optional<BoundingBox> ParseBoundingBox(const std::string& text) {
  double b[4];
  size_t start = 0;
  for (int i = 0; i < 4; ++i) {
    size_t comma = text.find(',', start);
    if ((i < 3) != (comma != std::string::npos)) return std::nullopt;  // exactly four parts
    if (!ParseFiniteDouble(
            text.substr(start, comma == std::string::npos ? std::string::npos : comma - start),
            &b[i])) {
      return std::nullopt;
    }
    start = comma + 1;
  }
  if (b[0] < -180 || b[2] > 180 || b[1] < -90 || b[3] > 90 || b[0] > b[2] || b[1] > b[3]) {
    return std::nullopt;
  }
  return BoundingBox{b[0], b[1], b[2], b[3]};
}

bool PercentDecode(const std::string& in, bool form, std::string* out) {
  std::string s;
  s.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;
      auto hex = [](char h) -> int {
        if (h >= '0' && h <= '9') return h - '0';
        if (h >= 'a' && h <= 'f') return h - 'a' + 10;
        if (h >= 'A' && h <= 'F') return h - 'A' + 10;
        return -1;
      };
      int hi = hex(in[i + 1]), lo = hex(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      s.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && form) {
      s.push_back(' ');
    } else {
      s.push_back(c);
    }
  }
  *out = std::move(s);
  return true;
}

}  // namespace cleanai
