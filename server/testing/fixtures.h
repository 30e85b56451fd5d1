// SPDX-License-Identifier: AGPL-3.0-or-later
// Shared fixtures for whole-server tests: one server per backend per test binary, unique
// names, and account helpers.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <map>
#include <memory>
#include <string>

#include "testing/databases.h"
#include "testing/test_server.h"

namespace cleanai::testing {

// Stops the shared servers after the last test, while everything they use still exists.
class SharedServers : public ::testing::Environment {
 public:
  static std::map<std::string, std::unique_ptr<TestServer>>& Map() {
    static auto* servers = [] {
      ::testing::AddGlobalTestEnvironment(new SharedServers());
      return new std::map<std::string, std::unique_ptr<TestServer>>();
    }();
    return *servers;
  }
  void TearDown() override { Map().clear(); }
};

// A server shared by every test of one backend in this binary.
inline TestServer& SharedServer(const std::string& backend) {
  auto& s = SharedServers::Map()[backend];
  if (!s) {
    ServerOptions o;
    o.backend = backend;
    s = TestServer::Start(o);
    if (!s) throw std::runtime_error("server for " + backend + " did not start");
  }
  return *s;
}

inline std::string UniqueName(const std::string& prefix) {
  static std::atomic<int> n{0};
  return prefix + std::to_string(::getpid() % 100000) + "_" + std::to_string(++n);
}

struct Account {
  std::string username, email, password, access_token, refresh_token, id;
};

// Registers a new citizen; fails the test on error.
inline Account RegisterCitizen(const TestServer& s, const std::string& prefix = "cit") {
  Account a;
  a.username = UniqueName(prefix);
  a.email = a.username + "@example.org";
  a.password = "a sensible passphrase";
  boost::json::object body{{"username", a.username}, {"email", a.email}, {"password", a.password}};
  HttpResult r = s.Json("POST", "/api/auth/register", boost::json::serialize(body));
  EXPECT_EQ(r.status, 201) << r.body;
  auto v = r.Json();
  if (v.is_object()) {
    a.access_token = std::string(v.at("accessToken").as_string());
    a.refresh_token = std::string(v.at("refreshToken").as_string());
    a.id = std::string(v.at("user").at("id").as_string());
  }
  return a;
}

inline std::string Serialize(const boost::json::object& o) { return boost::json::serialize(o); }

// Runs a test body once per backend.
class BackendTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!BackendAvailable(GetParam())) GTEST_SKIP() << "no PostgreSQL test server configured";
  }
  TestServer& server() { return SharedServer(GetParam()); }
};

inline std::string BackendName(const ::testing::TestParamInfo<std::string>& info) {
  return info.param;
}

}  // namespace cleanai::testing
