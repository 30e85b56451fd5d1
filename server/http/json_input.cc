// SPDX-License-Identifier: AGPL-3.0-or-later
#include "http/json_input.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <cstdint>
#include <sstream>

namespace cleanai {

size_t Utf8Length(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

JsonInput::JsonInput(const HttpRequest& req) {
  auto ct = req.Header("content-type");
  if (!ct || ct->rfind("application/json", 0) != 0) {
    parse_error_ = Status::InvalidArgument("Content-Type must be application/json");
    return;
  }
  boost::system::error_code ec;
  boost::json::parse_options opts;
  opts.max_depth = 32;
  root_ = boost::json::parse(req.body, ec, {}, opts);
  if (ec) {
    parse_error_ = Status::InvalidArgument("request body is not valid JSON: " + ec.message());
  } else if (!root_.is_object()) {
    parse_error_ = Status::InvalidArgument("request body must be a JSON object");
  }
}

const boost::json::value* JsonInput::Get(const std::string& field, bool required) {
  known_.insert(field.substr(0, field.find('.')));
  if (!parse_error_.ok()) return nullptr;
  // "keys.auth": a field of an object field.
  const boost::json::value* v = &root_;
  for (size_t start = 0; v && start <= field.size();) {
    size_t dot = std::min(field.find('.', start), field.size());
    const auto* o = v->if_object();
    v = o ? o->if_contains(field.substr(start, dot - start)) : nullptr;
    start = dot + 1;
  }
  if (!v || v->is_null()) {
    if (required) errors_.push_back({field, "is required"});
    return nullptr;
  }
  return v;
}

std::optional<std::string> JsonInput::String(const std::string& field, StringRule rule) {
  const auto* v = Get(field, rule.required);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    errors_.push_back({field, "must be a string"});
    return std::nullopt;
  }
  std::string s(v->as_string().c_str(), v->as_string().size());
  size_t len = Utf8Length(s);
  if (s.find('\0') != std::string::npos) {
    errors_.push_back({field, "must not contain NUL characters"});
    return std::nullopt;
  }
  if (len < rule.min) {
    errors_.push_back({field, "must be at least " + std::to_string(rule.min) + " characters"});
    return std::nullopt;
  }
  if (len > rule.max) {
    errors_.push_back({field, "must be at most " + std::to_string(rule.max) + " characters"});
    return std::nullopt;
  }
  return s;
}

std::optional<bool> JsonInput::Bool(const std::string& field, bool required) {
  const auto* v = Get(field, required);
  if (!v) return std::nullopt;
  if (!v->is_bool()) {
    errors_.push_back({field, "must be true or false"});
    return std::nullopt;
  }
  return v->as_bool();
}

std::optional<int64_t> JsonInput::Int(const std::string& field, int64_t lo, int64_t hi,
                                      bool required) {
  const auto* v = Get(field, required);
  if (!v) return std::nullopt;
  if (!v->is_int64() && !v->is_uint64()) {
    errors_.push_back({field, "must be an integer"});
    return std::nullopt;
  }
  int64_t n = v->is_int64() ? v->as_int64()
                            : static_cast<int64_t>(std::min<uint64_t>(v->as_uint64(), INT64_MAX));
  if (n < lo || n > hi) {
    errors_.push_back({field, "must be from " + std::to_string(lo) + " to " + std::to_string(hi)});
    return std::nullopt;
  }
  return n;
}

std::optional<double> JsonInput::Double(const std::string& field, double lo, double hi,
                                        bool required) {
  const auto* v = Get(field, required);
  if (!v) return std::nullopt;
  if (!v->is_number()) {
    errors_.push_back({field, "must be a number"});
    return std::nullopt;
  }
  double d = v->to_number<double>();
  if (!(d >= lo && d <= hi)) {
    std::ostringstream msg;
    msg << "must be from " << lo << " to " << hi;
    errors_.push_back({field, msg.str()});
    return std::nullopt;
  }
  return d;
}

void JsonInput::Ignore(const std::string& field) { known_.insert(field); }

bool JsonInput::IsNull(const std::string& field) const {
  if (!parse_error_.ok()) return false;
  const auto* v = root_.as_object().if_contains(field);
  return v && v->is_null();
}

Status JsonInput::Finish() {
  if (!parse_error_.ok()) return parse_error_;
  for (const auto& kv : root_.as_object()) {
    std::string key(kv.key());
    if (!known_.count(key)) errors_.push_back({key, "is not a known field"});
  }
  if (!errors_.empty()) return Status::InvalidArgument("the request has invalid fields", errors_);
  return Status::Ok();
}

}  // namespace cleanai
