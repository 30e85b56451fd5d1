// SPDX-License-Identifier: AGPL-3.0-or-later
// Transport-neutral request and response values. Domains see only these, never Beast,
// so handlers are plain functions that tests can call without sockets.
#pragma once

#include <boost/json/value.hpp>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/principal.h"

namespace cleanai {

struct HttpRequest {
  std::string method;                          // "GET", "POST", …
  std::string path;                            // decoded path without the query string
  std::string query;                           // raw query string, without '?'
  std::map<std::string, std::string> headers;  // names lower-case
  std::string body;
  // For upload routes: the path of a temporary file holding the whole body (the server
  // deletes it after the response). Empty otherwise.
  std::string body_file;
  std::string remote_address;
  std::string request_id;
  std::map<std::string, std::string> path_params;  // filled by the router
  std::optional<Principal> principal;              // filled by the router for protected routes
  // A quick read (Router::AddQuickRead) runs first on the I/O thread. With `memory_only`
  // (set by the application where the database is across a network) its handler answers
  // only from memory, or returns HttpResponse::Defer() to be run again on the worker pool.
  bool on_io_thread = false;
  bool memory_only = false;
  bool rate_checked = false;  // the rate limit was charged (once, even if deferred)

  // Returns the header's value, or nullopt. `name` must be lower-case.
  std::optional<std::string> Header(const std::string& name) const;
  // Returns the decoded value of the first `name=` query parameter, or nullopt.
  std::optional<std::string> QueryParam(const std::string& name) const;
  // The value of cookie `name`, or nullopt.
  std::optional<std::string> Cookie(const std::string& name) const;
};

// Where a request came from, for audit rows and rate limits.
struct ClientInfo {
  std::string ip;
  std::string user_agent;  // at most 512 bytes
};
ClientInfo ClientOf(const HttpRequest& req);

// The source of a long-lived text/event-stream response (Server-Sent Events). The server
// calls Poll() on a worker thread and writes what it returns (already in SSE wire format;
// "" when there is nothing new): when the source woke it, or, for a source that cannot
// wake anyone, about four times a second. Thread-compatible: one call at a time.
class EventStreamSource {
 public:
  virtual ~EventStreamSource() = default;
  virtual std::string Poll() = 0;
  // Asks to be woken: `wake` may be called from any thread when Poll may have something
  // new. False: the source cannot, poll it on a timer.
  virtual bool Subscribe(std::function<void()> /*wake*/) { return false; }
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // A kept answer's body (http/response_cache.h), sent in place of `body` without a copy.
  // Whoever reads a response's body reads Body().
  std::shared_ptr<const std::string> shared_body;
  // Header lines the application adds to every response ("Name: value\r\n"…), built once
  // (its security headers) and sent after `headers`.
  std::shared_ptr<const std::string> fixed_head;
  std::string route;  // matched route pattern, for metrics and logs; not sent
  // Set for SSE: the headers above are sent, then events until the client goes away or
  // the server stops; `body` is ignored.
  std::shared_ptr<EventStreamSource> event_stream;
  // The handler needs the database: run the request again on the worker pool.
  bool deferred = false;

  void SetHeader(std::string name, std::string value);
  std::string_view Body() const {
    return shared_body ? std::string_view(*shared_body) : std::string_view(body);
  }
  void ClearBody() {
    body.clear();
    shared_body.reset();
  }
  static HttpResponse Defer() {
    HttpResponse r;
    r.status = 0;
    r.deferred = true;
    return r;
  }
  static HttpResponse Json(int status, const boost::json::value& body);
  static HttpResponse NoContent();
  static HttpResponse Text(int status, std::string content_type, std::string body);
};

// The origin (scheme://host[:port]) of an absolute URL, as browsers send it in Origin.
std::string OriginOf(const std::string& url);

// Parses a whole decimal integer in [lo, hi] (no sign tricks, no trailing text).
bool ParseBoundedInt(const std::string& text, long lo, long hi, int* out);

// Parses a whole finite decimal number (no trailing text, at most 32 characters).
bool ParseFiniteDouble(const std::string& text, double* out);

// A map box from "minLng,minLat,maxLng,maxLat": exactly four numbers within the world's
// ranges, minimum not above maximum. nullopt for anything else.
struct BoundingBox {
  double min_lng = 0, min_lat = 0, max_lng = 0, max_lat = 0;
};
std::optional<BoundingBox> ParseBoundingBox(const std::string& text);

// Percent-decodes `in`; '+' becomes a space when `form` is true. Returns false for a
// malformed escape.
bool PercentDecode(const std::string& in, bool form, std::string* out);

}  // namespace cleanai
