// SPDX-License-Identifier: AGPL-3.0-or-later
// Status and Result: how every domain function reports failure. No exceptions cross a
// module boundary; adapters (SQLite, libpq, JSON) turn their errors into a Status at the
// edge, and http/problem.cc maps a Status to an HTTP response in exactly one place.
#pragma once

#include <string>
#include <tl/expected.hpp>
#include <utility>
#include <vector>

namespace cleanai {

enum class StatusCode {
  kOk,
  kInvalidArgument,      // 400 / 422: the input is wrong; field_errors says where.
  kUnauthenticated,      // 401: no or bad credentials.
  kPermissionDenied,     // 403: known caller, not allowed.
  kNotFound,             // 404: absent, or not visible to the caller.
  kConflict,             // 409: would violate a uniqueness or state rule.
  kPayloadTooLarge,      // 413
  kRateLimited,          // 429: retry_after_seconds says when.
  kUnavailable,          // 503: a dependency (database) is down.
  kInsufficientStorage,  // 507: the disk (or the database's) is full; nothing was written.
  kInternal,             // 500: a bug or an unexpected failure of a dependency.
};

struct FieldError {
  std::string field;    // JSON pointer-ish name, e.g. "password".
  std::string message;  // human readable, safe to show to the caller.
};

class Status {
 public:
  Status() = default;
  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string msg, std::vector<FieldError> fields = {}) {
    Status s(StatusCode::kInvalidArgument, std::move(msg));
    s.field_errors_ = std::move(fields);
    return s;
  }
  static Status Unauthenticated(std::string msg) {
    return {StatusCode::kUnauthenticated, std::move(msg)};
  }
  static Status PermissionDenied(std::string msg) {
    return {StatusCode::kPermissionDenied, std::move(msg)};
  }
  static Status NotFound(std::string msg) { return {StatusCode::kNotFound, std::move(msg)}; }
  static Status Conflict(std::string msg, std::vector<FieldError> fields = {}) {
    Status s(StatusCode::kConflict, std::move(msg));
    s.field_errors_ = std::move(fields);
    return s;
  }
  static Status PayloadTooLarge(std::string msg) {
    return {StatusCode::kPayloadTooLarge, std::move(msg)};
  }
  static Status RateLimited(std::string msg, int retry_after_seconds) {
    Status s(StatusCode::kRateLimited, std::move(msg));
    s.retry_after_seconds_ = retry_after_seconds;
    return s;
  }
  static Status Unavailable(std::string msg) { return {StatusCode::kUnavailable, std::move(msg)}; }
  static Status InsufficientStorage(std::string msg) {
    return {StatusCode::kInsufficientStorage, std::move(msg)};
  }
  static Status Internal(std::string msg) { return {StatusCode::kInternal, std::move(msg)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::vector<FieldError>& field_errors() const { return field_errors_; }
  int retry_after_seconds() const { return retry_after_seconds_; }

 private:
  Status(StatusCode code, std::string msg) : code_(code), message_(std::move(msg)) {}

  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::vector<FieldError> field_errors_;
  int retry_after_seconds_ = 0;
};

// Result<T> holds a T or the Status saying why there is none.
template <typename T>
using Result = tl::expected<T, Status>;

inline tl::unexpected<Status> Err(Status s) { return tl::unexpected<Status>(std::move(s)); }

}  // namespace cleanai

// Propagates a failed Status from an expression returning Status.
#define CLEANAI_RETURN_IF_ERROR(expr)          \
  do {                                         \
    ::cleanai::Status _st = (expr);            \
    if (!_st.ok()) return ::cleanai::Err(_st); \
  } while (0)

// The same for functions that return a plain Status.
#define CLEANAI_RETURN_STATUS_IF_ERROR(expr) \
  do {                                       \
    ::cleanai::Status _st = (expr);          \
    if (!_st.ok()) return _st;               \
  } while (0)
