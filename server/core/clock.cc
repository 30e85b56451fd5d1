// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/clock.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace cleanai {

std::string FormatTime(SystemTime t) {
  // Calendar arithmetic, not gmtime_r + snprintf: every access-log line and every date in
  // a JSON answer comes through here (gmtime_r takes glibc's process-wide time-zone lock;
  // snprintf was 3 % of a kept answer's CPU).
  using namespace std::chrono;
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const int year = static_cast<int>(ymd.year());
  const auto ms = (t - day).count();  // milliseconds into the day, 0 … 86,399,999
  if (year < 0 || year > 9999) {
    char buf[64];  // room for any int year, so no truncation is possible
    std::snprintf(buf, sizeof buf, "%d-%02u-%02uT%02d:%02d:%02d.%03dZ", year,
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(ms / 3600000), static_cast<int>(ms / 60000 % 60),
                  static_cast<int>(ms / 1000 % 60), static_cast<int>(ms % 1000));
    return buf;
  }
  char buf[] = "0000-00-00T00:00:00.000Z";
  auto put = [&buf](int at, long value, int width) {
    for (int i = width - 1; i >= 0; --i, value /= 10)
      buf[at + i] = static_cast<char>('0' + value % 10);
  };
  put(0, year, 4);
  put(5, static_cast<unsigned>(ymd.month()), 2);
  put(8, static_cast<unsigned>(ymd.day()), 2);
  put(11, ms / 3600000, 2);
  put(14, ms / 60000 % 60, 2);
  put(17, ms / 1000 % 60, 2);
  put(20, ms % 1000, 3);
  return std::string(buf, sizeof buf - 1);
}

bool ParseTime(const std::string& text, SystemTime* out) {
  int y, mo, d, h, mi, s;
  char sep;
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2d%c%2d:%2d:%2d%n", &y, &mo, &d, &sep, &h, &mi, &s,
                  &consumed) != 7 ||
      (sep != 'T' && sep != ' ')) {
    return false;
  }
  size_t pos = static_cast<size_t>(consumed);
  int millis = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 3) millis = millis * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return false;
    for (; digits < 3; ++digits) millis *= 10;
  }
  int offset_minutes = 0;
  std::string zone = text.substr(pos);
  if (zone == "Z" || zone.empty()) {
    offset_minutes = 0;
  } else if (zone[0] == '+' || zone[0] == '-') {
    int oh = 0, om = 0;
    if (std::sscanf(zone.c_str() + 1, "%2d:%2d", &oh, &om) < 1) return false;
    offset_minutes = (oh * 60 + om) * (zone[0] == '-' ? -1 : 1);
  } else {
    return false;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return false;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  int64_t secs = static_cast<int64_t>(timegm(&tm)) - offset_minutes * 60;
  *out = SystemTime(std::chrono::milliseconds(secs * 1000 + millis));
  return true;
}

namespace {
class RealClock final : public Clock {
 public:
  SystemTime Now() const override {
    return std::chrono::time_point_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now());
  }
};
}  // namespace

const Clock& SystemClock() {
  static const RealClock clock;
  return clock;
}

}  // namespace cleanai
