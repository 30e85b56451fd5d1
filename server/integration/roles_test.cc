// Route x role -> expected status, for every protected route. A row failing here means
// someone can reach what they should not, or cannot reach what they should.
#include "core/crypto.h"
#include "testing/fixtures.h"

namespace cleanai::testing {
namespace {

struct Case {
  std::string method, target, body;
  // Expected status for anonymous, citizen, driver, admin.
  int anonymous, citizen, driver, admin;
};

class RolesTest : public BackendTest {};

TEST_P(RolesTest, EveryProtectedRouteByRole) {
  TestServer& s = server();
  std::string admin = s.Login("admin", s.admin_password());
  Account citizen = RegisterCitizen(s, "rolecit");
  Account driver = RegisterCitizen(s, "roledrv");
  ASSERT_EQ(s.Json("PATCH", "/api/users/" + driver.id, Serialize({{"role", "driver"}}), admin).status, 200);
  Account target = RegisterCitizen(s, "roletgt");

  // Bodies are chosen so that an allowed caller gets a validation answer and nothing
  // changes, except where the row says 200/204.
  std::vector<Case> cases = {
      {"GET", "/api/auth/me", "", 401, 200, 200, 200},
      {"PUT", "/api/auth/password", R"({"currentPassword":"x"})", 401, 422, 422, 422},
      {"GET", "/api/users", "", 401, 403, 403, 200},
      {"PATCH", "/api/users/" + target.id, R"({"role":"citizen"})", 401, 403, 403, 200},
      {"PATCH", "/api/users/" + NewUuidV7(), R"({"role":"citizen"})", 401, 403, 403, 404},
      {"POST", "/api/auth/logout", "", 401, 204, 204, 204},
      // Public routes answer everyone the same.
      {"GET", "/healthz", "", 200, 200, 200, 200},
      {"GET", "/api/openapi.json", "", 200, 200, 200, 200},
  };
  for (const Case& c : cases) {
    // Fresh sessions per row, so the logout row does not end the others.
    std::map<std::string, std::string> tokens = {
        {"anonymous", ""},
        {"citizen", s.Login(citizen.username, citizen.password)},
        {"driver", s.Login(driver.username, driver.password)},
        {"admin", s.Login("admin", s.admin_password())}};
    std::map<std::string, int> expected = {{"anonymous", c.anonymous}, {"citizen", c.citizen},
                                           {"driver", c.driver}, {"admin", c.admin}};
    for (const auto& [role, token] : tokens) {
      HttpResult r = s.Json(c.method, c.target, c.body, token);
      EXPECT_EQ(r.status, expected[role]) << c.method << " " << c.target << " as " << role
                                          << ": " << r.body;
      if (r.status >= 400) {
        EXPECT_EQ(r.Header("content-type"), "application/problem+json") << c.target;
      }
      if (r.status == 401) EXPECT_EQ(r.Header("www-authenticate"), "Bearer");
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, RolesTest, ::testing::ValuesIn(TestBackends()), BackendName);

}  // namespace
}  // namespace cleanai::testing
