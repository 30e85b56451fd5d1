// SPDX-License-Identifier: AGPL-3.0-or-later
// Outgoing HTTP (libcurl) for calls to outside services: weather forecasts, street
// addresses. Bounded in time and size, no redirects to other protocols, never logs URLs
// (they can carry keys).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/status.h"

namespace cleanai {

struct OutgoingResponse {
  long status = 0;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-case
};

struct OutgoingRequest {
  std::string url;
  int timeout_seconds = 5;
  std::string user_agent = "CleanAI";
  size_t max_body_bytes = 2 * 1024 * 1024;
};

// Unavailable when the peer cannot be reached, times out or sends too much; any HTTP
// status is returned as it is.
Result<OutgoingResponse> HttpGet(const OutgoingRequest& request);

// POSTs `fields` as application/x-www-form-urlencoded, with HTTP basic auth when
// `username` is not empty (Twilio's API takes both).
Result<OutgoingResponse> HttpPostForm(
    const OutgoingRequest& request, const std::vector<std::pair<std::string, std::string>>& fields,
    const std::string& username, const std::string& password);

// POSTs `body` as it is, with extra `headers` ("Name: value"); Web Push sends its encrypted
// payload this way.
Result<OutgoingResponse> HttpPost(const OutgoingRequest& request,
                                  const std::vector<std::string>& headers, const std::string& body);

// Any method, with extra `headers` ("Name: value") and, for PUT and POST, `body`; HEAD
// reads no body. The S3 client sends its signed requests this way.
Result<OutgoingResponse> HttpSend(const std::string& method, const OutgoingRequest& request,
                                  const std::vector<std::string>& headers,
                                  const std::string& body = "");

// libcurl's global set-up, once per process (before any thread uses libcurl).
void InitCurl();

// Percent-encodes `text` for a query string.
std::string UrlEscape(const std::string& text);

}  // namespace cleanai
