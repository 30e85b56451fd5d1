// `cleanai bench-seed --reports N`: fills the database with N realistic reports around
// Lahore for benchmarks (bench/reports_load.sh). Rows go straight through the data layer
// in batches; every report shares one real stored photo.
#include <cmath>
#include <iostream>
#include <random>

#include <vips/vips.h>

#include "app/app.h"
#include "core/crypto.h"

namespace cleanai {

int BenchSeed(App& app, int count) {
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
  std::uniform_real_distribution<double> jitter(-0.15, 0.15);  // ~16 km around the centre
  const char* statuses[] = {"submitted", "submitted", "acknowledged", "resolved", "rejected"};
  const auto& types = WasteTypes();
  SystemTime now = app.clock->Now();
  int done = 0;
  while (done < count) {
    int batch = std::min(1000, count - done);
    auto ok = app.db->InTransaction<bool>([&](Connection& c) -> Result<bool> {
      for (int i = 0; i < batch; ++i) {
        double lat = 31.5204 + jitter(rng), lng = 74.3587 + jitter(rng);
        const WasteType& t = types[rng() % types.size()];
        std::string when = FormatTime(now - std::chrono::minutes(rng() % (60 * 24 * 90)));
        auto r = c.Execute(
            "INSERT INTO reports (id, user_id, image_url, image_key, thumbnail_key, waste_type, "
            "location_lat, location_lng, location_address, location_source, status, priority, "
            "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'device', $10, "
            "$11, $12, $12)",
            {NewUuidV7(), user_id, MediaUrl(photo->image_key), photo->image_key,
             photo->thumbnail_key, t.code, lat, lng, "Bench street " + std::to_string(done + i),
             std::string(statuses[rng() % 5]), t.priority, when});
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
  (void)app.db->Execute("ANALYZE");
  std::cout << "seeded " << count << " reports\n";
  return 0;
}

}  // namespace cleanai
