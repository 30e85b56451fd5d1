// SPDX-License-Identifier: AGPL-3.0-or-later
// Small text helpers shared across domains.
#pragma once

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

namespace cleanai {

// The non-empty items of a comma-separated list ("a,,b" gives a, b): query strings and
// stored lists of codes.
inline std::vector<std::string> SplitCommaList(const std::string& s) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < s.size()) {
    size_t comma = s.find(',', pos);
    if (comma == std::string::npos) comma = s.size();
    if (comma > pos) out.push_back(s.substr(pos, comma - pos));
    pos = comma + 1;
  }
  return out;
}

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
