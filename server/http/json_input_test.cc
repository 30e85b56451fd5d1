// SPDX-License-Identifier: AGPL-3.0-or-later
#include "http/json_input.h"

#include <gtest/gtest.h>

namespace cleanai {
namespace {

HttpRequest Body(std::string body, std::string type = "application/json") {
  HttpRequest r;
  r.headers["content-type"] = type;
  r.body = std::move(body);
  return r;
}

TEST(JsonInputTest, ReadsFieldsAndRejectsUnknownOnes) {
  JsonInput in(Body(R"({"name":"ali","extra":1})"));
  EXPECT_EQ(in.String("name", {.required = true}), "ali");
  Status st = in.Finish();
  ASSERT_FALSE(st.ok());
  ASSERT_EQ(st.field_errors().size(), 1u);
  EXPECT_EQ(st.field_errors()[0].field, "extra");
}

TEST(JsonInputTest, NestedFieldsByDottedNameAndIgnoredOnes) {
  JsonInput in(Body(R"({"keys":{"auth":"abc","p256dh":5},"expirationTime":null})"));
  EXPECT_EQ(in.String("keys.auth", {.required = true}), "abc");
  EXPECT_EQ(in.String("keys.p256dh"), std::nullopt);  // not a string
  EXPECT_EQ(in.String("keys.missing.deeper"), std::nullopt);
  in.Ignore("expirationTime");
  Status st = in.Finish();
  ASSERT_EQ(st.field_errors().size(), 1u);
  EXPECT_EQ(st.field_errors()[0].field, "keys.p256dh");
  JsonInput flat(Body(R"({"keys":"not an object"})"));
  EXPECT_EQ(flat.String("keys.auth", {.required = true}), std::nullopt);
  ASSERT_EQ(flat.Finish().field_errors().size(), 1u);
}

TEST(JsonInputTest, TypeLengthAndRequiredErrorsPerField) {
  JsonInput in(Body(R"({"a":5,"b":"xy","d":"héllo"})"));
  in.String("a");
  in.String("b", {.min = 3});
  in.String("c", {.required = true});
  EXPECT_EQ(in.String("d", {.max = 5}), "héllo");  // 5 code points, 6 bytes
  Status st = in.Finish();
  ASSERT_EQ(st.field_errors().size(), 3u);
  EXPECT_EQ(st.field_errors()[0].field, "a");
  EXPECT_EQ(st.field_errors()[1].field, "b");
  EXPECT_EQ(st.field_errors()[2].field, "c");
}

TEST(JsonInputTest, MalformedNonObjectInvalidUtf8AndWrongContentType) {
  for (std::string bad : {std::string("{"), std::string("[1,2]"), std::string("\"s\""),
                          std::string("{\"a\":\"\xff\xfe\"}"), std::string("")}) {
    JsonInput in(Body(bad));
    in.String("a");
    EXPECT_FALSE(in.Finish().ok()) << bad;
  }
  JsonInput wrong_type(Body("{}", "text/plain"));
  EXPECT_FALSE(wrong_type.Finish().ok());
}

TEST(JsonInputTest, DeepNestingIsRefused) {
  std::string deep(1000, '[');
  JsonInput in(Body("{\"a\":" + deep + "}"));
  EXPECT_FALSE(in.Finish().ok());
}

}  // namespace
}  // namespace cleanai
