// SPDX-License-Identifier: AGPL-3.0-or-later
// Clock: the one source of "now", injectable so tests can move time.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace cleanai {

using SystemTime = std::chrono::time_point<std::chrono::system_clock, std::chrono::milliseconds>;

// Formats as RFC 3339 in UTC with milliseconds: "2026-11-24T18:19:15.123Z". Every
// timestamp stored by the project has this shape, so text order is time order.
std::string FormatTime(SystemTime t);

// Parses RFC 3339 / ISO 8601 as written by FormatTime or by PostgreSQL's text output
// ("2026-11-24 18:19:15.123+00"). Returns false on anything else.
bool ParseTime(const std::string& text, SystemTime* out);

class Clock {
 public:
  virtual ~Clock() = default;
  virtual SystemTime Now() const = 0;
};

// The real wall clock. Thread-safe.
const Clock& SystemClock();

}  // namespace cleanai
