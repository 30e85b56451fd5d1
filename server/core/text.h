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

// A LIKE pattern that finds `text` anywhere in a lower-cased column, with LIKE's own
// wildcards in it escaped: use with ESCAPE '\\'.
inline std::string LikeContains(const std::string& text) {
  std::string pattern = "%";
  for (char c : AsciiLower(text)) {
    if (c == '%' || c == '_' || c == '\\') pattern.push_back('\\');
    pattern.push_back(c);
  }
  return pattern + "%";
}

}  // namespace cleanai
