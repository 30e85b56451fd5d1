// Small text helpers shared across domains.
#pragma once

#include <algorithm>
#include <cctype>
#include <string>

namespace cleanai {

// ASCII lower-case (user names and emails are compared this way, as SQL lower() does).
inline std::string AsciiLower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

}  // namespace cleanai
