// SPDX-License-Identifier: AGPL-3.0-or-later
#include "http/multipart.h"

#include <gtest/gtest.h>

namespace cleanai {
namespace {

const std::string kType = "multipart/form-data; boundary=XyZ";

TEST(MultipartTest, FieldsAndFiles) {
  std::string binary("\xff\xd8\x00\r\n--Xy\xff\xd9", 10);
  std::string body =
      "preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"wasteType\"\r\n\r\n"
      "plastic\r\n--XyZ\r\nContent-Disposition: form-data; name=\"photo\"; "
      "filename=\"a \\\"b\\\".jpg\"\r\nContent-Type: image/jpeg\r\n\r\n" +
      binary + "\r\n--XyZ--\r\n";
  auto form = MultipartForm::Parse(body, kType);
  ASSERT_TRUE(form) << form.error().message();
  EXPECT_EQ(form->Field("wasteType"), "plastic");
  const MultipartPart* photo = form->File("photo");
  ASSERT_NE(photo, nullptr);
  EXPECT_EQ(photo->filename, "a \"b\".jpg");
  EXPECT_EQ(std::string(photo->data), binary);
  EXPECT_FALSE(form->Field("photo"));
  EXPECT_EQ(form->File("wasteType"), nullptr);
}

TEST(MultipartTest, QuotedBoundaryAndEmptyValue) {
  std::string body = "--a b\r\nContent-Disposition: form-data; name=\"d\"\r\n\r\n\r\n--a b--";
  auto form = MultipartForm::Parse(body, "multipart/form-data; boundary=\"a b\"");
  ASSERT_TRUE(form) << form.error().message();
  EXPECT_EQ(form->Field("d"), "");
}

TEST(MultipartTest, MalformedBodiesAreInvalidArgument) {
  const char* bad[] = {
      "",
      "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end",
      "--XyZ\r\nContent-Disposition: form-data\r\n\r\nx\r\n--XyZ--",
      "--XyZ\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--XyZ--",
      "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--XyZ\r\n"
      "Content-Disposition: form-data; name=\"a\"\r\n\r\ny\r\n--XyZ--",
      "--XyZgarbage",
  };
  for (const char* b : bad) {
    auto form = MultipartForm::Parse(b, kType);
    ASSERT_FALSE(form) << b;
    EXPECT_EQ(form.error().code(), StatusCode::kInvalidArgument);
  }
  EXPECT_FALSE(MultipartForm::Parse("--x--", "multipart/form-data"));
  EXPECT_FALSE(MultipartForm::Parse("--x--", "application/json; boundary=x"));
}

TEST(MultipartTest, TooManyParts) {
  std::string body;
  for (int i = 0; i < 40; ++i) {
    body +=
        "--XyZ\r\nContent-Disposition: form-data; name=\"f" + std::to_string(i) + "\"\r\n\r\nv\r\n";
  }
  body += "--XyZ--";
  EXPECT_FALSE(MultipartForm::Parse(body, kType));
}

}  // namespace
}  // namespace cleanai
