// SPDX-License-Identifier: AGPL-3.0-or-later
// A small S3 client: the five calls the photo store needs (put, get, head, delete, list),
// path-style (https://endpoint/bucket/key), every request signed with SigV4 (sigv4.h) and
// its payload hash, over libcurl. Works with AWS S3, OpenStack Swift's s3api, Ceph RGW and
// MinIO. Failures of the network or the server are Unavailable, so callers answer 503.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "core/status.h"
#include "media/sigv4.h"

namespace cleanai {

struct S3Location {
  std::string endpoint;  // scheme://host[:port], no path
  std::string bucket;
  std::string prefix;  // "" or "photos/" (always ends with '/')
  SigV4Credentials credentials;
  int timeout_seconds = 30;
};

// Parses "s3://bucket/prefix" into bucket and prefix. False when it is not one.
bool ParseS3Url(const std::string& url, std::string* bucket, std::string* prefix);

class S3Client {
 public:
  explicit S3Client(S3Location where) : where_(std::move(where)) {}

  Status Put(const std::string& key, const std::string& bytes, const std::string& content_type);
  // NotFound when there is no such object.
  Result<std::string> Get(const std::string& key) const;
  // The object's last modification (Unix seconds), or nullopt when there is none.
  Result<std::optional<int64_t>> Stat(const std::string& key) const;
  Status Delete(const std::string& key);
  // Every object under the prefix, with its last modification (Unix seconds), page by page.
  Status List(const std::function<void(const std::string& key, int64_t modified)>& visit) const;
  // The bucket answers a signed request with these credentials (start-up check).
  Status CheckBucket() const;

  const S3Location& where() const { return where_; }

 private:
  struct Answer {
    long status = 0;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
  };
  // One signed request; `query` decoded. Unavailable when nothing answered.
  Result<Answer> Send(const std::string& method, const std::string& key,
                      const std::vector<std::pair<std::string, std::string>>& query,
                      const std::string& body, const std::string& content_type) const;
  S3Location where_;
};

}  // namespace cleanai
