// SPDX-License-Identifier: AGPL-3.0-or-later
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

// Text for XML 1.0 and HTML, in content or a quoted attribute: the five markup
// characters escaped, control characters XML forbids dropped.
inline std::string EscapeMarkup(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') break;
        out.push_back(c);
    }
  }
  return out;
}

}  // namespace cleanai
