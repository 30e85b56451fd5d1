// SPDX-License-Identifier: AGPL-3.0-or-later
#include "http/problem.h"

#include <boost/json.hpp>

namespace cleanai {
namespace {

const char* TitleFor(int http_status) {
  switch (http_status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 411:
      return "Length Required";
    case 413:
      return "Content Too Large";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Content";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 503:
      return "Service Unavailable";
    case 507:
      return "Insufficient Storage";
    default:
      return "Internal Server Error";
  }
}

}  // namespace

int HttpStatusFor(const Status& s) {
  switch (s.code()) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
      return s.field_errors().empty() ? 400 : 422;
    case StatusCode::kUnauthenticated:
      return 401;
    case StatusCode::kPermissionDenied:
      return 403;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kConflict:
      return 409;
    case StatusCode::kPayloadTooLarge:
      return 413;
    case StatusCode::kRateLimited:
      return 429;
    case StatusCode::kUnavailable:
      return 503;
    case StatusCode::kInsufficientStorage:
      return 507;
    case StatusCode::kInternal:
      return 500;
  }
  return 500;
}

HttpResponse ProblemResponse(int http_status, const std::string& title, const std::string& detail,
                             const std::string& request_id) {
  boost::json::object body;
  body["type"] = "about:blank";
  body["title"] = title;
  body["status"] = http_status;
  body["detail"] = detail;
  if (!request_id.empty()) body["requestId"] = request_id;
  HttpResponse r = HttpResponse::Json(http_status, body);
  r.content_type = "application/problem+json";
  return r;
}

HttpResponse ProblemResponse(const Status& s, const std::string& request_id) {
  int http = HttpStatusFor(s);
  std::string detail =
      http == 500 ? "An unexpected error occurred; it has been logged." : s.message();
  boost::json::object body;
  body["type"] = "about:blank";
  body["title"] = TitleFor(http);
  body["status"] = http;
  body["detail"] = detail;
  if (!request_id.empty()) body["requestId"] = request_id;
  if (!s.field_errors().empty()) {
    boost::json::array errors;
    for (const auto& f : s.field_errors()) {
      errors.push_back(boost::json::object{{"field", f.field}, {"message", f.message}});
    }
    body["errors"] = std::move(errors);
  }
  HttpResponse r = HttpResponse::Json(http, body);
  r.content_type = "application/problem+json";
  if (s.code() == StatusCode::kRateLimited) {
    r.SetHeader("Retry-After", std::to_string(std::max(1, s.retry_after_seconds())));
  }
  // RFC 9110 §11.6.1: every 401 names the scheme that would be accepted.
  if (http == 401) r.SetHeader("WWW-Authenticate", "Bearer");
  return r;
}

}  // namespace cleanai
