// SPDX-License-Identifier: AGPL-3.0-or-later
// Who is calling, once the access token has been checked, and the roles a user may have.
// Domains take a Principal to decide what the caller may see and do; they do not depend
// on HTTP for it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cleanai {

enum class Role { kCitizen, kDriver, kAdmin };

// "citizen", "driver", "admin": the names the database, tokens and the API use.
std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);

struct Principal {
  std::string user_id;
  std::string username;
  Role role = Role::kCitizen;
  std::string session_id;  // the login session (refresh-token family) the token belongs to

  bool is_admin() const { return role == Role::kAdmin; }
  bool is_driver() const { return role == Role::kDriver; }
};

}  // namespace cleanai
