// SPDX-License-Identifier: AGPL-3.0-or-later
// What each kind of notification says, in English and Urdu. Callers give the template
// and its values (some of which differ by language, like a waste type's name); the
// notifier renders them in the recipient's language when it writes the notification, so
// the in-app list, the email, the SMS and the push all say the same thing.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cleanai {

// A value in each language; Same() for names, addresses and numbers.
struct Words {
  std::string en, ur;
};
inline Words Same(std::string s) { return {s, s}; }
using TemplateParams = std::map<std::string, Words>;

struct NotificationText {
  std::string title, body;
};

// The languages a user may receive notifications in: en, ur.
const std::vector<std::string>& NotificationLanguages();

// `name` is a kind (report.received, …) or a variant of one (report.resolved.photo). Slots
// `{key}` take params[key] in `language` (English when the language is unknown); a slot
// without a value renders empty. nullopt for an unknown template.
std::optional<NotificationText> RenderNotification(const std::string& name,
                                                   const std::string& language,
                                                   const TemplateParams& params);

// A report priority (low, medium, high, urgent) in both languages.
Words PriorityWords(const std::string& priority);

}  // namespace cleanai
