// SPDX-License-Identifier: AGPL-3.0-or-later
// Wiring: builds the application (database, services, router, pipeline) from a Config.
// The subcommands in main.cc and the server tests use this; domains never see each other
// except through here.
#pragma once

#include <memory>
#include <string>

#include "ai/records.h"
#include "ai/service.h"
#include "alerts/alerts.h"
#include "analytics/dashboard.h"
#include "analytics/impact.h"
#include "auth/auth.h"
#include "core/config.h"
#include "core/secrets.h"
#include "events/events.h"
#include "events/feed.h"
#include "fleet/fleet.h"
#include "fleet/planning.h"
#include "flood/flood.h"
#include "geo/geo.h"
#include "geo/nominatim.h"
#include "http/metrics.h"
#include "http/rate_limiter.h"
#include "http/router.h"
#include "media/media.h"
#include "media/sweeper.h"
#include "notify/notify.h"
#include "notify/outbox.h"
#include "open311/open311.h"
#include "papers/papers.h"
#include "public/public.h"
#include "reports/reports.h"
#include "storage/change_follower.h"
#include "storage/database.h"
#include "storage/leadership.h"

namespace cleanai {

struct App {
  Config config;
  const Clock* clock = nullptr;
  std::unique_ptr<Database> db;
  std::unique_ptr<Database> read_db;  // database.read_url: the replica; null without one
  Database& reads() { return read_db ? *read_db : *db; }
  std::unique_ptr<AuthService> auth;
  std::unique_ptr<SessionCache> sessions;  // serve: answers most session checks from memory
  std::unique_ptr<ResponseCache> answers;  // serve: report lists kept between changes
  std::shared_ptr<const std::string> security_head;  // header lines on every response
  std::unique_ptr<ChangeFollower> answers_follower;  // other instances' report changes
  std::vector<std::unique_ptr<OidcClient>> oidc;     // one per [[auth.oidc]] provider
  std::unique_ptr<MediaStore> media;
  std::unique_ptr<MediaSweeper> media_sweeper;
  std::unique_ptr<AiService> ai;
  std::unique_ptr<AiRecords> ai_records;
  std::unique_ptr<ModelRegistry> ai_models;  // trained models; the AI service follows it
  std::unique_ptr<VapidKey> vapid;           // null when Web Push is off
  std::unique_ptr<Notifier> notifier;
  std::unique_ptr<OutboxWorker> outbox;  // delivers under `serve` only
  std::unique_ptr<EventLog> events;
  std::unique_ptr<ChangeFeed> feed;  // follows live_events for SSE and the alert rules
  // The periodic work one instance does for all (alert rules, photo sweeper).
  std::unique_ptr<Leadership> leadership;
  std::unique_ptr<ReportService> reports;
  std::unique_ptr<FleetService> fleet;
  std::unique_ptr<RoutePlanner> planner;
  std::unique_ptr<ImpactService> impact;
  std::unique_ptr<AnalyticsService> analytics;
  std::unique_ptr<Gazetteer> gazetteer;
  std::unique_ptr<StreetGeocoder> streets;
  std::unique_ptr<FloodService> flood;
  std::unique_ptr<AlertService> alerts;  // its rule loop runs only under `serve`
  std::unique_ptr<Open311Keys> open311_keys;
  std::unique_ptr<PaperLibrary> papers;
  std::unique_ptr<PublicMap> public_map;
  std::unique_ptr<AreaAlerts> area_alerts;
  std::unique_ptr<RateLimiter> limiter;
  Metrics metrics;
  Router router;

  // The full request pipeline: rate limit, CORS, routing, security headers.
  HttpResponse Handle(HttpRequest& req);

  // The background work `serve` runs beside the requests: the change feed, the alert
  // rules and photo sweeper (on the leading instance), notification deliveries and AI
  // jobs (leased, on every instance). Other commands never start it. Stop waits for each
  // to finish its round (in the reverse order).
  Status StartWorkers();
  void StopWorkers();
};

// Opens the database, runs migrations, loads or creates the JWT key under data_dir and
// registers every route. Returns the first failure, with the configuration key or the
// database error in its message.
Result<std::unique_ptr<App>> BuildApp(const Config& config, const Clock& clock);

// The embedded OpenAPI 3.1 document (docs/openapi.json at build time).
const std::string& OpenApiDocument();

// Fills the database with `count` reports for benchmarks (cleanai bench-seed). With
// `history_days` > 0 they follow a city's life over that many days (five cities, most old
// reports resolved, a few open); otherwise all are recent and around Lahore.
int BenchSeed(App& app, int count, int history_days = 0);

// The demo city (app/demo.cc): whether one is stored, seeding one (its own App on a clock
// that walks through the last 60 days), and removing exactly what it made.
Result<bool> HasDemoCity(Database& db);
Status SeedDemoCity(const Config& config, int reports_per_city);
Status ResetDemoCity(Database& db);

// Serves the built web app from config.web_root for paths no route claims.
void RegisterWebRoutes(App& app);

// Registers /healthz, /readyz, /metrics and /api/openapi.json.
void RegisterSystemRoutes(App& app);

}  // namespace cleanai
