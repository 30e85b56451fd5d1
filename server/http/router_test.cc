// SPDX-License-Identifier: AGPL-3.0-or-later
#include "http/router.h"

#include <gtest/gtest.h>

namespace cleanai {
namespace {

HttpRequest Req(std::string method, std::string path) {
  HttpRequest r;
  r.method = std::move(method);
  r.path = std::move(path);
  r.request_id = "test";
  return r;
}

TEST(RouterTest, PathParametersAndRoutePattern) {
  Router router;
  router.Add("GET", "/api/users/:id/things/:thing", Access::Public(), [](HttpRequest& req) {
    return HttpResponse::Text(200, "text/plain",
                              req.path_params["id"] + "|" + req.path_params["thing"]);
  });
  HttpRequest req = Req("GET", "/api/users/42/things/abc");
  HttpResponse resp = router.Handle(req);
  EXPECT_EQ(resp.status, 200);
  EXPECT_EQ(resp.body, "42|abc");
  EXPECT_EQ(resp.route, "/api/users/:id/things/:thing");
}

TEST(RouterTest, AFixedSegmentBeatsAParameterWhateverTheOrder) {
  Router router;
  auto says = [](std::string what) {
    return [what](HttpRequest& req) {
      return HttpResponse::Text(200, "text/plain", what + req.path_params["id"]);
    };
  };
  router.Add("GET", "/api/fleet/:id", Access::Public(), says("vehicle "));
  router.Add("GET", "/api/fleet/plan", Access::Public(), says("plan"));
  router.Add("GET", "/api/:kind/summary", Access::Public(), says("summary"));
  router.AddUpload("POST", "/api/fleet/:id", Access::Public(), says("upload"));
  router.Add("POST", "/api/fleet/plan", Access::Public(), says("plan"));
  HttpRequest plan = Req("GET", "/api/fleet/plan");
  EXPECT_EQ(router.Handle(plan).body, "plan");
  HttpRequest vehicle = Req("GET", "/api/fleet/7");
  EXPECT_EQ(router.Handle(vehicle).body, "vehicle 7");
  // /api/fleet/:id and /api/:kind/summary both match; the fixed "fleet" comes first.
  HttpRequest summary = Req("GET", "/api/fleet/summary");
  EXPECT_EQ(router.Handle(summary).body, "vehicle summary");
  EXPECT_TRUE(router.IsUploadRoute("POST", "/api/fleet/7"));
  EXPECT_FALSE(router.IsUploadRoute("POST", "/api/fleet/plan"));
}

TEST(RouterTest, UnknownPathIs404AndWrongMethodIs405WithAllow) {
  Router router;
  router.Add("GET", "/a", Access::Public(), [](HttpRequest&) { return HttpResponse::NoContent(); });
  router.Add("POST", "/a", Access::Public(),
             [](HttpRequest&) { return HttpResponse::NoContent(); });
  HttpRequest missing = Req("GET", "/b");
  EXPECT_EQ(router.Handle(missing).status, 404);
  HttpRequest wrong = Req("DELETE", "/a");
  HttpResponse resp = router.Handle(wrong);
  EXPECT_EQ(resp.status, 405);
  EXPECT_EQ(resp.content_type, "application/problem+json");
  ASSERT_EQ(resp.headers.size(), 1u);
  EXPECT_EQ(resp.headers[0].second, "GET, POST");
}

TEST(RouterTest, AccessChecks) {
  Router router;
  router.SetAuthenticator([](const HttpRequest& req) -> Result<Principal> {
    auto who = req.Header("authorization");
    if (!who) return Err(Status::Unauthenticated("missing bearer token"));
    auto role = ParseRole(*who);
    if (!role) return Err(Status::Unauthenticated("unknown role"));
    return Principal{"1", "u", *role, "s"};
  });
  router.Add("GET", "/admin", Access::Roles({Role::kAdmin}),
             [](HttpRequest&) { return HttpResponse::NoContent(); });
  HttpRequest anon = Req("GET", "/admin");
  EXPECT_EQ(router.Handle(anon).status, 401);
  HttpRequest citizen = Req("GET", "/admin");
  citizen.headers["authorization"] = "citizen";
  EXPECT_EQ(router.Handle(citizen).status, 403);
  HttpRequest admin = Req("GET", "/admin");
  admin.headers["authorization"] = "admin";
  EXPECT_EQ(router.Handle(admin).status, 204);
}

TEST(RouterTest, HandlerExceptionBecomes500Problem) {
  Router router;
  router.Add("GET", "/boom", Access::Public(),
             [](HttpRequest&) -> HttpResponse { throw std::runtime_error("kaboom"); });
  HttpRequest req = Req("GET", "/boom");
  HttpResponse resp = router.Handle(req);
  EXPECT_EQ(resp.status, 500);
  EXPECT_EQ(resp.body.find("kaboom"), std::string::npos) << "internal detail leaked";
}

TEST(RequestTest, QueryParametersAndCookies) {
  HttpRequest r;
  r.query = "q=a%20b&role=admin&plus=x+y&bad=%zz";
  EXPECT_EQ(r.QueryParam("q"), "a b");
  EXPECT_EQ(r.QueryParam("role"), "admin");
  EXPECT_EQ(r.QueryParam("plus"), "x y");
  EXPECT_FALSE(r.QueryParam("bad"));
  EXPECT_FALSE(r.QueryParam("missing"));
  r.headers["cookie"] = "a=1; cleanai_refresh=tok; b=2";
  EXPECT_EQ(r.Cookie("cleanai_refresh"), "tok");
  EXPECT_FALSE(r.Cookie("nope"));
}

}  // namespace
}  // namespace cleanai
