// SPDX-License-Identifier: AGPL-3.0-or-later
#include "http/request_head.h"

#include <gtest/gtest.h>

namespace cleanai {
namespace {

Result<HttpRequest> Parse(const std::string& bytes) { return ParseRequest(bytes, 8192, 65536); }

TEST(RequestHeadTest, AcceptsAPlainRequestAndSplitsTheTarget) {
  auto r = Parse(
      "GET /api/reports/a%20b?bbox=1,2,3,4 HTTP/1.1\r\nHost: x\r\nX-Request-Id: abc-1\r\n"
      "Accept: a\r\naccept: b\r\n\r\n");
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->method, "GET");
  EXPECT_EQ(r->path, "/api/reports/a b");
  EXPECT_EQ(r->query, "bbox=1,2,3,4");
  EXPECT_EQ(r->request_id, "abc-1");
  EXPECT_EQ(r->Header("accept").value_or(""), "a, b");
}

TEST(RequestHeadTest, FramesTheBodyByContentLengthOrChunks) {
  auto r = Parse("POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabcdef");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "abc");
  auto chunked = Parse(
      "POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "2\r\nab\r\n1\r\nc\r\n0\r\n\r\n");
  ASSERT_TRUE(chunked);
  EXPECT_EQ(chunked->body, "abc");
  EXPECT_FALSE(
      Parse("POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd"));
  EXPECT_FALSE(
      ParseRequest("POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n0123456789", 8192, 5));
}

TEST(RequestHeadTest, RefusesWhatRfc9112Refuses) {
  EXPECT_FALSE(Parse("GET / HTTP/1.1\r\n\r\n"));                           // no Host
  EXPECT_FALSE(Parse("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"));     // two
  EXPECT_TRUE(Parse("GET / HTTP/1.0\r\n\r\n"));                            // 1.0: none needed
  EXPECT_FALSE(Parse("GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n 2\r\n\r\n"));  // obs-fold
  EXPECT_FALSE(Parse("GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n\t2\r\n\r\n"));
  EXPECT_FALSE(Parse("GET healthz HTTP/1.1\r\nHost: a\r\n\r\n"));  // not a path
  EXPECT_FALSE(Parse("GET /a%00b HTTP/1.1\r\nHost: a\r\n\r\n"));   // NUL
  EXPECT_FALSE(Parse("GET /a%zz HTTP/1.1\r\nHost: a\r\n\r\n"));    // bad escape
  EXPECT_FALSE(Parse("GET / HTTP/1.1\r\nHost: a\r\n"));            // incomplete
  EXPECT_FALSE(ParseRequest(
      "GET / HTTP/1.1\r\nHost: a\r\nX: " + std::string(9000, 'x') + "\r\n\r\n", 8192, 0));
}

// Found by fuzz/http_request_fuzz: a body shorter than its Content-Length looped forever.
TEST(RequestHeadTest, ABodyShorterThanItsLengthIsAnErrorNotAHang) {
  EXPECT_FALSE(
      Parse("POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 40\r\n\r\n{\"a\":1}"));
  EXPECT_FALSE(Parse("POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab"));
}

TEST(RequestHeadTest, AnUnsafeRequestIdIsReplaced) {
  auto r = Parse("GET / HTTP/1.1\r\nHost: a\r\nX-Request-Id: evil\"id\r\n\r\n");
  ASSERT_TRUE(r);
  EXPECT_NE(r->request_id, "evil\"id");
  EXPECT_EQ(r->request_id.size(), 36u);
}

}  // namespace
}  // namespace cleanai
