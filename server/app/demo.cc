// SPDX-License-Identifier: AGPL-3.0-or-later
// A demo city for a first run: a few hundred reports over the last 60 days around Karachi,
// Lahore and Islamabad, each with a generated photo that looks like its kind of waste,
// taken through every step of its life by the real services (so the audit trail, the
// notifications, response times and the day counts are what a real city would have),
// three trucks with a track, low-lying areas, rainfall and an open alert. Every row it
// makes is listed in demo_rows, so `cleanai demo --reset` removes exactly those.
#include <vips/vips.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <iostream>
#include <random>

#include "app/app.h"
#include "core/crypto.h"
#include "core/log.h"

namespace cleanai {
namespace {

// The demo's "now": each step happens at its own moment in the past.
class DemoClock : public Clock {
 public:
  SystemTime Now() const override { return SystemTime(std::chrono::milliseconds(ms_.load())); }
  void Set(SystemTime t) { ms_ = t.time_since_epoch().count(); }

 private:
  std::atomic<int64_t> ms_{0};
};

struct Rgb {
  double r, g, b;
};

// A photo of a heap of `type` on dusty ground (or, `cleaned`, the same ground swept):
// shapes and colours by kind, so the map's thumbnails and the AI's data set differ by type.
Result<std::string> DemoPhoto(const std::string& type, uint64_t seed, bool cleaned) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  const int w = 400, h = 300;
  VipsImage *black = nullptr, *ground = nullptr, *noise = nullptr, *noisy = nullptr,
            *uchar = nullptr, *mem = nullptr;
  const Rgb sand{170 + 30 * u(rng), 150 + 25 * u(rng), 115 + 20 * u(rng)};
  double a[3] = {1, 1, 1}, b[3] = {sand.r, sand.g, sand.b};
  bool ok = vips_black(&black, w, h, "bands", 3, NULL) == 0 &&
            vips_linear(black, &ground, a, b, 3, NULL) == 0 &&
            vips_gaussnoise(&noise, w, h, "sigma", 14.0, "mean", 0.0, NULL) == 0 &&
            vips_add(ground, noise, &noisy, NULL) == 0 && vips_cast_uchar(noisy, &uchar, NULL) == 0;
  if (ok) {
    mem = vips_image_copy_memory(uchar);
    ok = mem != nullptr;
  }
  for (VipsImage* i : {black, ground, noise, noisy, uchar}) {
    if (i) g_object_unref(i);
  }
  if (!ok) return Err(Status::Internal(std::string("demo photo: ") + vips_error_buffer()));
  auto rect = [&](Rgb c, int x, int y, int rw, int rh) {
    double ink[3] = {c.r, c.g, c.b};
    vips_draw_rect(mem, ink, 3, x, y, rw, rh, "fill", TRUE, NULL);
  };
  auto circle = [&](Rgb c, int x, int y, int r) {
    double ink[3] = {c.r, c.g, c.b};
    vips_draw_circle(mem, ink, 3, x, y, r, "fill", TRUE, NULL);
  };
  // A kerb along the bottom: the same street before and after.
  rect({110, 110, 115}, 0, h - 40, w, 40);
  if (!cleaned) {
    const int n = 30 + static_cast<int>(u(rng) * 30);
    const double cx = w * (0.35 + 0.3 * u(rng)), cy = h * (0.45 + 0.15 * u(rng));
    auto at = [&](double spread) {
      return std::pair<int, int>{static_cast<int>(cx + (u(rng) - 0.5) * spread * w),
                                 static_cast<int>(cy + (u(rng) - 0.5) * spread * h * 0.8)};
    };
    auto pick = [&](std::initializer_list<Rgb> colours) {
      return *(colours.begin() + static_cast<size_t>(u(rng) * colours.size()) % colours.size());
    };
    for (int i = 0; i < n; ++i) {
      auto [x, y] = at(0.6);
      if (type == "plastic") {
        rect(pick({{30, 90, 200}, {220, 40, 40}, {240, 240, 240}, {40, 160, 220}}), x, y,
             8 + u(rng) * 10, 20 + u(rng) * 20);
      } else if (type == "organic") {
        circle(pick({{90, 60, 30}, {60, 110, 40}, {120, 90, 40}}), x, y, 8 + u(rng) * 16);
      } else if (type == "paper") {
        rect(pick({{235, 225, 200}, {200, 170, 120}, {250, 250, 245}}), x, y, 30 + u(rng) * 40,
             20 + u(rng) * 30);
      } else if (type == "glass") {
        rect(pick({{40, 140, 90}, {120, 200, 190}, {90, 60, 30}}), x, y, 6 + u(rng) * 8,
             18 + u(rng) * 18);
      } else if (type == "metal") {
        circle(pick({{150, 150, 160}, {190, 190, 200}, {120, 80, 60}}), x, y, 6 + u(rng) * 10);
      } else if (type == "e-waste") {
        rect(pick({{30, 30, 35}, {20, 110, 50}, {200, 200, 200}}), x, y, 20 + u(rng) * 30,
             12 + u(rng) * 20);
      } else if (type == "hazardous") {
        circle(pick({{230, 200, 20}, {200, 40, 30}, {30, 30, 30}}), x, y, 14 + u(rng) * 12);
      } else if (type == "construction") {
        rect(pick({{130, 120, 110}, {160, 80, 60}, {100, 100, 100}}), x, y, 25 + u(rng) * 35,
             15 + u(rng) * 25);
      } else if (type == "medical") {
        rect(pick({{245, 245, 250}, {60, 120, 220}, {220, 60, 60}}), x, y, 6 + u(rng) * 14,
             6 + u(rng) * 10);
      } else {  // mixed, other
        if (u(rng) < 0.5) {
          rect(pick({{30, 90, 200}, {235, 225, 200}, {150, 150, 160}}), x, y, 10 + u(rng) * 20,
               10 + u(rng) * 20);
        } else {
          circle(pick({{90, 60, 30}, {200, 40, 30}, {120, 60, 160}}), x, y, 6 + u(rng) * 12);
        }
      }
    }
  }
  void* buf = nullptr;
  size_t len = 0;
  int rc = vips_jpegsave_buffer(mem, &buf, &len, "Q", 80, NULL);
  g_object_unref(mem);
  if (rc != 0) return Err(Status::Internal(std::string("demo photo: ") + vips_error_buffer()));
  std::string out(static_cast<const char*>(buf), len);
  g_free(buf);
  return out;
}

struct DemoCity {
  const char* name;
  double lat, lng;
  std::vector<const char*> areas;
};

const std::vector<DemoCity>& Cities() {
  static const std::vector<DemoCity> kCities = {
      {"Karachi",
       24.8607,
       67.0011,
       {"Saddar", "Clifton", "Gulshan-e-Iqbal", "Korangi", "Lyari", "Nazimabad", "Malir"}},
      {"Lahore",
       31.5204,
       74.3587,
       {"Anarkali", "Gulberg", "Model Town", "Ichhra", "Shahdara", "Johar Town"}},
      {"Islamabad",
       33.6844,
       73.0479,
       {"G-9 Markaz", "F-7", "I-8", "Bara Kahu", "G-11", "Blue Area"}},
  };
  return kCities;
}

const char* Describe(const std::string& type, uint64_t pick) {
  static const std::map<std::string, std::vector<const char*>> kWords = {
      {"plastic", {"Bags and bottles piled by the wall", "Plastic bottles blocking the gutter"}},
      {"organic", {"Vegetable waste left after the market", "Rotting food scraps by the stalls"}},
      {"paper", {"Cardboard boxes dumped behind the shops", "Wet paper and cartons"}},
      {"glass", {"Broken bottles on the footpath", "Glass shards near the school gate"}},
      {"metal", {"Rusty cans and scrap", "Old metal sheets by the road"}},
      {"e-waste", {"Old monitors and cables", "A broken fridge and wires"}},
      {"hazardous", {"Leaking drums, strong smell", "Paint tins and chemical bottles"}},
      {"construction", {"Bricks and rubble from a building site", "Concrete blocks on the road"}},
      {"medical", {"Syringes and dressings near the clinic", "Medicine strips and gloves"}},
      {"mixed", {"A heap of everything", "Household waste spilling onto the road"}},
      {"other", {"Old furniture left on the street", "Something burnt, unclear what"}},
  };
  auto it = kWords.find(type);
  if (it == kWords.end()) return "Waste on the street";
  return it->second[pick % it->second.size()];
}

// One thing that happens to the demo city, at its moment.
struct Step {
  SystemTime at;
  int report = -1;     // index into the plans
  std::string action;  // submit, acknowledged, dispatch, in_progress, resolved, rejected,
                       // duplicate, confirm, hide
  int other = -1;      // duplicate: the original's index; confirm: the confirming citizen
};

struct Plan {
  int city = 0;
  std::string type, address, description, size;
  double lat = 0, lng = 0;
  int reporter = 0;
  std::string id;  // once filed
};

StatusChange Change(ReportStatus to) {
  StatusChange ch;
  ch.status = to;
  return ch;
}

Status Record(Database& db, const std::string& table, const std::string& id) {
  auto r = db.Execute(
      "INSERT INTO demo_rows (table_name, row_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
      {table, id});
  return r ? Status::Ok() : r.error();
}

// A demo account (no password anyone knows, except the printed demo citizen and driver).
Result<Principal> DemoUser(App& app, const std::string& username, const std::string& role,
                           bool record) {
  auto found = app.db->Execute("SELECT id FROM users WHERE username = $1", {username});
  if (!found) return Err(found.error());
  std::string id;
  if (found->rows.empty()) {
    NewUser u{username, username + "@demo.cleanai.local", Base64UrlEncode(RandomBytes(18)),
              std::nullopt, role};
    auto made = app.auth->CreateUser(u, {"127.0.0.1", "cleanai-demo"});
    if (!made) return Err(made.error());
    id = made->id;
    if (record) {
      if (Status st = Record(*app.db, "users", id); !st.ok()) return Err(st);
    }
  } else {
    id = found->rows[0].Text("id");
  }
  Principal p;
  p.user_id = id;
  p.username = username;
  p.role = ParseRole(role).value_or(Role::kCitizen);
  return p;
}

}  // namespace

