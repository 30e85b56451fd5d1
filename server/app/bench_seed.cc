// SPDX-License-Identifier: AGPL-3.0-or-later
// `cleanai bench-seed --reports N`: fills the database with N realistic reports around
// Lahore for benchmarks (bench/reports_load.sh). Rows go straight through the data layer
// in batches; every report shares one real stored photo.
#include <vips/vips.h>

#include <cmath>
#include <iostream>
#include <random>

#include "app/app.h"
#include "core/crypto.h"

namespace cleanai {

int BenchSeed(App& app, int count, int history_days) {
  // One real photo, stored once.
  VipsImage *x = nullptr, *u8 = nullptr;
  vips_xyz(&x, 1024, 768, NULL);
  vips_cast_uchar(x, &u8, NULL);
  void* buf = nullptr;
  size_t len = 0;
  vips_jpegsave_buffer(u8, &buf, &len, NULL);
  auto photo = app.media->Store(std::string_view(static_cast<char*>(buf), len), PhotoLimits{});
  g_free(buf);
  g_object_unref(x);
  g_object_unref(u8);
  if (!photo) {
    std::cerr << "cannot store the bench photo: " << photo.error().message() << "\n";
    return 1;
  }
  NewUser u{"bench_citizen", "bench_citizen@cleanai.local", "bench citizen passphrase",
            std::nullopt, "citizen"};
  auto created = app.auth->CreateUser(u, {"127.0.0.1", "bench-seed"});
  std::string user_id;
  if (created) {
    user_id = created->id;
  } else {
    auto r = app.db->Execute("SELECT id FROM users WHERE username = 'bench_citizen'");
    if (!r || r->rows.empty()) return 1;
    user_id = r->rows[0].Text("id");
  }
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::uniform_real_distribution<double> jitter(-0.15, 0.15);  // ~16 km around the centre
  const char* statuses[] = {"submitted", "submitted", "acknowledged", "resolved", "rejected"};
  const char* sizes[] = {"bag", "bag", "wheelbarrow", "truck"};
  struct City {
    const char* name;
    double lat, lng;
  };
  const City cities[] = {{"Karachi", 24.8607, 67.0011},
                         {"Lahore", 31.5204, 74.3587},
                         {"Islamabad", 33.6844, 73.0479},
                         {"Peshawar", 34.0151, 71.5249},
                         {"Quetta", 30.1798, 66.975}};
  const auto& types = WasteTypes();
  SystemTime now = app.clock->Now();
  // A report's life in history mode, by its age: recent ones are still being handled, old
  // ones are nearly all closed (a few forgotten).
  auto lifecycle = [&](double age_days) -> std::string {
    double u = unit(rng);
    if (age_days < 1) {
      return u < 0.5   ? "submitted"
             : u < 0.7 ? "acknowledged"
             : u < 0.9 ? "dispatched"
                       : "in_progress";
    }
    if (age_days < 7) {
      return u < 0.1   ? "submitted"
             : u < 0.2 ? "acknowledged"
             : u < 0.3 ? "dispatched"
             : u < 0.9 ? "resolved"
                       : "rejected";
    }
    return u < 0.01   ? "submitted"
           : u < 0.02 ? "acknowledged"
           : u < 0.92 ? "resolved"
           : u < 0.98 ? "rejected"
                      : "duplicate";
  };
  int done = 0;
  while (done < count) {
    int batch = std::min(5000, count - done);
    auto ok = app.db->InTransaction<bool>([&](Connection& c) -> Result<bool> {
      for (int i = 0; i < batch; ++i) {
        const WasteType& t = types[rng() % types.size()];
        double lat, lng;
        std::optional<std::string> city;
        std::string status, when;
        int64_t created_ms = 0;
        Value resolved_at = nullptr, resolution = nullptr, response = nullptr;
        if (history_days > 0) {
          const City& home = cities[rng() % 5];
          lat = home.lat + jitter(rng);
          lng = home.lng + jitter(rng);
          city = home.name;
          double age_days = unit(rng) * history_days;
          SystemTime created =
              now - std::chrono::milliseconds(static_cast<int64_t>(age_days * 86400e3));
          when = FormatTime(created);
          created_ms = created.time_since_epoch().count();
          status = lifecycle(age_days);
          if (status != "submitted") {
            response = static_cast<int64_t>(600 + unit(rng) * 12 * 3600);
          }
          if (status == "resolved") {
            // Two hours to three days, most within a day.
            int64_t secs = static_cast<int64_t>(7200 + std::pow(unit(rng), 2) * 70 * 3600);
            SystemTime at = created + std::chrono::seconds(secs);
            if (at > now) at = now;
            resolution = secs;
            resolved_at = FormatTime(at);
          }
        } else {
          lat = 31.5204 + jitter(rng);
          lng = 74.3587 + jitter(rng);
          when = FormatTime(now - std::chrono::minutes(rng() % (60 * 24 * 90)));
          status = statuses[rng() % 5];
        }
        auto r = c.Execute(
            "INSERT INTO reports (id, user_id, image_url, image_key, thumbnail_key, waste_type, "
            "location_lat, location_lng, location_address, location_city, location_source, "
            "status, priority, size, blocks_drain, resolved_at, resolution_seconds, "
            "response_seconds, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
            "$9, $10, 'device', $11, $12, $13, $14, $15, $16, $17, $18, $18)",
            {history_days > 0 ? UuidV7At(created_ms) : NewUuidV7(), user_id,
             MediaUrl(photo->image_key), photo->image_key, photo->thumbnail_key, t.code, lat, lng,
             "Bench street " + std::to_string(done + i), city ? Value(*city) : Value(nullptr),
             status, std::string(PriorityName(t.priority)), std::string(sizes[rng() % 4]),
             unit(rng) < 0.05, resolved_at, resolution, response, when});
        if (!r) return Err(r.error());
      }
      return true;
    });
    if (!ok) {
      std::cerr << "seeding failed: " << ok.error().message() << "\n";
      return 1;
    }
    done += batch;
  }
  // Fresh statistics, as autovacuum would gather them in time: without them PostgreSQL
  // plans the first page as a full scan and sort.
  // VACUUM too on PostgreSQL: index-only scans need the visibility map it writes.
  (void)app.db->Execute(app.db->backend() == Backend::kPostgres ? "VACUUM ANALYZE" : "ANALYZE");
  std::cout << "seeded " << count << " reports\n";
  return 0;
}

}  // namespace cleanai
