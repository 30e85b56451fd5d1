// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/log.h"

#include <unistd.h>

#include <atomic>
#include <boost/json/serialize.hpp>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <mutex>

#include "core/clock.h"

namespace cleanai {
namespace {
std::atomic<LogLevel> g_level{LogLevel::kInfo};
std::mutex g_mu;
std::atomic<bool> g_stderr{false};

const char* LevelName(LogLevel l) {
  switch (l) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}
// One write(2) per line, no lock shared by the request threads: a write of up to
// PIPE_BUF bytes to a pipe (journald, a container's log) is never interleaved with
// another, nor is any write to a file. Longer lines (rare: big error details) take the
// lock, so they at least never interleave with each other.
void WriteLine(const std::string& text) {
  const int fd = g_stderr.load() ? STDERR_FILENO : STDOUT_FILENO;
  std::unique_lock<std::mutex> lock(g_mu, std::defer_lock);
  if (text.size() > PIPE_BUF) lock.lock();
  const char* at = text.data();
  size_t left = text.size();
  while (left > 0) {
    ssize_t n = ::write(fd, at, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // nowhere to log to: nothing better to do
    at += n;
    left -= static_cast<size_t>(n);
  }
}
}  // namespace

void SetLogLevel(LogLevel level) { g_level = level; }

LogLevel LogLevelNamed(std::string_view name) {
  if (name == "debug") return LogLevel::kDebug;
  if (name == "warn") return LogLevel::kWarn;
  if (name == "error") return LogLevel::kError;
  return LogLevel::kInfo;
}
void SetLogToStderr(bool to_stderr) { g_stderr = to_stderr; }

void Log(LogLevel level, std::string_view msg, boost::json::object fields) {
  if (level < g_level.load()) return;
  boost::json::object line;
  line["ts"] = FormatTime(SystemClock().Now());
  line["level"] = LevelName(level);
  line["msg"] = msg;
  for (auto& kv : fields) line[kv.key()] = std::move(kv.value());
  std::string text = boost::json::serialize(line);
  text.push_back('\n');
  WriteLine(text);
}

void AppendJsonString(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(ch);
    } else if (c < 0x20) {
      out += "\\u00";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    } else {
      out.push_back(ch);
    }
  }
  out.push_back('"');
}

void LogInfoFields(std::string_view msg, std::string_view fields_json) {
  if (LogLevel::kInfo < g_level.load()) return;
  std::string text;
  text.reserve(64 + msg.size() + fields_json.size());
  text += "{\"ts\":\"";
  text += FormatTime(SystemClock().Now());
  text += "\",\"level\":\"info\",\"msg\":";
  AppendJsonString(text, msg);
  if (!fields_json.empty()) {
    text.push_back(',');
    text += fields_json;
  }
  text += "}\n";
  WriteLine(text);
}

}  // namespace cleanai
