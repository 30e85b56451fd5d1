// SPDX-License-Identifier: AGPL-3.0-or-later
// AWS Signature Version 4 for S3 requests, header-signed and pre-signed, written out so
// that it is checked against AWS's published examples (sigv4_test.cc) and works the same
// with every S3 server (AWS, Swift s3api, Ceph RGW, MinIO). HMAC-SHA256 via libsodium.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace cleanai {

struct SigV4Credentials {
  std::string access_key, secret_key;
  std::string region = "us-east-1";
  std::string service = "s3";
};

struct SigV4Request {
  std::string method;  // GET, PUT, ...
  std::string path;    // the URI path as it goes on the wire (already percent-encoded)
  std::vector<std::pair<std::string, std::string>> query;    // decoded names and values
  std::vector<std::pair<std::string, std::string>> headers;  // every header to sign (host too)
  std::string payload_hash;  // hex SHA-256 of the body, or "UNSIGNED-PAYLOAD"
};

// RFC 3986 unreserved characters kept, everything else %XX (upper case); '/' kept when
// `keep_slash` (object keys in paths).
std::string UriEncode(const std::string& text, bool keep_slash);

// The query string in canonical form (sorted by encoded name, then value).
std::string CanonicalQuery(const std::vector<std::pair<std::string, std::string>>& query);

std::string CanonicalRequest(const SigV4Request& req);

// `amz_date` is "YYYYMMDDTHHMMSSZ". Returns the hex signature.
std::string SignatureV4(const SigV4Request& req, const SigV4Credentials& creds,
                        const std::string& amz_date);

// The Authorization header's value.
std::string AuthorizationV4(const SigV4Request& req, const SigV4Credentials& creds,
                            const std::string& amz_date);

// A pre-signed URL's query string (X-Amz-* parameters, signature last) for a request
// whose only signed header is host; `req.query` may hold other parameters.
std::string PresignedQuery(SigV4Request req, const SigV4Credentials& creds,
                           const std::string& amz_date, int expires_seconds);

// "YYYYMMDDTHHMMSSZ" for a Unix time.
std::string AmzDate(long long unix_seconds);

}  // namespace cleanai
