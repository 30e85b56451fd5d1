// SPDX-License-Identifier: AGPL-3.0-or-later
// The public side through HTTP: the map and report pages anyone may see (never naming a
// citizen), hidden photos, following, area alerts with their one-click stop, Atom feeds,
// and the bad input each of them refuses.
#include <regex>
#include <set>

#include "core/crypto.h"
#include "testing/report_fixtures.h"

namespace cleanai::testing {
namespace {

class PublicTest : public BackendTest {};

HttpResult SetStatus(const TestServer& s, const std::string& token, const std::string& id,
                     boost::json::object body) {
  return s.Json("PATCH", "/api/reports/" + id + "/status", Serialize(body), token);
}

// Every string in an answer a stranger may read must not be any of `secrets`.
void ExpectNoIdentity(const std::string& body, const std::vector<std::string>& secrets,
                      const std::string& where) {
  for (const auto& secret : secrets) {
    EXPECT_EQ(body.find(secret), std::string::npos) << where << " reveals '" << secret << "'";
  }
}

std::set<std::string> MapIds(const boost::json::value& answer) {
  std::set<std::string> ids;
  const auto* items = answer.as_object().if_contains("reports");
  if (!items) return ids;
  for (const auto& r : items->as_array()) ids.insert(Str(r, "id"));
  return ids;
}

TEST_P(PublicTest, AnonymousVisitorsSeePublicReportsAndNeverTheReporter) {
  TestServer& s = server();
  Account citizen = RegisterCitizen(s, "pubname");
  Staff st = MakeStaff(s);
  // Five reports in one quiet corner of Multan: each a different fate.
  auto file = [&](double dlat, const std::string& description) {
    HttpResult r = SubmitReport(s, citizen.access_token,
                                {{"wasteType", "plastic"},
                                 {"lat", std::to_string(30.1500 + dlat)},
                                 {"lng", "71.4500"},
                                 {"description", description}},
                                SmallJpeg());
    EXPECT_EQ(r.status, 201) << r.body;
    return Str(r.Json(), "id");
  };
  const std::string fresh = file(0.0001, "fresh one");
  const std::string seen = file(0.0002, "seen by the city");
  const std::string rejected = file(0.0003, "not waste");
  const std::string merged = file(0.0004, "the same pile");
  const std::string deleted = file(0.0005, "a test");
  ASSERT_EQ(SetStatus(s, st.admin, seen, {{"status", "acknowledged"}}).status, 200);
  ASSERT_EQ(
      SetStatus(s, st.admin, rejected, {{"status", "rejected"}, {"reason", "no waste"}}).status,
      200);
  ASSERT_EQ(SetStatus(s, st.admin, merged, {{"status", "duplicate"}, {"duplicateOf", seen}}).status,
            200);
  ASSERT_EQ(s.Json("DELETE", "/api/reports/" + deleted, "", st.admin).status, 204);

  const std::string box = "/api/public/map?bbox=71.449,30.149,71.451,30.151&zoom=17";
  HttpResult map = s.Json("GET", box);
  ASSERT_EQ(map.status, 200) << map.body;
  EXPECT_NE(map.Header("cache-control").find("public"), std::string::npos);
  auto ids = MapIds(map.Json());
  EXPECT_EQ(ids, (std::set<std::string>{fresh, seen}));
  const std::vector<std::string> identity = {citizen.username, citizen.id, citizen.username + "@"};
  ExpectNoIdentity(map.body, identity, "the map");
  const auto map_json = map.Json();
  for (const auto& r : map_json.at("reports").as_array()) {
    // The photo only once an admin has seen it.
    EXPECT_EQ(r.at("thumbnailUrl").is_null(), Str(r, "id") == fresh) << map.body;
  }
  // Filters: only fixed reports (none), another type (none), a period.
  EXPECT_TRUE(MapIds(s.Json("GET", box + "&show=fixed").Json()).empty());
  EXPECT_TRUE(MapIds(s.Json("GET", box + "&types=glass,metal").Json()).empty());
  EXPECT_EQ(MapIds(s.Json("GET", box + "&show=open&types=plastic&days=1").Json()).size(), 2u);

  HttpResult page = s.Json("GET", "/api/public/reports/" + seen);
  ASSERT_EQ(page.status, 200) << page.body;
  ExpectNoIdentity(page.body, identity, "a report page");
  auto p = page.Json();
  EXPECT_EQ(Str(p, "description"), "seen by the city");
  EXPECT_FALSE(Str(p, "imageUrl").empty());
  std::vector<std::string> steps;
  for (const auto& step : p.at("timeline").as_array()) steps.push_back(Str(step, "status"));
  EXPECT_EQ(steps, (std::vector<std::string>{"submitted", "acknowledged"}));
  // Not yet seen by the city: no photo, no words of the citizen.
  auto unseen = s.Json("GET", "/api/public/reports/" + fresh).Json();
  EXPECT_TRUE(unseen.at("imageUrl").is_null());
  EXPECT_TRUE(unseen.at("description").is_null());
  for (const std::string& gone : {rejected, merged, deleted, NewUuidV7()}) {
    HttpResult r = s.Json("GET", "/api/public/reports/" + gone);
    EXPECT_EQ(r.status, 404) << gone;
    EXPECT_EQ(r.Header("content-type"), "application/problem+json");
  }
  EXPECT_EQ(s.Json("GET", "/api/public/reports/not-a-uuid").status, 404);

  // The feeds say the same, and no more.
  HttpResult feed = s.Request("GET", "/feeds/area.atom?bbox=71.449,30.149,71.451,30.151");
  ASSERT_EQ(feed.status, 200) << feed.body;
  EXPECT_EQ(feed.Header("content-type"), "application/atom+xml; charset=utf-8");
  EXPECT_NE(feed.body.find("<feed xmlns=\"http://www.w3.org/2005/Atom\">"), std::string::npos);
  EXPECT_NE(feed.body.find("/reports/" + seen), std::string::npos);
  EXPECT_NE(feed.body.find("/reports/" + fresh), std::string::npos);
  EXPECT_EQ(feed.body.find(rejected), std::string::npos);
  EXPECT_EQ(feed.body.find(deleted), std::string::npos);
  ExpectNoIdentity(feed.body, identity, "the area feed");
  HttpResult one = s.Request("GET", "/feeds/reports/" + seen + ".atom");
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_NE(one.body.find("Acknowledged by the city"), std::string::npos) << one.body;
  EXPECT_EQ(s.Request("GET", "/feeds/reports/" + rejected + ".atom").status, 404);
}

TEST_P(PublicTest, AHiddenPhotoIsServedOnlyToItsReporterAndAdmins) {
  TestServer& s = server();
  Account citizen = RegisterCitizen(s, "hider");
  Account stranger = RegisterCitizen(s, "stranger");
  Staff st = MakeStaff(s);
  const std::string id = FileReport(s, citizen.access_token, 30.2, 71.5);
  ASSERT_EQ(SetStatus(s, st.admin, id, {{"status", "acknowledged"}}).status, 200);
  auto mine = s.Json("GET", "/api/reports/" + id, "", citizen.access_token).Json();
  const std::string image = Str(mine, "imageUrl"), thumb = Str(mine, "thumbnailUrl");
  ASSERT_EQ(s.Request("GET", image).status, 200);
  EXPECT_EQ(s.Request("GET", image).Header("cache-control"), "public, max-age=300");

  // Citizens may not hide; admins may, with a reason-free toggle that is audited.
  EXPECT_EQ(s.Json("PUT", "/api/reports/" + id + "/photo-visibility", R"({"hidden":true})",
                   citizen.access_token)
                .status,
            403);
  EXPECT_EQ(
      s.Json("PUT", "/api/reports/" + id + "/photo-visibility", R"({"hidden":"yes"})", st.admin)
          .status,
      422);
  HttpResult hid =
      s.Json("PUT", "/api/reports/" + id + "/photo-visibility", R"({"hidden":true})", st.admin);
  ASSERT_EQ(hid.status, 200) << hid.body;
  EXPECT_TRUE(hid.Json().at("photoHidden").as_bool());

  for (const auto& url : {image, thumb}) {
    EXPECT_EQ(s.Request("GET", url).status, 404) << "anonymous " << url;
    EXPECT_EQ(s.Json("GET", url, "", stranger.access_token).status, 404) << "stranger " << url;
    HttpResult own = s.Json("GET", url, "", citizen.access_token);
    EXPECT_EQ(own.status, 200) << "reporter " << url;
    EXPECT_EQ(own.Header("cache-control"), "private, max-age=300");
    EXPECT_EQ(s.Json("GET", url, "", st.admin).status, 200) << "admin " << url;
  }
  // A revalidation is refused the same way as a fetch.
  const std::string etag = "\"" + image.substr(7, 64) + "\"";
  EXPECT_EQ(s.Request("GET", image, "", {{"If-None-Match", etag}}).status, 404);
  auto page = s.Json("GET", "/api/public/reports/" + id).Json();
  EXPECT_TRUE(page.at("imageUrl").is_null());
  EXPECT_TRUE(page.at("thumbnailUrl").is_null());
  auto map = s.Json("GET", "/api/public/map?bbox=71.49,30.19,71.51,30.21&zoom=15").Json();
  ASSERT_EQ(MapIds(map).count(id), 1u);
  for (const auto& r : map.at("reports").as_array()) {
    if (Str(r, "id") == id) {
      EXPECT_TRUE(r.at("thumbnailUrl").is_null());
    }
  }

  // The after photo of a hidden report is hidden with it.
  ASSERT_EQ(s.Json("PATCH", "/api/fleet/" + st.vehicle_id + "/assign",
                   Serialize({{"reportId", id}}), st.admin)
                .status,
            200);
  auto [type, body] =
      Multipart({{"status", "resolved"}},
                {{"photo", "after.jpg", "image/jpeg", MakeImage("jpeg", 400, 300)}});
  HttpResult resolved =
      s.Request("PATCH", "/api/reports/" + id + "/status", body,
                {{"Content-Type", type}, {"Authorization", "Bearer " + st.driver_token}});
  ASSERT_EQ(resolved.status, 200) << resolved.body;
  const std::string after = Str(resolved.Json(), "verificationImageUrl");
  EXPECT_EQ(s.Request("GET", after).status, 404);
  EXPECT_EQ(s.Json("GET", after, "", citizen.access_token).status, 200);

  // Shown again: public again, and both changes are in the audit trail.
  ASSERT_EQ(
      s.Json("PUT", "/api/reports/" + id + "/photo-visibility", R"({"hidden":false})", st.admin)
          .status,
      200);
  EXPECT_EQ(s.Request("GET", image).status, 200);
  EXPECT_EQ(s.Request("GET", after).status, 200);
  std::vector<std::string> audit;
  auto events = s.Json("GET", "/api/reports/" + id + "/events", "", st.admin).Json();
  for (const auto& e : events.at("items").as_array()) audit.push_back(Str(e, "type"));
  EXPECT_NE(std::find(audit.begin(), audit.end(), "report.photo_hidden"), audit.end());
  EXPECT_NE(std::find(audit.begin(), audit.end(), "report.photo_shown"), audit.end());
}

TEST_P(PublicTest, FollowersHearOfEachChange) {
  TestServer& s = server();
  Account citizen = RegisterCitizen(s, "filer");
  Account neighbour = RegisterCitizen(s, "neighbour");
  Staff st = MakeStaff(s);
  const std::string id = FileReport(s, citizen.access_token, 30.25, 71.55);
  const std::string path = "/api/reports/" + id + "/follow";
  EXPECT_FALSE(s.Json("GET", path, "", neighbour.access_token).Json().at("following").as_bool());
  ASSERT_EQ(s.Json("PUT", path, "", neighbour.access_token).status, 204);
  EXPECT_EQ(s.Json("PUT", path, "", neighbour.access_token).status, 204);  // twice: the same
  EXPECT_TRUE(s.Json("GET", path, "", neighbour.access_token).Json().at("following").as_bool());
  ASSERT_EQ(SetStatus(s, st.admin, id, {{"status", "acknowledged"}}).status, 200);
  EXPECT_EQ(NotificationKinds(s, neighbour.access_token),
            std::vector<std::string>{"report.acknowledged"});
  ASSERT_EQ(s.Json("DELETE", path, "", neighbour.access_token).status, 204);
  ASSERT_EQ(SetStatus(s, st.admin, id, {{"status", "rejected"}, {"reason", "moved"}}).status, 200);
  EXPECT_EQ(NotificationKinds(s, neighbour.access_token).size(), 1u);
  // The reporter cannot stop hearing of their own report; nobody may follow what is gone.
  EXPECT_EQ(s.Json("DELETE", path, "", citizen.access_token).status, 409);
  EXPECT_EQ(s.Json("PUT", path, "", neighbour.access_token).status, 404);
  EXPECT_EQ(
      s.Json("PUT", "/api/reports/" + NewUuidV7() + "/follow", "", neighbour.access_token).status,
      404);
  EXPECT_EQ(s.Json("PUT", path).status, 401);
}

TEST_P(PublicTest, AreaSubscribersAreToldOfNewReportsInsideOnly) {
  TestServer& s = server();
  Account watcher = RegisterCitizen(s, "watcher");
  Account filer = RegisterCitizen(s, "areafiler");
  // A 1 km circle in Sukkur, plastic and glass only.
  HttpResult made = s.Json("POST", "/api/area-subscriptions",
                           Serialize({{"label", "My street"},
                                      {"lat", 27.7052},
                                      {"lng", 68.8574},
                                      {"radiusM", 1000},
                                      {"types", "plastic,glass"}}),
                           watcher.access_token);
  ASSERT_EQ(made.status, 201) << made.body;
  EXPECT_EQ(Str(made.Json().at("area"), "kind"), "radius");
  const std::string sub_id = Str(made.Json(), "id");

  FileReport(s, filer.access_token, 27.7100, 68.8574, "organic");  // inside, another type
  FileReport(s, filer.access_token, 27.7300, 68.8574, "plastic");  // 2.7 km away
  FileReport(s, filer.access_token, 27.7132, 68.8654, "plastic");  // in the box, off the circle
  EXPECT_TRUE(NotificationKinds(s, watcher.access_token).empty());
  const std::string inside = FileReport(s, filer.access_token, 27.7060, 68.8580, "plastic");
  EXPECT_EQ(NotificationKinds(s, watcher.access_token),
            std::vector<std::string>{"area.new_report"});
  auto history = s.Json("GET", "/api/notify/history", "", watcher.access_token).Json();
  const std::string text = Str(history.at("items").at(0), "body");
  EXPECT_NE(text.find("/reports/" + inside), std::string::npos) << text;
  EXPECT_NE(Str(history.at("items").at(0), "title").find("My street"), std::string::npos);
  ExpectNoIdentity(text, {filer.username, filer.id}, "the alert");

  // The one-click stop in the message ends this alert, and only with its token.
  std::smatch m;
  ASSERT_TRUE(std::regex_search(text, m, std::regex("token=([A-Za-z0-9_-]+)"))) << text;
  EXPECT_EQ(s.Json("POST", "/api/area-subscriptions/unsubscribe", R"({"token":"nope"})").status,
            404);
  EXPECT_EQ(
      s.Json("POST", "/api/area-subscriptions/unsubscribe", Serialize({{"token", m[1].str()}}))
          .status,
      204);
  EXPECT_TRUE(s.Json("GET", "/api/area-subscriptions", "", watcher.access_token)
                  .Json()
                  .at("items")
                  .as_array()
                  .empty());
  FileReport(s, filer.access_token, 27.7061, 68.8581, "plastic");
  EXPECT_EQ(NotificationKinds(s, watcher.access_token).size(), 1u);
  EXPECT_EQ(s.Json("DELETE", "/api/area-subscriptions/" + sub_id, "", watcher.access_token).status,
            404);

  // A box and a city work too; the filer's own report never alerts the filer.
  HttpResult boxed = s.Json("POST", "/api/area-subscriptions",
                            Serialize({{"label", "Old town"}, {"bbox", "68.85,27.70,68.87,27.72"}}),
                            filer.access_token);
  ASSERT_EQ(boxed.status, 201) << boxed.body;
  FileReport(s, filer.access_token, 27.71, 68.86, "metal");
  EXPECT_EQ(NotificationKinds(s, filer.access_token).front(), "report.received");
  // The city the gazetteer named for the place (what a report's city is).
  const std::string town =
      Str(s.Json("GET", "/api/reports/" + inside, "", filer.access_token).Json().at("location"),
          "city");
  ASSERT_FALSE(town.empty());
  HttpResult city = s.Json("POST", "/api/area-subscriptions",
                           Serialize({{"label", town}, {"city", town}}), watcher.access_token);
  ASSERT_EQ(city.status, 201) << city.body;
  FileReport(s, filer.access_token, 27.7040, 68.8600, "glass");
  EXPECT_EQ(NotificationKinds(s, watcher.access_token).front(), "area.new_report");
  EXPECT_EQ(NotificationKinds(s, watcher.access_token).size(), 2u);
}

TEST_P(PublicTest, BadAreasAndMapQueriesAreRefusedClearly) {
  TestServer& s = server();
  Account who = RegisterCitizen(s, "badarea");
  auto create = [&](boost::json::object body) {
    return s.Json("POST", "/api/area-subscriptions", Serialize(body), who.access_token);
  };
  const std::vector<boost::json::object> bad = {
      {{"label", "none"}},                                              // no area
      {{"label", "both"}, {"bbox", "67,24,67.1,24.1"}, {"city", "X"}},  // two areas
      {{"label", "huge"}, {"bbox", "60,20,70,30"}},                     // a country
      {{"label", "inverted"}, {"bbox", "67.1,24.1,67,24"}},
      {{"label", "outside"}, {"bbox", "179.5,24,181,24.5"}},
      {{"label", "tiny"}, {"lat", 24.8}, {"lng", 67.0}, {"radiusM", 10}},
      {{"label", "vast"}, {"lat", 24.8}, {"lng", 67.0}, {"radiusM", 50000}},
      {{"label", "half"}, {"lat", 24.8}, {"radiusM", 500}},
      {{"label", "nowhere"}, {"city", "Xyzzyville"}},
      {{"label", "type"}, {"city", "Karachi"}, {"types", "gold"}},
      {{"label", ""}, {"city", "Karachi"}},
  };
  for (const auto& body : bad) {
    HttpResult r = create(body);
    EXPECT_EQ(r.status, 422) << Serialize(body) << ": " << r.body;
    EXPECT_EQ(r.Header("content-type"), "application/problem+json");
  }
  // At most ten areas each.
  for (int i = 0; i < 10; ++i) {
    ASSERT_EQ(create({{"label", "a" + std::to_string(i)}, {"city", "Karachi"}}).status, 201);
  }
  HttpResult eleventh = create({{"label", "one more"}, {"city", "Karachi"}});
  EXPECT_EQ(eleventh.status, 409) << eleventh.body;
  EXPECT_EQ(s.Json("GET", "/api/area-subscriptions", "", who.access_token)
                .Json()
                .at("items")
                .as_array()
                .size(),
            10u);

  for (const std::string q :
       {"", "?zoom=10", "?bbox=67,24,67.1,24.1", "?bbox=67,24,67.1&zoom=10",
        "?bbox=67.1,24.1,67,24&zoom=10", "?bbox=67,24,67.1,95&zoom=10",
        "?bbox=0,-80,170,80&zoom=10", "?bbox=67,24,67.1,24.1&zoom=21",
        "?bbox=67,24,67.1,24.1&zoom=10&show=closed", "?bbox=67,24,67.1,24.1&zoom=10&days=0",
        "?bbox=67,24,67.1,24.1&zoom=10&types=gold"}) {
    HttpResult r = s.Json("GET", "/api/public/map" + q);
    EXPECT_EQ(r.status, 422) << q << ": " << r.body;
    EXPECT_EQ(r.Header("content-type"), "application/problem+json") << q;
  }
  for (const std::string q :
       {"", "?bbox=60,20,70,30", "?lat=24&lng=67&radius=5", "?city=Karachi&bbox=67,24,67.1,24.1"}) {
    EXPECT_EQ(s.Request("GET", "/feeds/area.atom" + q).status, 422) << q;
  }
}

TEST_P(PublicTest, AZoomedOutCityIsCountedInCells) {
  TestServer& s = server();
  int status = 0;
  std::string out =
      RunShell("env CLEANAI_DATABASE_URL='" + s.database_url() + "' CLEANAI_STORAGE_DATA_DIR='" +
                   s.data_dir() + "' " + CleanaiBinary() + " bench-seed --reports 400",
               &status);
  ASSERT_EQ(status, 0) << out;
  // Lahore from afar: more than 300 reports, so cells whose counts add up.
  HttpResult far = s.Json("GET", "/api/public/map?bbox=73.5,31,75,32&zoom=8");
  ASSERT_EQ(far.status, 200) << far.body;
  auto answer = far.Json();
  ASSERT_TRUE(answer.at("clustered").as_bool()) << far.body;
  int64_t sum = 0;
  for (const auto& c : answer.at("cells").as_array()) {
    sum += c.at("count").as_int64();
    EXPECT_GE(c.at("lat").to_number<double>(), 31);
    EXPECT_LE(c.at("lat").to_number<double>(), 32);
  }
  EXPECT_EQ(sum, answer.at("total").as_int64());
  EXPECT_GT(sum, 300);
  EXPECT_FALSE(answer.as_object().contains("reports"));
  // Narrowed to one type, fewer; the sum never exceeds the whole.
  auto glass = s.Json("GET", "/api/public/map?bbox=73.5,31,75,32&zoom=8&types=glass").Json();
  EXPECT_LT(glass.at("total").as_int64(), sum);
}

// The demo city: seeded once through the real services, with every step's audit trail;
// a second run leaves it be; --reset removes exactly what it made (the accounts a city
// made itself, and their reports, stay).
TEST_P(PublicTest, TheDemoCityIsSeededOnceAndResetRemovesExactlyIt) {
  const std::string dir = MakeTempDir();
  const std::string db = FreshDatabaseUrl(GetParam(), dir);
  ServerOptions o;
  o.backend = GetParam();
  o.env["CLEANAI_DATABASE_URL"] = db;
  o.env["CLEANAI_STORAGE_DATA_DIR"] = dir;
  const std::string cli = "env CLEANAI_DATABASE_URL='" + db + "' CLEANAI_STORAGE_DATA_DIR='" + dir +
                          "' " + CleanaiBinary();
  // A city's own report, before the demo: it must survive the reset.
  auto s = TestServer::Start(o);
  ASSERT_TRUE(s);
  const std::string password = s->admin_password();
  ASSERT_FALSE(password.empty());
  Account own = RegisterCitizen(*s, "realcity");
  const std::string kept = FileReport(*s, own.access_token, 24.9, 67.1);
  s->Stop();

  int status = 0;
  std::string out = RunShell(cli + " demo --per-city 6", &status, true);
  ASSERT_EQ(status, 0) << out;
  EXPECT_NE(out.find("seeded the demo city"), std::string::npos) << out;
  out = RunShell(cli + " demo --per-city 6", &status, true);
  ASSERT_EQ(status, 0) << out;
  EXPECT_NE(out.find("already there"), std::string::npos) << out;

  s = TestServer::Start(o);
  ASSERT_TRUE(s);
  std::string admin = s->Login("admin", password);
  // Eighteen reports and their stories, in three cities, visible on the public map.
  HttpResult all = s->Json("GET", "/api/reports?limit=200", "", admin);
  ASSERT_EQ(all.status, 200) << all.body;
  const auto items = all.Json().at("items").as_array();
  EXPECT_EQ(items.size(), 19u);
  std::set<std::string> statuses;
  for (const auto& r : items) statuses.insert(Str(r, "status"));
  EXPECT_GE(statuses.size(), 3u);
  auto country = s->Json("GET", "/api/public/map?bbox=60,23,78,37&zoom=5&days=365").Json();
  EXPECT_GE(country.at("total").as_int64(), 12);
  HttpResult fleet = s->Json("GET", "/api/fleet", "", admin);
  EXPECT_NE(fleet.body.find("KHI-DEMO-1"), std::string::npos) << fleet.body;
  s->Stop();

  out = RunShell(cli + " demo --reset", &status, true);
  ASSERT_EQ(status, 0) << out;
  s = TestServer::Start(o);
  ASSERT_TRUE(s);
  admin = s->Login("admin", password);
  HttpResult left = s->Json("GET", "/api/reports?limit=200", "", admin);
  ASSERT_EQ(left.status, 200) << left.body;
  ASSERT_EQ(left.Json().at("items").as_array().size(), 1u) << left.body;
  EXPECT_EQ(Str(left.Json().at("items").at(0), "id"), kept);
  EXPECT_EQ(s->Json("GET", "/api/fleet", "", admin).body.find("DEMO"), std::string::npos);
  EXPECT_FALSE(s->Login(own.username, own.password).empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, PublicTest, ::testing::ValuesIn(TestBackends()), BackendName);

}  // namespace
}  // namespace cleanai::testing
