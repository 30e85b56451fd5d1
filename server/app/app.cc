// SPDX-License-Identifier: AGPL-3.0-or-later
#include "app/app.h"

#include <algorithm>

#include "ai/routes.h"
#include "core/log.h"
#include "http/conditional.h"
#include "http/problem.h"
#include "storage/change_signal.h"
#include "storage/migrations.h"

namespace cleanai {
namespace {

bool OriginAllowed(const Config& cfg, const std::string& origin) {
  if (origin == OriginOf(cfg.public_url)) return true;
  for (const auto& o : cfg.cors_origins) {
    if (o == origin) return true;
  }
  return false;
}

// The security headers of every response, as header lines built once at start-up.
std::shared_ptr<const std::string> SecurityHead(const Config& cfg) {
  std::vector<std::pair<std::string, std::string>> headers;
  // Map tiles may come from another origin; nothing else does.
  std::string tiles = cfg.map_tile_url.rfind("/", 0) == 0 ? "" : " " + OriginOf(cfg.map_tile_url);
  headers.emplace_back("Content-Security-Policy",
                       "default-src 'self'; img-src 'self' data: blob:" + tiles +
                           "; object-src 'none'; base-uri 'self'; form-action 'self'; "
                           "frame-ancestors 'none'");
  headers.emplace_back("X-Content-Type-Options", "nosniff");
  // OWASP's advice: turn the old browsers' XSS auditor off (it opened XS-leaks); the CSP
  // above is the protection.
  headers.emplace_back("X-XSS-Protection", "0");
  headers.emplace_back("Referrer-Policy", "strict-origin-when-cross-origin");
  headers.emplace_back("X-Frame-Options", "DENY");
  headers.emplace_back("Cross-Origin-Opener-Policy", "same-origin");
  headers.emplace_back("Permissions-Policy", "camera=(self), geolocation=(self), microphone=()");
  if (cfg.tls_enabled()) {
    headers.emplace_back("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  }
  auto head = std::make_shared<std::string>();
  for (const auto& [name, value] : headers) {
    // A line break from the configuration would forge headers: such a header is left out.
    if (value.find_first_of("\r\n") != std::string::npos) continue;
    *head += name + ": " + value + "\r\n";
  }
  return head;
}

std::string ClientKey(const HttpRequest& req, const Config& cfg) {
  if (cfg.trust_proxy) {
    if (auto xff = req.Header("x-forwarded-for")) {
      std::string first = xff->substr(0, xff->find(','));
      first.erase(0, first.find_first_not_of(' '));
      if (!first.empty()) return first;
    }
  }
  return req.remote_address;
}

}  // namespace

HttpResponse App::Handle(HttpRequest& req) {
  if (config.trust_proxy) req.remote_address = ClientKey(req, config);
  HttpResponse resp;
  auto origin = req.Header("origin");
  bool cors_ok = origin && OriginAllowed(config, *origin);

  bool is_probe = req.path == "/healthz" || req.path == "/readyz" || req.path == "/metrics";
  int wait = is_probe || req.rate_checked ? 0 : limiter->Acquire(req.remote_address);
  req.rate_checked = true;
  // PostgreSQL is a network round trip away: an I/O thread waits for none (a quick read
  // answers from memory there, or goes to the worker pool). SQLite reads take microseconds.
  req.memory_only = req.on_io_thread && db->backend() == Backend::kPostgres;
  if (wait > 0) {
    resp =
        ProblemResponse(Status::RateLimited("too many requests; slow down", wait), req.request_id);
    resp.route = "rate-limited";
  } else if (req.method == "OPTIONS" && req.Header("access-control-request-method")) {
    // CORS preflight.
    if (!cors_ok) {
      resp = ProblemResponse(403, "Forbidden", "origin not allowed", req.request_id);
    } else {
      resp = HttpResponse::NoContent();
      resp.SetHeader("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE");
      resp.SetHeader("Access-Control-Allow-Headers",
                     "Authorization, Content-Type, Idempotency-Key, X-Request-Id, Last-Event-ID");
      resp.SetHeader("Access-Control-Max-Age", "600");
    }
    resp.route = "preflight";
  } else {
    resp = router.Handle(req);
    ApplyConditionalGet(req, resp);
  }
  if (cors_ok) {
    resp.SetHeader("Access-Control-Allow-Origin", *origin);
    resp.SetHeader("Access-Control-Allow-Credentials", "true");
    resp.SetHeader("Access-Control-Expose-Headers", "X-Request-Id, Retry-After, Location");
  }
  if (origin) {
    // Added to, not replaced: web assets already vary by Accept-Encoding.
    auto vary = std::find_if(resp.headers.begin(), resp.headers.end(),
                             [](const auto& h) { return h.first == "Vary"; });
    if (vary == resp.headers.end()) {
      resp.SetHeader("Vary", "Origin");
    } else {
      vary->second += ", Origin";
    }
  }
  resp.fixed_head = security_head;
  return resp;
}

Status App::StartWorkers() {
  if (Status st = feed->Start(); !st.ok()) return st;
  feed->OnAnyEvent([this] {
    alerts->Wake();
    public_map->Forget();  // a report may have changed: the public map asks again
  });
  events->OnCommit([this] { feed->Wake(); });
  sessions->Start();
  answers_follower->Start();
  leadership->Start();
  alerts->Start(*leadership);
  outbox->Start();
  ai->Start();
  media_sweeper->Start(*leadership);
  return Status::Ok();
}

void App::StopWorkers() {
  media_sweeper->Stop();
  ai->Stop();
  outbox->Stop();
  alerts->Stop();
  leadership->Stop();
  feed->Stop();
  sessions->Stop();
  answers_follower->Stop();
  answers->SetServing(false);
}

Result<std::unique_ptr<App>> BuildApp(const Config& config, const Clock& clock) {
  auto app = std::make_unique<App>();
  app->config = config;
  app->clock = &clock;
  app->security_head = SecurityHead(config);
  auto db = Database::Open(config.database_url, config.database_pool_size);
  if (!db) return Err(db.error());
  app->db = std::move(*db);
  auto migrated = Migrate(*app->db, clock);
  if (!migrated) return Err(migrated.error());
  if (!config.database_read_url.empty()) {
    auto replica = Database::Open(config.database_read_url, config.database_read_pool_size);
    if (!replica) return Err(replica.error());
    app->read_db = std::move(*replica);
  }
  auto keys = SigningKeys::Open(config.SecretsDir(), config.access_token_ttl_seconds, clock);
  if (!keys) return Err(keys.error());
  app->limiter = std::make_unique<RateLimiter>(config.rate_limit_per_minute);
  app->auth = std::make_unique<AuthService>(*app->db, clock, app->config, std::move(*keys));
  {
    auto signal = ChangeSignal::Open(config.database_url, SessionCache::kChannel);
    if (!signal) return Err(signal.error());
    app->sessions =
        std::make_unique<SessionCache>(std::move(*signal), config.session_cache_seconds);
    app->auth->SetSessionCache(app->sessions.get());
  }
  {
    // Answers kept until a report changes: this process's commits invalidate them at once
    // (Database::OnReportsChanged), other instances' through LISTEN (the follower).
    app->answers = std::make_unique<ResponseCache>(std::chrono::seconds(60));
    app->db->OnReportsChanged([answers = app->answers.get()] { answers->Invalidate(); });
    auto signal = ChangeSignal::Open(config.database_url, Database::kReportsChannel);
    if (!signal) return Err(signal.error());
    app->answers_follower = std::make_unique<ChangeFollower>(
        std::move(*signal), [answers = app->answers.get()](bool changed, bool listening) {
          if (changed) answers->Invalidate();
          answers->SetServing(listening);
        });
  }
  if (!InitMedia("cleanai")) return Err(Status::Unavailable("libvips could not be started"));
  auto objects = MakeObjectStore(config);
  if (!objects) return Err(objects.error());
  app->media = std::make_unique<MediaStore>(std::move(*objects));
  app->media_sweeper = std::make_unique<MediaSweeper>(*app->db, *app->media, app->config);
  if (config.notify_push) {
    auto vapid = VapidKey::LoadOrCreate(config.SecretsDir());
    if (!vapid) return Err(vapid.error());
    app->vapid = std::move(*vapid);
  }
  app->events = std::make_unique<EventLog>(*app->db, clock);
  auto signal = ChangeSignal::Open(config.database_url, EventLog::kChannel);
  if (!signal) return Err(signal.error());
  app->feed = std::make_unique<ChangeFeed>(*app->db, std::move(*signal));
  app->leadership = std::make_unique<Leadership>(*app->db, clock, "periodic");
  app->notifier =
      std::make_unique<Notifier>(*app->db, clock, app->config, app->vapid.get(), *app->events);
  app->outbox = std::make_unique<OutboxWorker>(*app->db, clock, app->config, app->vapid.get());
  app->reports = std::make_unique<ReportService>(*app->db, clock, app->config, *app->media,
                                                 *app->notifier, *app->events);
  // The AI reads stored photos and queues work in the transaction that stores them.
  // The model is loaded by `serve` only (AiService::Load): other commands need no network.
  app->ai = std::make_unique<AiService>(*app->db, clock, app->config, *app->media);
  app->ai_records = std::make_unique<AiRecords>(*app->db, clock, *app->media);
  app->ai_models = std::make_unique<ModelRegistry>(*app->db, clock, *app->media,
                                                   app->config.data_dir + "/models");
  app->ai->SetRegistry(app->ai_models.get());
  app->ai->SetPublished([reports = app->reports.get()](Connection& c, const std::string& id) {
    return reports->PublishChange(c, "report.ai_analyzed", id);
  });
  app->reports->SetPhotoHook(
      [ai = app->ai.get()](Connection& c, const std::string& id, const std::string& key,
                           const std::string& photo) { return ai->Enqueue(c, id, key, photo); });
  app->fleet = std::make_unique<FleetService>(*app->db, clock, app->config, *app->events);
  app->impact = std::make_unique<ImpactService>(*app->db, clock);
  app->analytics = std::make_unique<AnalyticsService>(*app->db, app->reads(), clock, app->config);
  app->reports->SetReadReplica(app->reads());
  if (app->read_db) app->auth->SetReadReplica(*app->read_db);
  if (Status st = app->analytics->PrepareDayCounts(); !st.ok()) return Err(st);
  app->gazetteer = std::make_unique<Gazetteer>(config.geo_cities_file, config.geo_admin1_file);
  Gazetteer* gz = app->gazetteer.get();
  app->reports->SetLocator(
      [gz](double lat, double lng) -> std::optional<ReportService::CityAndCountry> {
        auto p = gz->Reverse(lat, lng);
        if (!p) return std::nullopt;
        return ReportService::CityAndCountry{p->name, CountryName(p->country_code)};
      });
  app->flood = std::make_unique<FloodService>(
      *app->db, clock, app->config, [gz](double lat, double lng) -> std::optional<std::string> {
        auto p = gz->Reverse(lat, lng);
        if (!p) return std::nullopt;
        return p->name;
      });
  app->alerts = std::make_unique<AlertService>(*app->db, clock, app->config, *app->events,
                                               *app->reports, *app->flood);
  app->router.SetAuthenticator(
      [auth = app->auth.get()](const HttpRequest& req) { return AuthenticateRequest(*auth, req); });
  RegisterAuthRoutes(app->router, *app->auth);
  for (const auto& p : app->config.oidc_providers) {
    app->oidc.push_back(std::make_unique<OidcClient>(
        p, app->config.public_url + "/api/auth/oidc/" + p.id + "/callback", clock));
  }
  RegisterOidcRoutes(app->router, *app->auth, app->oidc, clock);
  // The store holds the AI's registered models too (by their hash): those only for admins.
  RegisterMediaRoutes(
      app->router, *app->media,
      [reports = app->reports.get(), models = app->ai_models.get()](
          const std::string& key, const std::optional<Principal>& reader) -> Result<bool> {
        if (!reader || !reader->is_admin()) {
          auto model = models->Holds(key);
          if (!model) return Err(model.error());
          if (*model) return false;
        }
        return reports->MayReadMedia(key, reader);
      });
  RegisterNotifyRoutes(app->router, *app->notifier);
  RegisterEventRoutes(app->router, *app->events, *app->feed);
  RegisterReportRoutes(app->router, *app->reports, app->answers.get());
  RegisterAiRoutes(app->router, *app->ai, *app->ai_records, *app->reports, app->config);
  RegisterModelRoutes(app->router, *app->ai, *app->ai_models);
  app->planner = std::make_unique<RoutePlanner>(*app->db, *app->reports, *app->fleet,
                                                *app->notifier, app->config);
  RegisterPlanningRoutes(app->router, *app->planner);
  RegisterFleetRoutes(app->router, *app->fleet, *app->reports);
  RegisterImpactRoutes(app->router, *app->impact);
  RegisterAnalyticsRoutes(app->router, *app->analytics, *app->reports);
  app->open311_keys = std::make_unique<Open311Keys>(*app->db, *app->auth, clock);
  RegisterOpen311Routes(app->router, *app->reports, *app->open311_keys, app->config);
  RegisterOpen311KeyRoutes(app->router, *app->open311_keys);
  app->papers = std::make_unique<PaperLibrary>(*app->db, clock);
  RegisterPaperRoutes(app->router, *app->papers);
  // Nominatim's usage policy asks for a User-Agent that names the application.
  app->streets = std::make_unique<StreetGeocoder>(config.geo_nominatim_url,
                                                  config.geo_nominatim_timeout_seconds,
                                                  "CleanAI/1 (+" + config.public_url + ")");
  RegisterGeoRoutes(app->router, *app->gazetteer, *app->streets);
  app->public_map = std::make_unique<PublicMap>(app->reads(), clock);
  app->area_alerts = std::make_unique<AreaAlerts>(*app->db, clock, app->config, *app->notifier,
                                                  [gz](const std::string& name) {
                                                    for (const auto& p : gz->Search(name, 5)) {
                                                      if (p.name == name) return true;
                                                    }
                                                    return false;
                                                  });
  app->reports->SetNewReportHook([alerts = app->area_alerts.get()](Connection& c, const Report& r) {
    return alerts->OnNewReport(c, r);
  });
  RegisterPublicRoutes(app->router, *app->public_map, *app->reports, *app->area_alerts,
                       app->config);
  RegisterFloodRoutes(app->router, *app->flood);
  RegisterAlertRoutes(app->router, *app->alerts);
  RegisterSystemRoutes(*app);
  RegisterWebRoutes(*app);
  Database* dbp = app->db.get();
  app->metrics.AddCollector([dbp] {
    PoolStats s = dbp->Stats();
    return "# HELP cleanai_db_pool_connections Database connections by state.\n"
           "# TYPE cleanai_db_pool_connections gauge\n"
           "cleanai_db_pool_connections{state=\"in_use\"} " +
           std::to_string(s.in_use) + "\n" + "cleanai_db_pool_connections{state=\"idle\"} " +
           std::to_string(s.size - s.in_use) +
           "\n# HELP cleanai_db_pool_acquired_total Connections handed out.\n"
           "# TYPE cleanai_db_pool_acquired_total counter\n"
           "cleanai_db_pool_acquired_total " +
           std::to_string(s.acquired_total) +
           "\n# HELP cleanai_db_pool_waits_total Acquisitions that waited for a connection.\n"
           "# TYPE cleanai_db_pool_waits_total counter\n"
           "cleanai_db_pool_waits_total " +
           std::to_string(s.waited_total) +
           "\n# HELP cleanai_db_pool_timeouts_total Acquisitions that gave up.\n"
           "# TYPE cleanai_db_pool_timeouts_total counter\n"
           "cleanai_db_pool_timeouts_total " +
           std::to_string(s.timeouts_total) + "\n";
  });
  if (Database* replica = app->read_db.get()) {
    app->metrics.AddCollector([replica] {
      return MetricText("cleanai_db_replica_acquired_total", "counter",
                        "Connections handed out by the read replica's pool.",
                        static_cast<int64_t>(replica->Stats().acquired_total));
    });
  }
  // What an operator's alerts watch (deploy/prometheus/cleanai-rules.yml).
  App* a = app.get();
  app->metrics.AddCollector([a] {
    std::string out =
        "# HELP cleanai_build_info The running build.\n# TYPE cleanai_build_info gauge\n"
        "cleanai_build_info{version=\"" CLEANAI_VERSION "\"} 1\n";
    bool up = a->db->Execute("SELECT 1 AS ok").has_value();
    out += MetricText("cleanai_database_up", "gauge", "1 while this instance reaches its database.",
                      up ? 1 : 0);
    // The backlogs are read from the database: only while it answers.
    auto backlog = up ? a->outbox->Waiting() : Err(Status::Unavailable("database down"));
    if (backlog) {
      out += MetricText("cleanai_notify_backlog", "gauge",
                        "Deliveries waiting to be sent (all instances).", backlog->count);
      out +=
          MetricText("cleanai_notify_oldest_undelivered_seconds", "gauge",
                     "Age of the oldest of them.", static_cast<int64_t>(backlog->oldest_seconds));
    }
    auto photos = up ? a->ai->Backlog() : Err(Status::Unavailable("database down"));
    if (photos) {
      out += MetricText("cleanai_ai_backlog", "gauge",
                        "Photos waiting for or in analysis (all instances).", *photos);
    }
    out += a->ai->MetricsText();
    out += MetricText("cleanai_session_cache_hits_total", "counter",
                      "Session checks answered from memory.",
                      static_cast<int64_t>(a->sessions->hits()));
    out += MetricText("cleanai_session_cache_misses_total", "counter",
                      "Session checks that asked the database.",
                      static_cast<int64_t>(a->sessions->misses()));
    out += MetricText("cleanai_response_cache_hits_total", "counter",
                      "Report list answers served from memory.",
                      static_cast<int64_t>(a->answers->hits()));
    out += MetricText("cleanai_response_cache_misses_total", "counter",
                      "Report list answers built from the database.",
                      static_cast<int64_t>(a->answers->misses()));
    out += MetricText("cleanai_alerts_last_round_timestamp_seconds", "gauge",
                      "When this instance last ran the alert rules (0: it does not lead).",
                      a->alerts->last_round_unix());
    ChangeFeed::Stats f = a->feed->stats();
    out += MetricText("cleanai_change_feed_reads_total", "counter",
                      "Queries the change feed made (one feed per instance, whatever the "
                      "number of streams).",
                      static_cast<int64_t>(f.reads));
    out += MetricText("cleanai_change_feed_events_total", "counter", "Live events the feed read.",
                      static_cast<int64_t>(f.events));
    out += MetricText("cleanai_event_streams", "gauge", "Open live-update (SSE) streams.",
                      static_cast<int64_t>(f.subscribers));
    out += MetricText("cleanai_change_feed_listening", "gauge",
                      "1 while PostgreSQL LISTEN is in place.", f.listening ? 1 : 0);
    out += MetricText("cleanai_leader", "gauge", "1 on the instance that runs the periodic work.",
                      a->leadership->IsLeader() ? 1 : 0);
    return out;
  });
  return app;
}

}  // namespace cleanai
