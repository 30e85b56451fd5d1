// SPDX-License-Identifier: AGPL-3.0-or-later
#include "notify/templates.h"

#include <gtest/gtest.h>

#include "notify/notify.h"

namespace cleanai {
namespace {

TEST(NotificationTemplates, FillSlotsInTheRecipientsLanguage) {
  TemplateParams p{{"type", {"Plastic", "پلاسٹک"}}, {"address", Same("Mall Road, Lahore")}};
  auto en = RenderNotification("report.received", "en", p);
  ASSERT_TRUE(en);
  EXPECT_EQ(en->title, "Report received");
  EXPECT_EQ(en->body,
            "Thank you. Your Plastic report at Mall Road, Lahore was received and will be "
            "reviewed by the city.");
  auto ur = RenderNotification("report.received", "ur", p);
  ASSERT_TRUE(ur);
  EXPECT_EQ(ur->title, "رپورٹ موصول ہو گئی");
  EXPECT_NE(ur->body.find("Mall Road, Lahore پر پلاسٹک"), std::string::npos) << ur->body;
}

TEST(NotificationTemplates, UnknownLanguageIsEnglishAndMissingValuesAreEmpty) {
  auto t = RenderNotification("report.dispatched", "fr", {{"vehicle", Same("LHR-1")}});
  ASSERT_TRUE(t);
  EXPECT_EQ(t->title, "Truck LHR-1 dispatched");
  EXPECT_EQ(t->body, "Truck LHR-1 is on its way to the waste you reported at .");
  EXPECT_FALSE(RenderNotification("no.such.kind", "en", {}));
}

TEST(NotificationTemplates, ValuesAreNotReadAsSlots) {
  auto t = RenderNotification("report.rejected", "en", {{"reason", Same("{address} is {bogus}")}});
  ASSERT_TRUE(t);
  EXPECT_EQ(t->body, "Your report was rejected: {address} is {bogus}");
}

// Every kind a user can choose channels for has words in both languages (the admin's own
// message is free text).
TEST(NotificationTemplates, EveryKindHasEnglishAndUrdu) {
  for (const auto& kind : NotificationKinds()) {
    if (kind == "admin.message") continue;
    for (const auto& lang : NotificationLanguages()) {
      auto t = RenderNotification(kind, lang, {});
      ASSERT_TRUE(t) << kind;
      EXPECT_FALSE(t->title.empty()) << kind << " " << lang;
      EXPECT_FALSE(t->body.empty()) << kind << " " << lang;
    }
    EXPECT_NE(RenderNotification(kind, "en", {})->body, RenderNotification(kind, "ur", {})->body)
        << kind;
  }
  EXPECT_EQ(PriorityWords("urgent").ur, "فوری");
}

}  // namespace
}  // namespace cleanai