Result<bool> HasDemoCity(Database& db) {
  auto r = db.Execute("SELECT COUNT(*) AS n FROM demo_rows WHERE table_name = 'reports'");
  if (!r) return Err(r.error());
  return r->rows[0].Int("n") > 0;
}

Status SeedDemoCity(const Config& config, int reports_per_city) {
  if (VIPS_INIT("cleanai") != 0) return Status::Internal("libvips failed to start");
  DemoClock clock;
  const SystemTime now =
      std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  clock.Set(now);
  auto built = BuildApp(config, clock);
  if (!built) return built.error();
  App& app = **built;
  const ClientInfo client{"127.0.0.1", "cleanai-demo"};

  auto admin_row = app.db->Execute("SELECT id, username FROM users WHERE role = 'admin' LIMIT 1");
  if (!admin_row) return admin_row.error();
  if (admin_row->rows.empty()) return Status::Conflict("no admin account yet");
  Principal admin{admin_row->rows[0].Text("id"), admin_row->rows[0].Text("username"), Role::kAdmin,
                  ""};

  // Reporters: the printed demo citizen files a share, so signing in as them shows a
  // history; the others are demo neighbours nobody signs in as.
  std::vector<Principal> citizens;
  for (const std::string name : {"citizen", "ayesha_demo", "bilal_demo", "sana_demo", "imran_demo",
                                 "fatima_demo", "usman_demo"}) {
    auto p = DemoUser(app, name, "citizen", name != "citizen");
    if (!p) return p.error();
    citizens.push_back(*p);
  }
  std::vector<Principal> drivers;
  for (const std::string name : {"driver", "driver_lhr_demo", "driver_isb_demo"}) {
    auto p = DemoUser(app, name, "driver", name != "driver");
    if (!p) return p.error();
    drivers.push_back(*p);
  }

  // Three trucks, one a city, each with the last hour's track.
  std::vector<std::string> vehicles;
  const char* numbers[] = {"KHI-DEMO-1", "LHR-DEMO-2", "ISB-DEMO-3"};
  for (size_t i = 0; i < Cities().size(); ++i) {
    clock.Set(now - std::chrono::hours(24 * 61));
    VehicleInput in;
    in.vehicle_number = numbers[i];
    in.driver_id = std::optional<std::string>(drivers[i].user_id);
    in.capacity = 400;
    auto v = app.fleet->Create(admin, in, client);
    if (!v) return v.error();
    vehicles.push_back(v->id);
    CLEANAI_RETURN_STATUS_IF_ERROR(Record(*app.db, "fleet", v->id));
  }

  // The plans: where, what, by whom; then each one's life as steps in time.
  std::mt19937_64 rng(20261201);
  std::uniform_real_distribution<double> u(0, 1);
  const auto& types = WasteTypes();
  std::vector<Plan> plans;
  std::vector<Step> steps;
  std::vector<int> last_open_in_city(Cities().size(), -1);
  const char* sizes[] = {"bag", "bag", "wheelbarrow", "truck"};
  auto hours = [](double h) { return std::chrono::milliseconds(static_cast<int64_t>(h * 3600e3)); };
  for (size_t c = 0; c < Cities().size(); ++c) {
    for (int k = 0; k < reports_per_city; ++k) {
      Plan p;
      p.city = static_cast<int>(c);
      const DemoCity& city = Cities()[c];
      // Hot spots: most reports cluster in a few neighbourhoods, as in a real city.
      const size_t area = std::min(city.areas.size() - 1,
                                   static_cast<size_t>(std::pow(u(rng), 1.6) * city.areas.size()));
      const double angle = 2 * M_PI * area / city.areas.size();
      p.lat = city.lat + 0.05 * std::sin(angle) + (u(rng) - 0.5) * 0.03;
      p.lng = city.lng + 0.05 * std::cos(angle) + (u(rng) - 0.5) * 0.03;
      p.type = types[static_cast<size_t>(std::pow(u(rng), 1.3) * types.size()) % types.size()].code;
      p.address = "Street " + std::to_string(1 + rng() % 40) + ", " + city.areas[area];
      p.description = u(rng) < 0.8 ? Describe(p.type, rng()) : "";
      p.size = sizes[rng() % 4];
      p.reporter = u(rng) < 0.25 ? 0 : 1 + static_cast<int>(rng() % (citizens.size() - 1));
      const int index = static_cast<int>(plans.size());
      plans.push_back(p);
      // Newer reports are more common (a city that is adopting the app).
      const double age_days = 60 * std::pow(u(rng), 1.7) + 0.02;
      SystemTime t = now - hours(age_days * 24);
      steps.push_back({t, index, "submit"});
      const double roll = u(rng);
      auto later = [&](double lo, double hi) {
        t += hours(lo + (hi - lo) * u(rng));
        if (t > now - std::chrono::minutes(2)) t = now - std::chrono::minutes(2);
        return t;
      };
      if (age_days < 1.0 && roll < 0.45) {
        if (u(rng) < 0.3) steps.push_back({later(0.05, 0.5), index, "confirm", 1});
        last_open_in_city[c] = index;
        continue;  // still waiting to be seen
      }
      if (age_days > 1 && roll > 0.93 && last_open_in_city[c] >= 0 &&
          last_open_in_city[c] != index) {
        steps.push_back({later(0.5, 6), index, "duplicate", last_open_in_city[c]});
        continue;
      }
      if (roll > 0.88) {
        steps.push_back({later(0.5, 12), index, "rejected"});
        continue;
      }
      steps.push_back({later(0.3, 10), index, "acknowledged"});
      last_open_in_city[c] = index;
      if (age_days < 1.5 && roll < 0.6) continue;
      steps.push_back({later(1, 20), index, "dispatch"});
      if (age_days < 1.2 && roll < 0.75) continue;
      steps.push_back({later(0.3, 3), index, "in_progress"});
      if (age_days < 0.8) continue;
      steps.push_back({later(0.3, 4), index, "resolved"});
    }
  }
  // One photo shows a face in a real city: an admin keeps it off the public map.
  steps.push_back({now - std::chrono::minutes(1), 0, "hide"});
  std::stable_sort(steps.begin(), steps.end(),
                   [](const Step& a, const Step& b) { return a.at < b.at; });

  int filed = 0;
  // Hundreds of "report submitted" lines would bury the start-up log: quiet while seeding.
  SetLogLevel(LogLevel::kWarn);
  struct Restore {
    LogLevel level;
    ~Restore() { SetLogLevel(level); }
  } restore{LogLevelNamed(config.log_level)};
  for (const Step& s : steps) {
    clock.Set(s.at);
    Plan& p = plans[s.report];
    if (s.action == "submit") {
      auto photo = DemoPhoto(p.type, rng(), false);
      if (!photo) return photo.error();
      NewReport in;
      in.waste_type = p.type;
      in.lat = p.lat;
      in.lng = p.lng;
      in.address = p.address;
      if (!p.description.empty()) in.description = p.description;
      in.size = p.size;
      in.blocks_drain = p.type == "plastic" && u(rng) < 0.2;
      auto made = app.reports->Submit(citizens[p.reporter], in, *photo, client);
      if (!made) return made.error();
      p.id = made->report.id;
      CLEANAI_RETURN_STATUS_IF_ERROR(Record(*app.db, "reports", p.id));
      ++filed;
      continue;
    }
    if (p.id.empty()) continue;
    Result<Report> r = Err(Status::Internal("unknown step"));
    const Principal& driver = drivers[p.city];
    if (s.action == "dispatch") {
      r = app.reports->Dispatch(admin, vehicles[p.city], p.id, client);
    } else if (s.action == "in_progress") {
      r = app.reports->ChangeStatus(driver, p.id, Change(ReportStatus::kInProgress), "", client);
    } else if (s.action == "resolved") {
      auto after = DemoPhoto(p.type, rng(), true);
      if (!after) return after.error();
      StatusChange ch = Change(ReportStatus::kResolved);
      ch.note = "Cleared";
      r = app.reports->ChangeStatus(driver, p.id, ch, *after, client);
    } else if (s.action == "acknowledged") {
      r = app.reports->ChangeStatus(admin, p.id, Change(ReportStatus::kAcknowledged), "", client);
    } else if (s.action == "rejected") {
      StatusChange ch = Change(ReportStatus::kRejected);
      ch.reason = "Private land: the owner has been told";
      r = app.reports->ChangeStatus(admin, p.id, ch, "", client);
    } else if (s.action == "duplicate") {
      StatusChange ch = Change(ReportStatus::kDuplicate);
      ch.duplicate_of = plans[s.other].id;
      r = app.reports->ChangeStatus(admin, p.id, ch, "", client);
    } else if (s.action == "confirm") {
      const Principal& who = citizens[(p.reporter + 1) % citizens.size()];
      r = app.reports->Confirm(who, p.id, "still_there", client);
    } else if (s.action == "hide") {
      r = app.reports->SetPhotoHidden(admin, p.id, true, client);
    }
    // A step the status machine refuses (a duplicate's original closed meanwhile) is
    // skipped: the demo is a story, not a script that must run to the letter.
    if (!r && r.error().code() != StatusCode::kConflict &&
        r.error().code() != StatusCode::kNotFound &&
        r.error().code() != StatusCode::kInvalidArgument) {
      return r.error();
    }
  }

  // Each truck's last hour: a fix every five minutes through its city.
  for (size_t i = 0; i < vehicles.size(); ++i) {
    const DemoCity& city = Cities()[i];
    for (int k = 12; k >= 0; --k) {
      clock.Set(now - std::chrono::minutes(5 * k) - std::chrono::seconds(30));
      PositionFix fix;
      fix.lat = city.lat + 0.02 * std::sin(k / 3.0);
      fix.lng = city.lng + 0.02 * std::cos(k / 4.0);
      fix.speed_kmh = 18 + 10 * u(rng);
      fix.heading = std::fmod(40.0 * k, 360.0);
      fix.recorded_at = clock.Now();
      auto moved = app.fleet->RecordPosition(drivers[i], vehicles[i], fix);
      if (!moved && moved.error().code() != StatusCode::kRateLimited) return moved.error();
    }
  }

  clock.Set(now);
  // The flood panel's inputs: low-lying areas of each city and a wet forecast.
  const std::vector<std::tuple<const char*, double, double>> low = {
      {"Lyari riverbank (demo)", 24.8720, 66.9940},
      {"Korangi creek (demo)", 24.8290, 67.1250},
      {"Shahdara low ground (demo)", 31.6200, 74.2900},
      {"Nullah Lai, Rawalpindi side (demo)", 33.6500, 73.0700}};
  for (const auto& [name, lat, lng] : low) {
    auto area = app.flood->AddLowLyingArea(admin, name, lat, lng, 1500, client);
    if (!area) return area.error();
    CLEANAI_RETURN_STATUS_IF_ERROR(Record(*app.db, "flood_low_lying_areas", area->id));
  }
  auto rain = app.flood->EnterRainfall(admin, 38, 24, client);
  if (!rain) return rain.error();
  CLEANAI_RETURN_STATUS_IF_ERROR(Record(*app.db, "flood_rainfall_entries", rain->id));

  // An open alert: the newest hazardous report still waiting for a truck.
  auto hazard = app.db->Execute(
      "SELECT r.id, r.location_lat, r.location_lng, r.location_address FROM reports r JOIN "
      "demo_rows d ON d.table_name = 'reports' AND d.row_id = CAST(r.id AS VARCHAR(64)) WHERE "
      "r.waste_type = "
      "'hazardous' AND r.status IN ('submitted', 'acknowledged') ORDER BY r.created_at DESC "
      "LIMIT 1");
  if (!hazard) return hazard.error();
  if (!hazard->rows.empty()) {
    const Row& h = hazard->rows[0];
    AlertDraft d;
    d.rule = "hazardous_report";
    d.severity = "critical";
    d.subject_key = "hazardous:" + h.Text("id");
    d.message = "Hazardous waste reported at " + h.Text("location_address") + " (demo)";
    d.report_id = h.Text("id");
    d.lat = h.Double("location_lat");
    d.lng = h.Double("location_lng");
    if (auto raised = app.alerts->Raise(d); !raised) return raised.error();
    auto id = app.db->Execute("SELECT id FROM alerts WHERE subject_key = $1",
                              {"hazardous:" + h.Text("id")});
    if (id && !id->rows.empty()) {
      CLEANAI_RETURN_STATUS_IF_ERROR(Record(*app.db, "alerts", id->rows[0].Text("id")));
    }
  }
  // The demo's past is in-app only: no email, SMS or push goes out for it (its people's
  // addresses are made up, and a city trying the product must not mail anyone).
  auto quiet = app.db->Execute(
      "DELETE FROM notification_deliveries WHERE notification_id IN (SELECT n.id FROM "
      "notifications n JOIN demo_rows d ON d.table_name = 'reports' AND d.row_id = "
      "CAST(n.report_id AS VARCHAR(64)))");
  if (!quiet) return quiet.error();
  SetLogLevel(restore.level);
  LogInfo("demo city seeded", {{"reports", filed}});
  return Status::Ok();
}

