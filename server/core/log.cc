// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/log.h"

#include <atomic>
#include <boost/json/serialize.hpp>
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
  std::lock_guard<std::mutex> lock(g_mu);
  FILE* out = g_stderr.load() ? stderr : stdout;
  std::fwrite(text.data(), 1, text.size(), out);
  std::fflush(out);
}

}  // namespace cleanai
