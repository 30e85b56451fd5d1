// SPDX-License-Identifier: AGPL-3.0-or-later
#include "media/sigv4.h"

#include <algorithm>
#include <cctype>
#include <ctime>

#include "core/crypto.h"

namespace cleanai {
namespace {

std::string Hex(const std::string& bytes) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// Header values are trimmed and inner runs of spaces collapse to one.
std::string TrimValue(const std::string& v) {
  std::string out;
  bool space = false;
  for (char c : v) {
    if (c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> SortedHeaders(const SigV4Request& req) {
  std::vector<std::pair<std::string, std::string>> h;
  for (const auto& [name, value] : req.headers) h.emplace_back(Lower(name), TrimValue(value));
  std::sort(h.begin(), h.end());
  return h;
}

std::string SignedHeaderNames(const SigV4Request& req) {
  std::string out;
  for (const auto& [name, value] : SortedHeaders(req)) out += (out.empty() ? "" : ";") + name;
  return out;
}

std::string Scope(const SigV4Credentials& c, const std::string& amz_date) {
  return amz_date.substr(0, 8) + "/" + c.region + "/" + c.service + "/aws4_request";
}

}  // namespace

std::string UriEncode(const std::string& text, bool keep_slash) {
  static const char* kDigits = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' ||
        (keep_slash && c == '/')) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kDigits[c >> 4]);
      out.push_back(kDigits[c & 15]);
    }
  }
  return out;
}

std::string CanonicalQuery(const std::vector<std::pair<std::string, std::string>>& query) {
  std::vector<std::pair<std::string, std::string>> q;
  for (const auto& [k, v] : query) q.emplace_back(UriEncode(k, false), UriEncode(v, false));
  std::sort(q.begin(), q.end());
  std::string out;
  for (const auto& [k, v] : q) out += (out.empty() ? "" : "&") + k + "=" + v;
  return out;
}

std::string CanonicalRequest(const SigV4Request& req) {
  std::string headers;
  for (const auto& [name, value] : SortedHeaders(req)) headers += name + ":" + value + "\n";
  return req.method + "\n" + (req.path.empty() ? "/" : req.path) + "\n" +
         CanonicalQuery(req.query) + "\n" + headers + "\n" + SignedHeaderNames(req) + "\n" +
         req.payload_hash;
}

std::string SignatureV4(const SigV4Request& req, const SigV4Credentials& creds,
                        const std::string& amz_date) {
  std::string to_sign = "AWS4-HMAC-SHA256\n" + amz_date + "\n" + Scope(creds, amz_date) + "\n" +
                        Sha256Hex(CanonicalRequest(req));
  std::string key = HmacSha256("AWS4" + creds.secret_key, amz_date.substr(0, 8));
  key = HmacSha256(key, creds.region);
  key = HmacSha256(key, creds.service);
  key = HmacSha256(key, "aws4_request");
  return Hex(HmacSha256(key, to_sign));
}

std::string AuthorizationV4(const SigV4Request& req, const SigV4Credentials& creds,
                            const std::string& amz_date) {
  return "AWS4-HMAC-SHA256 Credential=" + creds.access_key + "/" + Scope(creds, amz_date) +
         ",SignedHeaders=" + SignedHeaderNames(req) +
         ",Signature=" + SignatureV4(req, creds, amz_date);
}

std::string PresignedQuery(SigV4Request req, const SigV4Credentials& creds,
                           const std::string& amz_date, int expires_seconds) {
  req.payload_hash = "UNSIGNED-PAYLOAD";
  req.query.emplace_back("X-Amz-Algorithm", "AWS4-HMAC-SHA256");
  req.query.emplace_back("X-Amz-Credential", creds.access_key + "/" + Scope(creds, amz_date));
  req.query.emplace_back("X-Amz-Date", amz_date);
  req.query.emplace_back("X-Amz-Expires", std::to_string(expires_seconds));
  req.query.emplace_back("X-Amz-SignedHeaders", SignedHeaderNames(req));
  std::string signature = SignatureV4(req, creds, amz_date);
  return CanonicalQuery(req.query) + "&X-Amz-Signature=" + signature;
}

std::string AmzDate(long long unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[20];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

}  // namespace cleanai
