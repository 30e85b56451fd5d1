// SPDX-License-Identifier: AGPL-3.0-or-later
// The OpenAPI document and the router must describe the same API: a route without
// documentation, or documentation without a route, fails here.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <set>

#include "app/app.h"
#include "core/crypto.h"

namespace cleanai {
namespace {

std::string ToOpenApiPath(const std::string& pattern) {
  std::string out;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == ':' && (i == 0 || pattern[i - 1] == '/')) {
      size_t end = pattern.find('/', i);
      if (end == std::string::npos) end = pattern.size();
      out += "{" + pattern.substr(i + 1, end - i - 1) + "}";
      i = end - 1;
    } else {
      out.push_back(pattern[i]);
    }
  }
  return out;
}

TEST(OpenApiTest, DocumentMatchesTheRouter) {
  ASSERT_TRUE(InitCrypto());
  Config cfg;
  cfg.data_dir = "/tmp/cleanai-openapi-test-" + std::to_string(::getpid());
  cfg.database_url = "sqlite:///" + cfg.data_dir + "/db.sqlite";
  auto app = BuildApp(cfg, SystemClock());
  ASSERT_TRUE(app) << app.error().message();

  std::set<std::string> routed;
  for (const auto& r : (*app)->router.routes()) {
    std::string m = r.method;
    for (auto& c : m) c = static_cast<char>(std::tolower(c));
    routed.insert(m + " " + ToOpenApiPath(r.pattern));
  }

  auto doc = boost::json::parse(OpenApiDocument());
  ASSERT_EQ(doc.at("openapi").as_string(), "3.1.0");
  std::set<std::string> documented;
  for (const auto& [path, item] : doc.at("paths").as_object()) {
    for (const auto& [method, op] : item.as_object()) {
      documented.insert(std::string(method) + " " + std::string(path));
      EXPECT_TRUE(op.as_object().contains("responses")) << method << " " << path;
    }
  }
  for (const auto& r : routed) EXPECT_TRUE(documented.count(r)) << "undocumented route: " << r;
  for (const auto& d : documented)
    EXPECT_TRUE(routed.count(d)) << "documented but not routed: " << d;
  std::filesystem::remove_all(cfg.data_dir);
}

}  // namespace
}  // namespace cleanai
