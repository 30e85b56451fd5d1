// SPDX-License-Identifier: AGPL-3.0-or-later
// Answers kept in memory (http/response_cache.h: the admin's list pages and reports,
// nearby reports)
// follow every change at once: the next request after a write sees it, on both backends,
// and what a user may see is decided before anything is read from memory.
#include "testing/report_fixtures.h"

namespace cleanai::testing {
namespace {

class KeptAnswersTest : public BackendTest {};

double Metric(const TestServer& s, const std::string& name) {
  std::string body = s.Request("GET", "/metrics").body;
  size_t at = body.find("\n" + name + " ");
  return at == std::string::npos ? -1.0 : std::strtod(body.c_str() + at + name.size() + 2, nullptr);
}

// The report `id` as a list answer shows it, or nullptr when the answer leaves it out.
boost::json::value InList(const HttpResult& list, const std::string& id) {
  auto body = list.Json();
  for (const auto& r : body.at("items").as_array()) {
    if (Str(r, "id") == id) return r;
  }
  return nullptr;
}

std::string StatusIn(const HttpResult& list, const std::string& id) {
  auto r = InList(list, id);
  return r.is_null() ? "(absent)" : Str(r, "status");
}

TEST_P(KeptAnswersTest, TheNextRequestAfterAnyChangeSeesIt) {
  TestServer& s = server();
  Account citizen = RegisterCitizen(s, "kept");
  Staff st = MakeStaff(s);
  Staff other = MakeStaff(s);
  // Somewhere no other test files reports, so the first page holds ours.
  const double lat = 24.8607, lng = 67.0011;
  std::string id = FileReport(s, citizen.access_token, lat, lng);
  const std::string page = "/api/reports?limit=200&sort=newest";
  const std::string nearby =
      "/api/reports/nearby?lat=" + std::to_string(lat) + "&lng=" + std::to_string(lng);
  auto list = [&] { return s.Json("GET", page, "", st.admin); };
  auto near = [&] { return s.Json("GET", nearby, "", citizen.access_token); };
  auto one = [&] { return s.Json("GET", "/api/reports/" + id, "", st.admin).Json(); };

  ASSERT_EQ(StatusIn(list(), id), "submitted");
  ASSERT_EQ(StatusIn(near(), id), "submitted");
  ASSERT_EQ(Str(one(), "status"), "submitted");
  const double hits = Metric(s, "cleanai_response_cache_hits_total");
  ASSERT_EQ(StatusIn(list(), id), "submitted");
  ASSERT_EQ(StatusIn(near(), id), "submitted");
  ASSERT_EQ(Str(one(), "status"), "submitted");
  EXPECT_GE(Metric(s, "cleanai_response_cache_hits_total"), hits + 3) << "answered from memory";

  // A status change.
  ASSERT_EQ(s.Json("PATCH", "/api/reports/" + id + "/status",
                   Serialize({{"status", "acknowledged"}}), st.admin)
                .status,
            200);
  EXPECT_EQ(StatusIn(list(), id), "acknowledged");
  EXPECT_EQ(StatusIn(near(), id), "acknowledged");
  EXPECT_EQ(Str(one(), "status"), "acknowledged");

  // Dispatch, then reassignment to another truck.
  ASSERT_EQ(s.Json("PATCH", "/api/fleet/" + st.vehicle_id + "/assign",
                   Serialize({{"reportId", id}}), st.admin)
                .status,
            200);
  EXPECT_EQ(Str(InList(list(), id), "dispatchedTo"), st.vehicle_id);
  ASSERT_EQ(s.Json("PATCH", "/api/reports/" + id + "/status",
                   Serialize({{"status", "acknowledged"}}), st.admin)
                .status,
            200);
  ASSERT_EQ(s.Json("PATCH", "/api/fleet/" + other.vehicle_id + "/assign",
                   Serialize({{"reportId", id}}), other.admin)
                .status,
            200);
  EXPECT_EQ(Str(InList(list(), id), "dispatchedTo"), other.vehicle_id);
  EXPECT_EQ(Str(one(), "dispatchedTo"), other.vehicle_id);
  EXPECT_EQ(StatusIn(near(), id), "dispatched");

  // An edit by an admin.
  ASSERT_EQ(
      s.Json("PUT", "/api/reports/" + id, Serialize({{"priority", "urgent"}}), st.admin).status,
      200);
  EXPECT_EQ(Str(InList(list(), id), "priority"), "urgent");
  EXPECT_EQ(Str(one(), "priority"), "urgent");

  // Conditional requests: the kept answer's ETag revalidates to 304 until the next change.
  HttpResult before = list();
  std::string etag = before.Header("etag");
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(
      s.Request("GET", page, "", {{"Authorization", "Bearer " + st.admin}, {"If-None-Match", etag}})
          .status,
      304);

  // Deletion: gone from both at once, and the old ETag no longer matches.
  ASSERT_EQ(s.Json("DELETE", "/api/reports/" + id, "", st.admin).status, 204);
  HttpResult after = s.Request("GET", page, "",
                               {{"Authorization", "Bearer " + st.admin}, {"If-None-Match", etag}});
  ASSERT_EQ(after.status, 200);
  EXPECT_TRUE(InList(after, id).is_null());
  EXPECT_TRUE(InList(near(), id).is_null());
  EXPECT_FALSE(Str(one(), "deletedAt").empty()) << "admins still see it, as deleted";
  // Its reporter no longer does (their answer is never kept).
  EXPECT_EQ(s.Json("GET", "/api/reports/" + id, "", citizen.access_token).status, 404);
}

TEST_P(KeptAnswersTest, WhoMaySeeIsDecidedBeforeMemoryIsRead) {
  TestServer& s = server();
  Account citizen = RegisterCitizen(s, "keptrole");
  const std::string admin = s.Login("admin", s.admin_password());
  const std::string page = "/api/reports?limit=25";
  ASSERT_EQ(s.Json("GET", page, "", admin).status, 200);
  ASSERT_EQ(s.Json("GET", page, "", admin).status, 200);  // kept now
  // A citizen never gets the admins' kept list.
  EXPECT_EQ(s.Json("GET", page, "", citizen.access_token).status, 403);
  // Made an admin: the next request has it; made a citizen again: refused again.
  ASSERT_EQ(
      s.Json("PATCH", "/api/users/" + citizen.id, Serialize({{"role", "admin"}}), admin).status,
      200);
  EXPECT_EQ(s.Json("GET", page, "", citizen.access_token).status, 200);
  ASSERT_EQ(
      s.Json("PATCH", "/api/users/" + citizen.id, Serialize({{"role", "citizen"}}), admin).status,
      200);
  EXPECT_EQ(s.Json("GET", page, "", citizen.access_token).status, 403);
  // After logout the token gets nothing, kept or not.
  std::string second = s.Login("admin", s.admin_password());
  ASSERT_EQ(s.Json("GET", page, "", second).status, 200);
  ASSERT_EQ(s.Json("POST", "/api/auth/logout", "", second).status, 204);
  EXPECT_EQ(s.Json("GET", page, "", second).status, 401);
  EXPECT_EQ(s.Json("GET", "/api/reports/nearby?lat=1&lng=1", "", second).status, 401);
  EXPECT_EQ(s.Json("GET", page, "", admin).status, 200);
}

INSTANTIATE_TEST_SUITE_P(Backends, KeptAnswersTest, ::testing::ValuesIn(TestBackends()),
                         BackendName);

}  // namespace
}  // namespace cleanai::testing
