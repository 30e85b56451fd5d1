// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/principal.h"

namespace cleanai {

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kCitizen:
      return "citizen";
    case Role::kDriver:
      return "driver";
    case Role::kAdmin:
      return "admin";
  }
  return "citizen";
}

std::optional<Role> ParseRole(std::string_view name) {
  if (name == "citizen") return Role::kCitizen;
  if (name == "driver") return Role::kDriver;
  if (name == "admin") return Role::kAdmin;
  return std::nullopt;
}

}  // namespace cleanai
