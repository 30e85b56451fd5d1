// SPDX-License-Identifier: AGPL-3.0-or-later
#include "media/s3.h"

#include <ctime>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/log.h"
#include "http/client.h"

namespace cleanai {
namespace {

// The host header as curl sends it for the endpoint URL (port only when it is given).
std::string HostOf(const std::string& endpoint) {
  size_t scheme = endpoint.find("://");
  return scheme == std::string::npos ? endpoint : endpoint.substr(scheme + 3);
}

std::string XmlUnescape(std::string s) {
  static const std::pair<const char*, const char*> kEntities[] = {
      {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}, {"&amp;", "&"}};
  for (const auto& [from, to] : kEntities) {
    for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + 1)) {
      s.replace(at, std::string(from).size(), to);
    }
  }
  return s;
}

// The text of each <tag>…</tag> in `xml`, in order (flat: S3 list answers need no more).
std::vector<std::string> Elements(const std::string& xml, const std::string& tag) {
  std::vector<std::string> out;
  std::string open = "<" + tag + ">", close = "</" + tag + ">";
  for (size_t at = xml.find(open); at != std::string::npos; at = xml.find(open, at)) {
    size_t start = at + open.size();
    size_t end = xml.find(close, start);
    if (end == std::string::npos) break;
    out.push_back(XmlUnescape(xml.substr(start, end - start)));
    at = end + close.size();
  }
  return out;
}

Status StatusFor(long http, const std::string& body, const std::string& what) {
  std::vector<std::string> code = Elements(body, "Code");
  std::string reason = code.empty() ? "HTTP " + std::to_string(http) : code[0];
  LogWarn("object storage refused a request", {{"what", what}, {"status", http}, {"code", reason}});
  // Whatever the store's reason (credentials, bucket, its own failure), the photo cannot
  // be kept or read now: a dependency is unavailable.
  return Status::Unavailable("object storage refused the request (" + reason + ")");
}

}  // namespace

bool ParseS3Url(const std::string& url, std::string* bucket, std::string* prefix) {
  if (url.rfind("s3://", 0) != 0) return false;
  std::string rest = url.substr(5);
  size_t slash = rest.find('/');
  *bucket = rest.substr(0, slash);
  *prefix = slash == std::string::npos ? "" : rest.substr(slash + 1);
  if (!prefix->empty() && prefix->back() != '/') *prefix += '/';
  if (bucket->size() < 3 || bucket->size() > 63) return false;
  for (char c : *bucket) {
    if (!(std::islower(static_cast<unsigned char>(c)) ||
          std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '.')) {
      return false;
    }
  }
  for (char c : *prefix) {
    if (static_cast<unsigned char>(c) < 0x21 || c == '\\' || c == '?' || c == '#') return false;
  }
  return true;
}

Result<S3Client::Answer> S3Client::Send(
    const std::string& method, const std::string& key,
    const std::vector<std::pair<std::string, std::string>>& query, const std::string& body,
    const std::string& content_type) const {
  std::string path = "/" + where_.bucket + (key.empty() ? "" : "/" + UriEncode(key, true));
  std::string amz_date = AmzDate(static_cast<long long>(std::time(nullptr)));
  std::string payload = Sha256Hex(body);
  SigV4Request req{method,
                   path,
                   query,
                   {{"host", HostOf(where_.endpoint)},
                    {"x-amz-content-sha256", payload},
                    {"x-amz-date", amz_date}},
                   payload};
  std::vector<std::string> headers{
      "x-amz-content-sha256: " + payload, "x-amz-date: " + amz_date,
      "Authorization: " + AuthorizationV4(req, where_.credentials, amz_date)};
  if (!content_type.empty()) headers.push_back("Content-Type: " + content_type);
  OutgoingRequest out;
  std::string canonical = CanonicalQuery(query);
  out.url = where_.endpoint + path + (canonical.empty() ? "" : "?" + canonical);
  out.timeout_seconds = where_.timeout_seconds;
  out.max_body_bytes = 64 * 1024 * 1024;
  auto r = HttpSend(method, out, headers, body);
  if (!r) {
    LogWarn("object storage unreachable", {{"error", r.error().message()}});
    return Err(Status::Unavailable("object storage unreachable: " + r.error().message()));
  }
  return Answer{r->status, std::move(r->body), std::move(r->headers)};
}

