// SPDX-License-Identifier: AGPL-3.0-or-later
// Field rules for accounts. Deliberately simple and explicit: the email rule accepts
// what mail servers accept in practice and rejects what would break a header.
#include <algorithm>
#include <cctype>

#include "auth/auth.h"
#include "core/text.h"
#include "http/json_input.h"

namespace cleanai {

std::string CheckUsername(const std::string& u) {
  if (u.size() < 3 || u.size() > 50) return "must be 3 to 50 characters";
  if (!std::isalnum(static_cast<unsigned char>(u[0]))) return "must start with a letter or digit";
  for (unsigned char c : u) {
    if (!(std::isalnum(c) || c == '_' || c == '.' || c == '-')) {
      return "may contain only letters, digits, '_', '.' and '-'";
    }
  }
  return "";
}

std::string CheckEmail(const std::string& e) {
  if (e.size() > 255) return "must be at most 255 characters";
  size_t at = e.find('@');
  if (at == std::string::npos || at == 0 || e.find('@', at + 1) != std::string::npos) {
    return "must be an email address like name@example.org";
  }
  std::string local = e.substr(0, at), domain = e.substr(at + 1);
  if (local.size() > 64) return "the part before @ must be at most 64 characters";
  size_t dot = domain.find('.');
  if (dot == std::string::npos || dot == 0 || domain.back() == '.' ||
      domain.find("..") != std::string::npos) {
    return "must be an email address like name@example.org";
  }
  for (unsigned char c : e) {
    if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == '(' || c == ')' || c == ',' ||
        c == ';' || c == ':' || c == '\\' || c == '"' || c == '[' || c == ']') {
      return "must be an email address like name@example.org";
    }
  }
  return "";
}

std::string CheckPassword(const std::string& p, const std::string& username,
                          const std::string& email) {
  size_t len = Utf8Length(p);
  if (len < 10) return "must be at least 10 characters";
  if (len > 128) return "must be at most 128 characters";
  std::string lp = AsciiLower(p);
  if ((!username.empty() && lp == AsciiLower(username)) ||
      (!email.empty() && lp == AsciiLower(email))) {
    return "must not be your username or email";
  }
  return "";
}

std::string CheckPhone(const std::string& p) {
  // E.164: '+' then 8 to 15 digits.
  if (p.size() < 9 || p.size() > 16 || p[0] != '+') {
    return "must be in international form, like +923001234567";
  }
  for (size_t i = 1; i < p.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(p[i]))) {
      return "must be in international form, like +923001234567";
    }
  }
  return "";
}

}  // namespace cleanai
