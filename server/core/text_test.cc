// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/text.h"

#include <gtest/gtest.h>

namespace cleanai {
namespace {

TEST(TextTest, EscapeMarkupForXmlAndHtml) {
  EXPECT_EQ(EscapeMarkup(R"(<a href="x">Tom & Jerry's</a>)"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;");
  EXPECT_EQ(EscapeMarkup(std::string("line\tone\nbell\x07 end\r")), "line\tone\nbell end\r");
  EXPECT_EQ(EscapeMarkup("اردو"), "اردو");  // UTF-8 passes through
}

TEST(TextTest, LikeContainsEscapesWildcards) {
  EXPECT_EQ(LikeContains("50%_Off\\"), "%50\\%\\_off\\\\%");
}

}  // namespace
}  // namespace cleanai