Status S3Client::Put(const std::string& key, const std::string& bytes,
                     const std::string& content_type) {
  auto a = Send("PUT", where_.prefix + key, {}, bytes, content_type);
  if (!a) return a.error();
  return a->status == 200 ? Status::Ok() : StatusFor(a->status, a->body, "put");
}

Result<std::string> S3Client::Get(const std::string& key) const {
  auto a = Send("GET", where_.prefix + key, {}, "", "");
  if (!a) return Err(a.error());
  if (a->status == 404) return Err(Status::NotFound("no such object"));
  if (a->status != 200) return Err(StatusFor(a->status, a->body, "get"));
  return std::move(a->body);
}

Result<std::optional<int64_t>> S3Client::Stat(const std::string& key) const {
  auto a = Send("HEAD", where_.prefix + key, {}, "", "");
  if (!a) return Err(a.error());
  if (a->status == 404) return std::optional<int64_t>();
  if (a->status != 200) return Err(StatusFor(a->status, a->body, "head"));
  for (const auto& [name, value] : a->headers) {
    if (name != "last-modified") continue;
    std::tm tm{};  // RFC 9110 IMF-fixdate: "Tue, 01 Dec 2026 11:00:00 GMT"
    if (strptime(value.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm)) {
      return std::optional<int64_t>(static_cast<int64_t>(timegm(&tm)));
    }
  }
  return std::optional<int64_t>(int64_t{0});
}

Status S3Client::Delete(const std::string& key) {
  auto a = Send("DELETE", where_.prefix + key, {}, "", "");
  if (!a) return a.error();
  return a->status == 204 || a->status == 200 || a->status == 404
             ? Status::Ok()
             : StatusFor(a->status, a->body, "delete");
}

Status S3Client::List(const std::function<void(const std::string&, int64_t)>& visit) const {
  std::string token;
  for (int page = 0; page < 1'000'000; ++page) {
    std::vector<std::pair<std::string, std::string>> query{{"list-type", "2"},
                                                           {"max-keys", "1000"}};
    if (!where_.prefix.empty()) query.emplace_back("prefix", where_.prefix);
    if (!token.empty()) query.emplace_back("continuation-token", token);
    auto a = Send("GET", "", query, "", "");
    if (!a) return a.error();
    if (a->status != 200) return StatusFor(a->status, a->body, "list");
    for (const std::string& item : Elements(a->body, "Contents")) {
      auto keys = Elements(item, "Key");
      auto times = Elements(item, "LastModified");
      if (keys.empty() || keys[0].rfind(where_.prefix, 0) != 0) continue;
      SystemTime t{};
      int64_t modified =
          !times.empty() && ParseTime(times[0], &t)
              ? std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count()
              : 0;
      visit(keys[0].substr(where_.prefix.size()), modified);
    }
    auto truncated = Elements(a->body, "IsTruncated");
    auto next = Elements(a->body, "NextContinuationToken");
    if (truncated.empty() || truncated[0] != "true" || next.empty()) return Status::Ok();
    token = next[0];
  }
  return Status::Ok();
}

Status S3Client::CheckBucket() const {
  auto a = Send("HEAD", "", {}, "", "");
  if (!a) return a.error();
  if (a->status == 200) return Status::Ok();
  if (a->status == 404) return Status::Unavailable("object storage: no bucket " + where_.bucket);
  return Status::Unavailable("object storage refused the credentials (HTTP " +
                             std::to_string(a->status) + ")");
}

}  // namespace cleanai
