// SPDX-License-Identifier: AGPL-3.0-or-later
// Reading a JSON request body into typed fields with per-field errors. A handler lists
// the fields it accepts; anything else is an "unknown field" error, so typos surface.
//
//   JsonInput in(req);
//   auto name = in.String("username", {.required = true, .min = 3, .max = 50});
//   if (Status st = in.Finish(); !st.ok()) return ProblemResponse(st);
#pragma once

#include <boost/json/value.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/status.h"
#include "http/message.h"

namespace cleanai {

struct StringRule {
  bool required = false;
  size_t min = 0;     // in Unicode code points
  size_t max = 1024;  // in Unicode code points
};

class JsonInput {
 public:
  // Parses `req.body`. Non-JSON content types, malformed JSON, invalid UTF-8 and a
  // top-level value that is not an object make Finish() fail with a 400/415 Status.
  explicit JsonInput(const HttpRequest& req);

  std::optional<std::string> String(const std::string& field, StringRule rule = {});
  std::optional<bool> Bool(const std::string& field, bool required = false);
  // An integer in [lo, hi].
  std::optional<int64_t> Int(const std::string& field, int64_t lo, int64_t hi,
                             bool required = false);
  // A finite number in [lo, hi].
  std::optional<double> Double(const std::string& field, double lo, double hi,
                               bool required = false);
  // A field that may be there and is not used (not an "unknown field" error).
  void Ignore(const std::string& field);
  // Fields of nested objects are named with dots: String("keys.auth").

  // True when `field` is present with the value null (absent is not null).
  bool IsNull(const std::string& field) const;

  // All collected errors (unknown fields included), or Ok.
  Status Finish();

  // Whether the body parsed as an object (errors after this point are per field).
  bool parsed() const { return parse_error_.ok(); }

 private:
  const boost::json::value* Get(const std::string& field, bool required);

  boost::json::value root_;
  Status parse_error_;
  std::set<std::string> known_;
  std::vector<FieldError> errors_;
};

// Number of Unicode code points in valid UTF-8 `s`.
size_t Utf8Length(const std::string& s);

}  // namespace cleanai
