// SPDX-License-Identifier: AGPL-3.0-or-later
// Structured logging: one JSON object per line on stdout, so a log shipper needs no
// parser. Thread-safe. Never pass secrets (passwords, tokens, keys) as fields.
#pragma once

#include <boost/json/object.hpp>
#include <string_view>

namespace cleanai {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

void SetLogLevel(LogLevel level);
// "debug", "info", "warn", "error" (the configuration's log.level); anything else: info.
LogLevel LogLevelNamed(std::string_view name);
// The server logs to stdout; one-shot commands send log lines to stderr so that their
// answer on stdout stays clean for scripts.
void SetLogToStderr(bool to_stderr);
void Log(LogLevel level, std::string_view msg, boost::json::object fields = {});
// The access log's hot path: an info line whose fields after ts/level/msg are already JSON
// text (`"a":1,"b":"x"`, no braces), built without an object model.
void LogInfoFields(std::string_view msg, std::string_view fields_json);
// Appends `text` as a JSON string, quotes included.
void AppendJsonString(std::string& out, std::string_view text);

inline void LogInfo(std::string_view msg, boost::json::object f = {}) {
  Log(LogLevel::kInfo, msg, std::move(f));
}
inline void LogWarn(std::string_view msg, boost::json::object f = {}) {
  Log(LogLevel::kWarn, msg, std::move(f));
}
inline void LogError(std::string_view msg, boost::json::object f = {}) {
  Log(LogLevel::kError, msg, std::move(f));
}

}  // namespace cleanai
