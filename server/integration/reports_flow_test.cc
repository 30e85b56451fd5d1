// SPDX-License-Identifier: AGPL-3.0-or-later
// The admin response flow, the status machine, access rules, nearby, delete, merge.
#include <set>

#include "testing/report_fixtures.h"

namespace cleanai::testing {
namespace {

class ReportFlowTest : public BackendTest {};

HttpResult SetStatus(const TestServer& s, const std::string& token, const std::string& id,
                     boost::json::object body) {
  return s.Json("PATCH", "/api/reports/" + id + "/status", Serialize(body), token);
}

TEST_P(ReportFlowTest, CitizenSubmitsAdminDispatchesDriverResolves) {
  TestServer& s = server();
  Account citizen = RegisterCitizen(s, "flow");
  Staff st = MakeStaff(s);
  std::string id = FileReport(s, citizen.access_token, 31.5497, 74.3436);

  // The admin sees it in the list.
  HttpResult list = s.Json("GET", "/api/reports?status=submitted&limit=200", "", st.admin);
  ASSERT_EQ(list.status, 200) << list.body;
  bool listed = false;
  auto list_json = list.Json();
  for (const auto& r : list_json.at("items").as_array()) listed |= Str(r, "id") == id;
  EXPECT_TRUE(listed);

  EXPECT_EQ(SetStatus(s, st.admin, id, {{"status", "acknowledged"}}).status, 200);
  HttpResult assigned = s.Json("PATCH", "/api/fleet/" + st.vehicle_id + "/assign",
                               Serialize({{"reportId", id}}), st.admin);
  ASSERT_EQ(assigned.status, 200) << assigned.body;
  EXPECT_EQ(Str(assigned.Json(), "status"), "dispatched");
  EXPECT_EQ(Str(assigned.Json(), "dispatchedTo"), st.vehicle_id);
  EXPECT_EQ(Str(s.Json("GET", "/api/fleet/" + st.vehicle_id, "", st.admin).Json(), "status"),
            "busy");

  // The driver sees the job (without who filed it) and works it.
  HttpResult seen = s.Json("GET", "/api/reports/" + id, "", st.driver_token);
  ASSERT_EQ(seen.status, 200) << seen.body;
  EXPECT_FALSE(seen.Json().as_object().contains("reporter"));
  EXPECT_EQ(SetStatus(s, st.driver_token, id, {{"status", "in_progress"}}).status, 200);
  auto [type, body] =
      Multipart({{"status", "resolved"}, {"note", "cleared"}},
                {{"photo", "after.jpg", "image/jpeg", MakeImage("jpeg", 640, 480)}});
  HttpResult resolved =
      s.Request("PATCH", "/api/reports/" + id + "/status", body,
                {{"Content-Type", type}, {"Authorization", "Bearer " + st.driver_token}});
  ASSERT_EQ(resolved.status, 200) << resolved.body;
  auto rep = resolved.Json();
  EXPECT_EQ(Str(rep, "status"), "resolved");
  EXPECT_FALSE(Str(rep, "resolvedAt").empty());
  std::string after = Str(rep, "verificationImageUrl");
  ASSERT_FALSE(after.empty());
  EXPECT_EQ(s.Request("GET", after).status, 200);
  EXPECT_EQ(Str(s.Json("GET", "/api/fleet/" + st.vehicle_id, "", st.admin).Json(), "status"),
            "idle");

  // The citizen's view: status, counter, notifications, timeline.
  HttpResult mine = s.Json("GET", "/api/reports/" + id, "", citizen.access_token);
  EXPECT_EQ(Str(mine.Json(), "status"), "resolved");
  EXPECT_EQ(s.Json("GET", "/api/auth/me", "", citizen.access_token)
                .Json()
                .at("reportsResolved")
                .as_int64(),
            1);
  auto kinds = NotificationKinds(s, citizen.access_token);  // newest first
  std::vector<std::string> expected = {"report.resolved", "report.in_progress", "report.dispatched",
                                       "report.acknowledged", "report.received"};
  EXPECT_EQ(kinds, expected);
  HttpResult history = s.Json("GET", "/api/notify/history", "", citizen.access_token);
  EXPECT_NE(history.body.find(st.vehicle_number), std::string::npos)
      << "truck number not in notification";
  EXPECT_EQ(NotificationKinds(s, st.driver_token), std::vector<std::string>{"assignment.new"});

  HttpResult events = s.Json("GET", "/api/reports/" + id + "/events", "", citizen.access_token);
  std::vector<std::string> steps;
  auto events_json = events.Json();
  for (const auto& e : events_json.at("items").as_array()) {
    steps.push_back(Str(e, "newStatus"));
    EXPECT_FALSE(e.as_object().contains("actor")) << "citizens do not see who acted";
  }
  EXPECT_EQ(steps, (std::vector<std::string>{"submitted", "acknowledged", "dispatched",
                                             "in_progress", "resolved"}));
  HttpResult admin_events = s.Json("GET", "/api/reports/" + id + "/events", "", st.admin);
  EXPECT_EQ(Str(admin_events.Json().at("items").at(4).at("actor"), "username"), st.driver.username);

  // Mark a notification read.
  std::string nid = Str(history.Json().at("items").at(0), "id");
  EXPECT_EQ(s.Json("POST", "/api/notify/" + nid + "/read", "", citizen.access_token).status, 204);
  EXPECT_EQ(s.Json("POST", "/api/notify/" + nid + "/read", "", st.admin).status, 404);
  HttpResult unread = s.Json("GET", "/api/notify/history?unread=true", "", citizen.access_token);
  EXPECT_EQ(unread.Json().at("items").as_array().size(), 4u);
}

// Conditional GETs: an unchanged report or list costs a 304 and no body; any change gives
// a new ETag at once (never a stale status); authorization comes first (a stranger with
// the owner's ETag still gets a 404, not a 304); tokens are never cached.
TEST_P(ReportFlowTest, UnchangedAnswersAre304AndAChangeIsSeenAtOnce) {
  TestServer& s = server();
  Account citizen = RegisterCitizen(s, "etag");
  Staff st = MakeStaff(s);
  std::string id = FileReport(s, citizen.access_token, 24.87, 67.02);
  auto get = [&](const std::string& path, const std::string& token, const std::string& etag = "") {
    std::map<std::string, std::string> h{{"Authorization", "Bearer " + token}};
    if (!etag.empty()) h["If-None-Match"] = etag;
    return s.Request("GET", path, "", h);
  };
  HttpResult first = get("/api/reports/" + id, citizen.access_token);
  ASSERT_EQ(first.status, 200);
  const std::string etag = first.Header("etag");
  ASSERT_EQ(etag.size(), 34u) << etag;
  EXPECT_EQ(first.Header("cache-control"), "private, no-cache");
  HttpResult same = get("/api/reports/" + id, citizen.access_token, etag);
  EXPECT_EQ(same.status, 304);
  EXPECT_TRUE(same.body.empty());
  EXPECT_EQ(same.Header("etag"), etag);
  EXPECT_EQ(get("/api/reports/" + id, citizen.access_token, "W/\"other\", " + etag).status, 304);
  EXPECT_EQ(get("/api/reports/" + id, citizen.access_token, "\"other\"").status, 200);
  // Someone who may not see it: 404 whatever they send.
  Account stranger = RegisterCitizen(s, "etag2");
  EXPECT_EQ(get("/api/reports/" + id, stranger.access_token, etag).status, 404);
  EXPECT_EQ(get("/api/reports/" + id, stranger.access_token, "*").status, 404);
  // A change: the next revalidation gets the new status, not a 304.
  ASSERT_EQ(SetStatus(s, st.admin, id, {{"status", "acknowledged"}}).status, 200);
  HttpResult changed = get("/api/reports/" + id, citizen.access_token, etag);
  ASSERT_EQ(changed.status, 200);
  EXPECT_EQ(Str(changed.Json(), "status"), "acknowledged");
  EXPECT_NE(changed.Header("etag"), etag);
  // Lists too.
  HttpResult list = get("/api/reports?limit=5", st.admin);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(get("/api/reports?limit=5", st.admin, list.Header("etag")).status, 304);
  // Sessions are never kept by a cache, so never revalidated.
  HttpResult login =
      s.Json("POST", "/api/auth/login",
             Serialize({{"username", citizen.username}, {"password", citizen.password}}));
  EXPECT_EQ(login.Header("etag"), "");
  EXPECT_EQ(login.Header("cache-control"), "no-store");
}

TEST_P(ReportFlowTest, ADriverWhoCannotCleanHandsTheReportBackWithAReason) {
  TestServer& s = server();
  Account citizen = RegisterCitizen(s, "cc");
  Staff st = MakeStaff(s);
  std::string id = FileReport(s, citizen.access_token, 31.41, 74.21);
  ASSERT_EQ(s.Json("PATCH", "/api/fleet/" + st.vehicle_id + "/assign",
                   Serialize({{"reportId", id}}), st.admin)
                .status,
            200);
  ASSERT_EQ(SetStatus(s, st.driver_token, id, {{"status", "in_progress"}}).status, 200);
  // Without a reason the admins would not know what to do next.
  HttpResult bare = SetStatus(s, st.driver_token, id, {{"status", "acknowledged"}});
  EXPECT_EQ(bare.status, 422) << bare.body;
  EXPECT_NE(bare.body.find("reason"), std::string::npos);
  HttpResult back = SetStatus(s, st.driver_token, id,
                              {{"status", "acknowledged"}, {"reason", "Gate locked, no access"}});
  ASSERT_EQ(back.status, 200) << back.body;
  EXPECT_EQ(Str(back.Json(), "status"), "acknowledged");
  // The admins see why in the timeline, and the truck is free again.
  HttpResult events = s.Json("GET", "/api/reports/" + id + "/events", "", st.admin);
  EXPECT_NE(events.body.find("Gate locked, no access"), std::string::npos) << events.body;
  EXPECT_EQ(Str(s.Json("GET", "/api/fleet/" + st.vehicle_id, "", st.admin).Json(), "status"),
            "idle");
  // It is the admins' again: the driver cannot move it further.
  EXPECT_NE(SetStatus(s, st.driver_token, id, {{"status", "resolved"}}).status, 200);
}

TEST_P(ReportFlowTest, IllegalTransitionsAreConflicts) {
  TestServer& s = server();
  Account citizen = RegisterCitizen(s, "sm");
  Staff st = MakeStaff(s);
  std::string id = FileReport(s, citizen.access_token, 31.4, 74.2);
  EXPECT_EQ(SetStatus(s, st.admin, id, {{"status", "in_progress"}}).status, 409);
  EXPECT_EQ(SetStatus(s, st.admin, id, {{"status", "resolved"}}).status, 409);
  EXPECT_EQ(SetStatus(s, st.admin, id, {{"status", "submitted"}}).status, 409);
  EXPECT_EQ(SetStatus(s, st.admin, id, {{"status", "dispatched"}}).status, 422);
  EXPECT_EQ(SetStatus(s, st.admin, id, {{"status", "flying"}}).status, 422);
  EXPECT_EQ(SetStatus(s, st.admin, id, {{"status", "rejected"}}).status, 422);  // no reason
  EXPECT_EQ(SetStatus(s, st.admin, id, {{"status", "duplicate"}}).status, 422);
  EXPECT_EQ(SetStatus(s, st.admin, id, {{"status", "duplicate"}, {"duplicateOf", id}}).status, 422);
  EXPECT_EQ(
      SetStatus(s, st.admin, id,
                {{"status", "duplicate"}, {"duplicateOf", "01a20eea-0000-7000-8000-000000000000"}})
          .status,
      422);
  // The citizen and an unassigned driver cannot move it at all.
  EXPECT_EQ(SetStatus(s, citizen.access_token, id, {{"status", "acknowledged"}}).status, 403);
  EXPECT_EQ(SetStatus(s, st.driver_token, id, {{"status", "acknowledged"}}).status, 404);

  HttpResult rejected =
      SetStatus(s, st.admin, id, {{"status", "rejected"}, {"reason", "Not in our city"}});
  ASSERT_EQ(rejected.status, 200);
  EXPECT_EQ(Str(rejected.Json(), "rejectionReason"), "Not in our city");
  EXPECT_EQ(SetStatus(s, st.admin, id, {{"status", "resolved"}}).status, 409);
  EXPECT_EQ(s.Json("PATCH", "/api/fleet/" + st.vehicle_id + "/assign",
                   Serialize({{"reportId", id}}), st.admin)
                .status,
            409);
  HttpResult history = s.Json("GET", "/api/notify/history", "", citizen.access_token);
  EXPECT_NE(history.body.find("Not in our city"), std::string::npos);
  // Reopen, then a driver may not resolve a report not assigned to them.
  EXPECT_EQ(SetStatus(s, st.admin, id, {{"status", "acknowledged"}}).status, 200);
  EXPECT_EQ(SetStatus(s, st.driver_token, id, {{"status", "resolved"}}).status, 404);
  // An after photo only goes with resolving.
  auto [type, body] = Multipart({{"status", "rejected"}, {"reason", "x"}},
                                {{"photo", "a.jpg", "image/jpeg", SmallJpeg()}});
  EXPECT_EQ(s.Request("PATCH", "/api/reports/" + id + "/status", body,
                      {{"Content-Type", type}, {"Authorization", "Bearer " + st.admin}})
                .status,
            422);
}

TEST_P(ReportFlowTest, EveryTransitionOutsideTheMachineIsAConflict) {
  TestServer& s = server();
  Account citizen = RegisterCitizen(s, "machine");
  Staff st = MakeStaff(s);
  const std::vector<std::string> all = {"submitted", "acknowledged", "dispatched", "in_progress",
                                        "resolved",  "rejected",     "duplicate"};
  // The machine of reports.h, for an admin through PATCH /status.
  const std::set<std::pair<std::string, std::string>> allowed = {
      {"submitted", "acknowledged"}, {"submitted", "rejected"},
      {"submitted", "duplicate"},    {"acknowledged", "rejected"},
      {"acknowledged", "duplicate"}, {"dispatched", "in_progress"},
      {"dispatched", "resolved"},    {"dispatched", "acknowledged"},
      {"dispatched", "rejected"},    {"in_progress", "resolved"},
      {"in_progress", "dispatched"}, {"in_progress", "acknowledged"},
      {"resolved", "acknowledged"},  {"rejected", "acknowledged"}};
  std::string other = FileReport(s, citizen.access_token, 5.0, 5.0);
  auto move = [&](const std::string& id, const std::string& to) {
    boost::json::object body{{"status", to}, {"reason", "r"}, {"duplicateOf", other}};
    return SetStatus(s, st.admin, id, body);
  };
  auto assign = [&](const std::string& id) {
    return s.Json("PATCH", "/api/fleet/" + st.vehicle_id + "/assign", Serialize({{"reportId", id}}),
                  st.admin);
  };
  for (const auto& from : all) {
    std::string id = FileReport(s, citizen.access_token, 5.001, 5.001);
    if (from == "acknowledged") {
      ASSERT_EQ(move(id, "acknowledged").status, 200);
    }
    if (from == "dispatched" || from == "in_progress" || from == "resolved") {
      ASSERT_EQ(assign(id).status, 200);
    }
    if (from == "in_progress") {
      ASSERT_EQ(move(id, "in_progress").status, 200);
    }
    if (from == "resolved") {
      ASSERT_EQ(move(id, "resolved").status, 200);
    }
    if (from == "rejected") {
      ASSERT_EQ(move(id, "rejected").status, 200);
    }
    if (from == "duplicate") {
      ASSERT_EQ(move(id, "duplicate").status, 200);
    }
    for (const auto& to : all) {
      if (allowed.count({from, to})) continue;
      HttpResult r = move(id, to);
      int expected = to == "dispatched" ? 422 : 409;  // dispatching goes through /assign
      EXPECT_EQ(r.status, expected) << from << " -> " << to << ": " << r.body;
      EXPECT_EQ(Str(s.Json("GET", "/api/reports/" + id, "", st.admin).Json(), "status"), from)
          << "state changed by a refused " << from << " -> " << to;
    }
    // Dispatch (through /assign) only from submitted and acknowledged.
    int assign_expected = (from == "submitted" || from == "acknowledged") ? 200 : 409;
    if (assign_expected == 409) {
      EXPECT_EQ(assign(id).status, 409) << from << " -> dispatched";
    }
  }
}

TEST_P(ReportFlowTest, WhoMaySeeAndEditWhat) {
  TestServer& s = server();
  Account owner = RegisterCitizen(s, "own");
  Account other = RegisterCitizen(s, "oth");
  Staff st = MakeStaff(s);
  std::string id = FileReport(s, owner.access_token, 30.1575, 71.5249);

  EXPECT_EQ(s.Json("GET", "/api/reports/" + id, "", other.access_token).status, 404);
  EXPECT_EQ(s.Json("GET", "/api/reports/" + id + "/events", "", other.access_token).status, 404);
  EXPECT_EQ(s.Json("PUT", "/api/reports/" + id, R"({"description":"mine now"})", other.access_token)
                .status,
            404);
  EXPECT_EQ(s.Json("GET", "/api/reports/user/" + owner.id, "", other.access_token).status, 404);
  EXPECT_EQ(s.Json("GET", "/api/reports", "", other.access_token).status, 403);
  EXPECT_EQ(s.Json("GET", "/api/reports/not-a-uuid", "", owner.access_token).status, 404);
  EXPECT_EQ(s.Json("DELETE", "/api/reports/" + id, "", owner.access_token).status, 403);
  EXPECT_EQ(s.Json("GET", "/api/reports/user/" + owner.id, "", st.admin).status, 200);

  HttpResult edit =
      s.Json("PUT", "/api/reports/" + id, R"({"wasteType":"organic","description":"rotting food"})",
             owner.access_token);
  ASSERT_EQ(edit.status, 200) << edit.body;
  EXPECT_EQ(Str(edit.Json(), "wasteType"), "organic");
  EXPECT_EQ(
      s.Json("PUT", "/api/reports/" + id, R"({"priority":"urgent"})", owner.access_token).status,
      422);
  EXPECT_EQ(
      s.Json("PUT", "/api/reports/" + id, R"({"wasteType":"gold"})", owner.access_token).status,
      422);
  EXPECT_EQ(s.Json("PUT", "/api/reports/" + id, R"({"surprise":1})", owner.access_token).status,
            422);
  HttpResult admin_edit =
      s.Json("PUT", "/api/reports/" + id, R"({"priority":"urgent","size":"truck"})", st.admin);
  EXPECT_EQ(Str(admin_edit.Json(), "priority"), "urgent");
  EXPECT_EQ(SetStatus(s, st.admin, id, {{"status", "acknowledged"}}).status, 200);
  EXPECT_EQ(s.Json("PUT", "/api/reports/" + id, R"({"description":"too late"})", owner.access_token)
                .status,
            409);

  // Soft delete: gone for the owner, still there for admins with its audit trail.
  EXPECT_EQ(s.Json("DELETE", "/api/reports/" + id, "", st.admin).status, 204);
  EXPECT_EQ(s.Json("GET", "/api/reports/" + id, "", owner.access_token).status, 404);
  HttpResult admin_view = s.Json("GET", "/api/reports/" + id, "", st.admin);
  ASSERT_EQ(admin_view.status, 200);
  EXPECT_FALSE(Str(admin_view.Json(), "deletedAt").empty());
  HttpResult trail = s.Json("GET", "/api/reports/" + id + "/events", "", st.admin);
  EXPECT_EQ(Str(trail.Json().at("items").as_array().back(), "type"), "report.deleted");
  EXPECT_EQ(s.Json("DELETE", "/api/reports/" + id, "", st.admin).status, 404);
  EXPECT_EQ(s.Json("GET", "/api/reports/user/" + owner.id, "", owner.access_token)
                .Json()
                .at("items")
                .as_array()
                .size(),
            0u);
}

TEST_P(ReportFlowTest, NearbyIsDistanceSortedOpenAndAnonymous) {
  TestServer& s = server();
  Account a = RegisterCitizen(s, "near");
  Staff st = MakeStaff(s);
  // A spot of its own so other tests' reports do not interfere.
  const double lat = -33.8688, lng = 151.2093;
  std::string far = FileReport(s, a.access_token, lat + 0.0018, lng);   // ~200 m north
  std::string near = FileReport(s, a.access_token, lat + 0.0005, lng);  // ~55 m
  std::string out = FileReport(s, a.access_token, lat + 0.01, lng);     // ~1.1 km
  std::string closed = FileReport(s, a.access_token, lat, lng + 0.0002);
  ASSERT_EQ(SetStatus(s, st.admin, closed, {{"status", "rejected"}, {"reason", "test"}}).status,
            200);

  Account b = RegisterCitizen(s, "near");
  HttpResult r =
      s.Json("GET", "/api/reports/nearby?lat=-33.8688&lng=151.2093&radius=250", "", b.access_token);
  ASSERT_EQ(r.status, 200) << r.body;
  auto items = r.Json().at("items").as_array();
  ASSERT_EQ(items.size(), 2u) << r.body;
  EXPECT_EQ(Str(items[0], "id"), near);
  EXPECT_EQ(Str(items[1], "id"), far);
  EXPECT_NEAR(items[0].at("distanceM").to_number<double>(), 55.6, 2.0);
  EXPECT_NEAR(items[1].at("distanceM").to_number<double>(), 200.2, 3.0);
  EXPECT_FALSE(items[0].as_object().contains("reporter"));
  EXPECT_EQ(r.body.find(a.username), std::string::npos);
  HttpResult wide =
      s.Json("GET", "/api/reports/nearby?lat=-33.8688&lng=151.2093&radius=5000&type=plastic", "",
             b.access_token);
  EXPECT_EQ(wide.Json().at("items").as_array().size(), 3u);
  HttpResult other_type =
      s.Json("GET", "/api/reports/nearby?lat=-33.8688&lng=151.2093&radius=5000&type=glass", "",
             b.access_token);
  EXPECT_EQ(other_type.Json().at("items").as_array().size(), 0u);
  (void)out;
  EXPECT_EQ(s.Json("GET", "/api/reports/nearby?lat=-33.8688&lng=151.2093&radius=50000", "",
                   b.access_token)
                .status,
            422);
  EXPECT_EQ(s.Json("GET", "/api/reports/nearby?lng=151.2093", "", b.access_token).status, 422);
  EXPECT_EQ(s.Json("GET", "/api/reports/nearby?lat=-33.8688&lng=151.2093").status, 401);
}

TEST_P(ReportFlowTest, TheWorkOrderPagesByPriorityThenAgeAndFiltersBySearchAndTruck) {
  TestServer& s = server();
  Account a = RegisterCitizen(s, "order");
  Staff st = MakeStaff(s);
  // A box of its own around (12, 12): low (paper), medium (plastic), high (medical) and a
  // drain-blocking plastic (medium raised to high), filed in this order.
  auto file = [&](const std::string& type, double dlat, bool drain, const std::string& words) {
    HttpResult r = SubmitReport(s, a.access_token,
                                {{"wasteType", type},
                                 {"lat", std::to_string(12 + dlat)},
                                 {"lng", "12"},
                                 {"blocksDrain", drain ? "true" : "false"},
                                 {"description", words}},
                                SmallJpeg());
    EXPECT_EQ(r.status, 201) << r.body;
    return Str(r.Json(), "id");
  };
  std::string low = file("paper", 0.001, false, "Cartons by the Gate");
  std::string medium = file("plastic", 0.002, false, "bottles");
  std::string high = file("medical", 0.003, false, "syringes");
  std::string drain = file("plastic", 0.004, true, "bags in the drain");
  const std::string base = "/api/reports?bbox=11.9,11.9,12.1,12.1&sort=priority&limit=3";
  HttpResult page1 = s.Json("GET", base, "", st.admin);
  ASSERT_EQ(page1.status, 200) << page1.body;
  auto p1 = page1.Json();
  std::vector<std::string> order;
  for (const auto& r : p1.at("items").as_array()) order.push_back(Str(r, "id"));
  // Both highs first, the older first; then medium.
  EXPECT_EQ(order, (std::vector<std::string>{high, drain, medium}));
  HttpResult page2 = s.Json("GET", base + "&cursor=" + Str(p1, "nextCursor"), "", st.admin);
  ASSERT_EQ(page2.status, 200) << page2.body;
  ASSERT_EQ(page2.Json().at("items").as_array().size(), 1u);
  EXPECT_EQ(Str(page2.Json().at("items").at(0), "id"), low);
  EXPECT_TRUE(page2.Json().at("nextCursor").is_null());
  // Search: the address, the town or the citizen's words, in any case.
  HttpResult gate = s.Json("GET", "/api/reports?bbox=11.9,11.9,12.1,12.1&q=GATE", "", st.admin);
  ASSERT_EQ(gate.status, 200) << gate.body;
  ASSERT_EQ(gate.Json().at("items").as_array().size(), 1u);
  EXPECT_EQ(Str(gate.Json().at("items").at(0), "id"), low);
  // By truck: what one vehicle has.
  ASSERT_EQ(s.Json("PATCH", "/api/fleet/" + st.vehicle_id + "/assign",
                   Serialize({{"reportId", medium}}), st.admin)
                .status,
            200);
  HttpResult mine = s.Json("GET", "/api/reports?vehicle=" + st.vehicle_id, "", st.admin);
  ASSERT_EQ(mine.Json().at("items").as_array().size(), 1u);
  EXPECT_EQ(Str(mine.Json().at("items").at(0), "id"), medium);
  for (const char* bad : {"?sort=priority&cursor=9.x", "?sort=priority&cursor=" /* empty */,
                          "?q=", "?vehicle=truck-1"}) {
    EXPECT_EQ(s.Json("GET", std::string("/api/reports") + bad, "", st.admin).status, 422) << bad;
  }
}

TEST_P(ReportFlowTest, AdminListFiltersAndPages) {
  TestServer& s = server();
  Account a = RegisterCitizen(s, "list");
  Staff st = MakeStaff(s);
  // A box of its own: 5 reports around (10, 10).
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i)
    ids.push_back(FileReport(s, a.access_token, 10 + i * 0.001, 10, i % 2 ? "glass" : "metal"));
  std::string base = "/api/reports?bbox=9.9,9.9,10.1,10.1";
  HttpResult all = s.Json("GET", base, "", st.admin);
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_EQ(all.Json().at("items").as_array().size(), 5u);
  EXPECT_EQ(Str(all.Json().at("items").at(0), "id"), ids[4]);  // newest first
  HttpResult glass = s.Json("GET", base + "&type=glass", "", st.admin);
  EXPECT_EQ(glass.Json().at("items").as_array().size(), 2u);
  HttpResult page1 = s.Json("GET", base + "&limit=2&sort=oldest", "", st.admin);
  auto p1 = page1.Json();
  EXPECT_EQ(Str(p1.at("items").at(0), "id"), ids[0]);
  HttpResult page2 =
      s.Json("GET", base + "&limit=2&sort=oldest&cursor=" + Str(p1, "nextCursor"), "", st.admin);
  EXPECT_EQ(Str(page2.Json().at("items").at(0), "id"), ids[2]);
  HttpResult today =
      s.Json("GET", base + "&from=2020-01-01T00:00:00Z&to=2100-01-01T00:00:00Z", "", st.admin);
  EXPECT_EQ(today.Json().at("items").as_array().size(), 5u);
  HttpResult past = s.Json("GET", base + "&to=2020-01-01T00:00:00Z", "", st.admin);
  EXPECT_EQ(past.Json().at("items").as_array().size(), 0u);
  for (const char* bad : {"?status=lost", "?bbox=1,2,3", "?from=yesterday", "?limit=0",
                          "?cursor=1%27", "?priority=extreme", "?sort=random", "?type=gold"}) {
    HttpResult r = s.Json("GET", std::string("/api/reports") + bad, "", st.admin);
    EXPECT_EQ(r.status, 422) << bad << ": " << r.body;
  }
}

TEST_P(ReportFlowTest, MergingADuplicateSubscribesItsReporterToTheOriginal) {
  TestServer& s = server();
  Account first = RegisterCitizen(s, "orig");
  Account second = RegisterCitizen(s, "dup");
  Staff st = MakeStaff(s);
  std::string original = FileReport(s, first.access_token, 25.3960, 68.3578);
  std::string copy = FileReport(s, second.access_token, 25.3961, 68.3578);
  HttpResult merged =
      SetStatus(s, st.admin, copy, {{"status", "duplicate"}, {"duplicateOf", original}});
  ASSERT_EQ(merged.status, 200) << merged.body;
  EXPECT_EQ(Str(merged.Json(), "duplicateOf"), original);
  EXPECT_EQ(SetStatus(s, st.admin, copy, {{"status", "acknowledged"}}).status, 409);  // final
  ASSERT_EQ(SetStatus(s, st.admin, original, {{"status", "acknowledged"}}).status, 200);
  auto kinds = NotificationKinds(s, second.access_token);
  EXPECT_EQ(kinds, (std::vector<std::string>{"report.acknowledged", "report.duplicate",
                                             "report.received"}));
  // They follow it now, so its page opens for them (notification links lead there), in the
  // public view: nothing names who filed it, and it is not theirs to change.
  HttpResult seen = s.Json("GET", "/api/reports/" + original, "", second.access_token);
  ASSERT_EQ(seen.status, 200) << seen.body;
  EXPECT_FALSE(seen.Json().as_object().contains("reporter")) << seen.body;
  EXPECT_EQ(seen.body.find(first.username), std::string::npos) << seen.body;
  EXPECT_EQ(s.Json("PUT", "/api/reports/" + original, Serialize({{"description", "mine now"}}),
                   second.access_token)
                .status,
            403);
  // A citizen who follows nothing of it still gets 404.
  Account stranger = RegisterCitizen(s, "str");
  EXPECT_EQ(s.Json("GET", "/api/reports/" + original, "", stranger.access_token).status, 404);
}

TEST_P(ReportFlowTest, FleetRules) {
  TestServer& s = server();
  Staff st = MakeStaff(s);
  Account citizen = RegisterCitizen(s, "fl");
  EXPECT_EQ(s.Json("GET", "/api/fleet", "", citizen.access_token).status, 403);
  HttpResult mine = s.Json("GET", "/api/fleet", "", st.driver_token);
  ASSERT_EQ(mine.status, 200);
  ASSERT_EQ(mine.Json().at("items").as_array().size(), 1u);
  EXPECT_EQ(Str(mine.Json().at("items").at(0), "vehicleNumber"), st.vehicle_number);
  Staff other = MakeStaff(s);
  EXPECT_EQ(s.Json("GET", "/api/fleet/" + other.vehicle_id, "", st.driver_token).status, 404);
  EXPECT_EQ(
      s.Json("POST", "/api/fleet", Serialize({{"vehicleNumber", st.vehicle_number}}), st.admin)
          .status,
      409);
  EXPECT_EQ(s.Json("POST", "/api/fleet",
                   Serialize({{"vehicleNumber", "X-1"}, {"driverId", citizen.id}}), st.admin)
                .status,
            422);
  EXPECT_EQ(s.Json("POST", "/api/fleet", Serialize({{"vehicleNumber", "X;1"}}), st.admin).status,
            422);
  EXPECT_EQ(s.Json("POST", "/api/fleet", Serialize({{"vehicleNumber", "X-2"}, {"capacity", -4}}),
                   st.admin)
                .status,
            422);
  EXPECT_EQ(
      s.Json("POST", "/api/fleet", Serialize({{"vehicleNumber", "X-3"}}), st.driver_token).status,
      403);
  HttpResult offline = s.Json("PUT", "/api/fleet/" + st.vehicle_id,
                              Serialize({{"status", "maintenance"}}), st.admin);
  EXPECT_EQ(Str(offline.Json(), "status"), "maintenance");
  std::string id = FileReport(s, citizen.access_token, 12.0, 12.0);
  EXPECT_EQ(s.Json("PATCH", "/api/fleet/" + st.vehicle_id + "/assign",
                   Serialize({{"reportId", id}}), st.admin)
                .status,
            409);
  EXPECT_EQ(s.Json("PATCH", "/api/fleet/" + st.vehicle_id + "/assign",
                   Serialize({{"reportId", "nope"}}), st.admin)
                .status,
            422);
  EXPECT_EQ(s.Json("PATCH", "/api/fleet/01a20eea-0000-7000-8000-000000000000/assign",
                   Serialize({{"reportId", id}}), st.admin)
                .status,
            404);
  HttpResult unassign = s.Json("PUT", "/api/fleet/" + st.vehicle_id,
                               R"({"driverId":null,"status":"idle"})", st.admin);
  ASSERT_EQ(unassign.status, 200) << unassign.body;
  EXPECT_TRUE(unassign.Json().at("driverId").is_null());
}

TEST_P(ReportFlowTest, PublicImpactFiguresCountWhatHappened) {
  // A server of its own: the figures are cached for a minute and count everything.
  ServerOptions o;
  o.backend = GetParam();
  auto s = TestServer::Start(o);
  ASSERT_TRUE(s);
  HttpResult empty = s->Json("GET", "/api/analytics/impact");
  ASSERT_EQ(empty.status, 200) << empty.body;
  EXPECT_EQ(empty.Json().at("reportsFiled").as_int64(), 0);
  EXPECT_TRUE(empty.Json().at("averageHoursToResolve").is_null());

  ServerOptions o2 = o;
  auto fresh = TestServer::Start(o2);
  ASSERT_TRUE(fresh);
  Account a = RegisterCitizen(*fresh, "impact");
  Staff st = MakeStaff(*fresh);
  std::string one = FileReport(*fresh, a.access_token, 1.0, 1.0);
  FileReport(*fresh, a.access_token, 1.001, 1.0);
  std::string three = FileReport(*fresh, a.access_token, 1.002, 1.0);
  ASSERT_EQ(
      SetStatus(*fresh, st.admin, three, {{"status", "duplicate"}, {"duplicateOf", one}}).status,
      200);
  ASSERT_EQ(fresh
                ->Json("PATCH", "/api/fleet/" + st.vehicle_id + "/assign",
                       Serialize({{"reportId", one}}), st.admin)
                .status,
            200);
  ASSERT_EQ(SetStatus(*fresh, st.admin, one, {{"status", "resolved"}}).status, 200);
  HttpResult figures = fresh->Json("GET", "/api/analytics/impact");
  ASSERT_EQ(figures.status, 200);
  auto f = figures.Json();
  EXPECT_EQ(f.at("reportsFiled").as_int64(), 2);  // the merged copy does not count twice
  EXPECT_EQ(f.at("reportsResolved").as_int64(), 1);
  EXPECT_EQ(f.at("reportsOpen").as_int64(), 1);
  EXPECT_FALSE(f.at("averageHoursToResolve").is_null());
  EXPECT_GE(f.at("averageHoursToResolve").to_number<double>(), 0.0);
  EXPECT_NE(figures.Header("cache-control").find("max-age=5"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, ReportFlowTest, ::testing::ValuesIn(TestBackends()),
                         BackendName);

}  // namespace
}  // namespace cleanai::testing