Status ResetDemoCity(Database& db) {
  auto done = db.InTransaction<bool>([&](Connection& c) -> Result<bool> {
    // Ids are uuid on PostgreSQL and text in demo_rows: compared as text.
    const std::string demo = "(SELECT row_id FROM demo_rows WHERE table_name = ";
    auto in = [&demo](const std::string& column, const std::string& table) {
      return "CAST(" + column + " AS VARCHAR(64)) IN " + demo + "'" + table + "')";
    };
    const std::vector<std::string> statements = {
        "DELETE FROM alerts WHERE " + in("id", "alerts") + " OR " + in("report_id", "reports"),
        "DELETE FROM event_logs WHERE " + in("report_id", "reports"),
        "UPDATE reports SET duplicate_of = NULL WHERE " + in("id", "reports"),
        "DELETE FROM reports WHERE " + in("id", "reports"),
        "DELETE FROM vehicle_positions WHERE " + in("vehicle_id", "fleet"),
        "DELETE FROM fleet WHERE " + in("id", "fleet"),
        "DELETE FROM flood_low_lying_areas WHERE " + in("id", "flood_low_lying_areas"),
        "DELETE FROM flood_rainfall_entries WHERE " + in("id", "flood_rainfall_entries"),
        "DELETE FROM event_logs WHERE " + in("user_id", "users"),
        "DELETE FROM users WHERE " + in("id", "users"),
        "DELETE FROM demo_rows",
    };
    for (const auto& sql : statements) {
      auto r = c.Execute(sql, {});  // fixed text: no user input
      if (!r) return Err(r.error());
    }
    return true;
  });
  return done ? Status::Ok() : done.error();
}

}  // namespace cleanai
