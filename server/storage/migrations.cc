#include "storage/migrations.h"

#include <cstring>

#include "core/log.h"

namespace cleanai {

const std::vector<Migration>& AllMigrations() {
  static const std::vector<Migration> kMigrations = {
      {1, "core schema: users, fleet, reports, event_logs (the seed's tables)", R"SQL(
CREATE TABLE users (
  id {uuid} PRIMARY KEY,
  username VARCHAR(50) NOT NULL,
  email VARCHAR(255) NOT NULL,
  password_hash VARCHAR(255) NOT NULL,
  role VARCHAR(20) NOT NULL DEFAULT 'citizen' CHECK (role IN ('citizen', 'driver', 'admin')),
  phone VARCHAR(20),
  created_at {timestamp} NOT NULL,
  updated_at {timestamp} NOT NULL,
  last_login {timestamp},
  is_active {bool} NOT NULL DEFAULT {true},
  reports_submitted INTEGER NOT NULL DEFAULT 0,
  reports_resolved INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX idx_users_username ON users (lower(username));
CREATE UNIQUE INDEX idx_users_email ON users (lower(email));

CREATE TABLE fleet (
  id {uuid} PRIMARY KEY,
  vehicle_number VARCHAR(20) UNIQUE NOT NULL,
  driver_id {uuid} REFERENCES users(id),
  driver_name VARCHAR(100),
  current_lat DECIMAL(10,8),
  current_lng DECIMAL(11,8),
  status VARCHAR(20) NOT NULL DEFAULT 'idle',
  capacity INTEGER NOT NULL DEFAULT 100,
  current_load INTEGER NOT NULL DEFAULT 0,
  last_updated {timestamp},
  created_at {timestamp} NOT NULL
);
CREATE INDEX idx_fleet_status ON fleet(status);
CREATE INDEX idx_fleet_driver ON fleet(driver_id);

CREATE TABLE reports (
  id {uuid} PRIMARY KEY,
  user_id {uuid} REFERENCES users(id) ON DELETE SET NULL,
  image_url VARCHAR(500) NOT NULL,
  image_key VARCHAR(255) NOT NULL,
  waste_type VARCHAR(50) NOT NULL,
  ai_detected_type VARCHAR(50),
  ai_confidence DECIMAL(5,2),
  location_lat DECIMAL(10,8) NOT NULL,
  location_lng DECIMAL(11,8) NOT NULL,
  location_address TEXT NOT NULL,
  location_city VARCHAR(100),
  location_country VARCHAR(100) DEFAULT 'Pakistan',
  description TEXT,
  status VARCHAR(20) NOT NULL DEFAULT 'submitted',
  priority VARCHAR(10) NOT NULL DEFAULT 'medium',
  dispatched_to {uuid} REFERENCES fleet(id),
  dispatched_at {timestamp},
  resolved_at {timestamp},
  resolved_by {uuid} REFERENCES users(id),
  verification_image_url VARCHAR(500),
  created_at {timestamp} NOT NULL,
  updated_at {timestamp} NOT NULL
);
CREATE INDEX idx_reports_user_id ON reports(user_id);
CREATE INDEX idx_reports_status ON reports(status);
CREATE INDEX idx_reports_created_at ON reports(created_at DESC);
CREATE INDEX idx_reports_location ON reports(location_lat, location_lng);

CREATE TABLE event_logs (
  id {uuid} PRIMARY KEY,
  report_id {uuid} REFERENCES reports(id) ON DELETE CASCADE,
  user_id {uuid} REFERENCES users(id),
  event_type VARCHAR(50) NOT NULL,
  old_status VARCHAR(20),
  new_status VARCHAR(20),
  details {json},
  ip_address {inet},
  user_agent TEXT,
  created_at {timestamp} NOT NULL
);
CREATE INDEX idx_event_logs_report_id ON event_logs(report_id);
CREATE INDEX idx_event_logs_event_type ON event_logs(event_type);
CREATE INDEX idx_event_logs_created_at ON event_logs(created_at DESC);
)SQL"},
      {2, "auth: refresh token families and login attempts", R"SQL(
CREATE TABLE refresh_tokens (
  id {uuid} PRIMARY KEY,
  user_id {uuid} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  family_id {uuid} NOT NULL,
  token_hash CHAR(64) NOT NULL UNIQUE,
  created_at {timestamp} NOT NULL,
  expires_at {timestamp} NOT NULL,
  rotated_at {timestamp},
  revoked_at {timestamp},
  ip_address {inet},
  user_agent TEXT
);
CREATE INDEX idx_refresh_tokens_user ON refresh_tokens(user_id);
CREATE INDEX idx_refresh_tokens_family ON refresh_tokens(family_id);

CREATE TABLE login_failures (
  id {uuid} PRIMARY KEY,
  account_key VARCHAR(255) NOT NULL,
  ip_address VARCHAR(64) NOT NULL,
  created_at {timestamp} NOT NULL
);
CREATE INDEX idx_login_failures_account ON login_failures(account_key, created_at);
CREATE INDEX idx_login_failures_ip ON login_failures(ip_address, created_at);
)SQL"},
      {3, "reports: photos, size, drain flag, soft delete, idempotency, notifications, spatial index",
       R"SQL(
ALTER TABLE reports ADD COLUMN thumbnail_key VARCHAR(255);
ALTER TABLE reports ADD COLUMN verification_image_key VARCHAR(255);
ALTER TABLE reports ADD COLUMN blocks_drain {bool} NOT NULL DEFAULT {false};
ALTER TABLE reports ADD COLUMN size VARCHAR(20);
ALTER TABLE reports ADD COLUMN location_source VARCHAR(10);
ALTER TABLE reports ADD COLUMN captured_at VARCHAR(32);
ALTER TABLE reports ADD COLUMN rejection_reason TEXT;
ALTER TABLE reports ADD COLUMN duplicate_of {uuid} REFERENCES reports(id);
ALTER TABLE reports ADD COLUMN confirmations INTEGER NOT NULL DEFAULT 0;
ALTER TABLE reports ADD COLUMN deleted_at {timestamp};
CREATE INDEX idx_reports_dispatched_to ON reports(dispatched_to);

CREATE TABLE idempotency_keys (
  user_id {uuid} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  idempotency_key VARCHAR(100) NOT NULL,
  request_hash CHAR(64) NOT NULL,
  report_id {uuid} NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  created_at {timestamp} NOT NULL,
  PRIMARY KEY (user_id, idempotency_key)
);

CREATE TABLE notifications (
  id {uuid} PRIMARY KEY,
  user_id {uuid} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  report_id {uuid} REFERENCES reports(id) ON DELETE CASCADE,
  kind VARCHAR(40) NOT NULL,
  title VARCHAR(200) NOT NULL,
  body TEXT NOT NULL,
  created_at {timestamp} NOT NULL,
  read_at {timestamp}
);
CREATE INDEX idx_notifications_user ON notifications(user_id, created_at);

CREATE TABLE report_subscriptions (
  report_id {uuid} NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  user_id {uuid} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at {timestamp} NOT NULL,
  PRIMARY KEY (report_id, user_id)
);
)SQL",
       // SQLite: an R*Tree over the points, kept in step by triggers (rowid links them).
       R"SQL(
CREATE VIRTUAL TABLE reports_geo USING rtree(id, min_lat, max_lat, min_lng, max_lng);
INSERT INTO reports_geo SELECT rowid, location_lat, location_lat, location_lng, location_lng FROM reports;
CREATE TRIGGER reports_geo_insert AFTER INSERT ON reports BEGIN
  INSERT INTO reports_geo VALUES (NEW.rowid, NEW.location_lat, NEW.location_lat,
                                  NEW.location_lng, NEW.location_lng);
END;
CREATE TRIGGER reports_geo_update AFTER UPDATE OF location_lat, location_lng ON reports BEGIN
  UPDATE reports_geo SET min_lat = NEW.location_lat, max_lat = NEW.location_lat,
                         min_lng = NEW.location_lng, max_lng = NEW.location_lng
  WHERE id = NEW.rowid;
END;
CREATE TRIGGER reports_geo_delete AFTER DELETE ON reports BEGIN
  DELETE FROM reports_geo WHERE id = OLD.rowid;
END;
)SQL",
       // PostgreSQL: the seed's earthdistance GiST index.
       R"SQL(
CREATE EXTENSION IF NOT EXISTS cube;
CREATE EXTENSION IF NOT EXISTS earthdistance;
CREATE INDEX idx_reports_earth ON reports USING gist (
  ll_to_earth(location_lat::float8, location_lng::float8));
)SQL"},
      {4, "live events for SSE and 'still there' confirmations", R"SQL(
CREATE TABLE live_events (
  id {serial},
  recipient_user_id {uuid} REFERENCES users(id) ON DELETE CASCADE,
  report_id {uuid} REFERENCES reports(id) ON DELETE CASCADE,
  event_type VARCHAR(50) NOT NULL,
  payload TEXT NOT NULL,
  created_at {timestamp} NOT NULL
);
CREATE INDEX idx_live_events_recipient ON live_events(recipient_user_id, id);

CREATE TABLE report_confirmations (
  report_id {uuid} NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  user_id {uuid} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind VARCHAR(20) NOT NULL CHECK (kind IN ('still_there', 'more', 'less', 'cleaned')),
  created_at {timestamp} NOT NULL,
  updated_at {timestamp} NOT NULL,
  PRIMARY KEY (report_id, user_id)
);
)SQL"},
      {5, "reports: seconds from filing to resolution, for impact figures", R"SQL(
ALTER TABLE reports ADD COLUMN resolution_seconds INTEGER;
)SQL"},
      {6, "open311: api keys of the civic apps and city systems that file requests", R"SQL(
CREATE TABLE open311_keys (
  id {uuid} PRIMARY KEY,
  name VARCHAR(100) NOT NULL,
  key_hash CHAR(64) NOT NULL UNIQUE,
  user_id {uuid} NOT NULL REFERENCES users(id),
  created_at {timestamp} NOT NULL,
  revoked_at {timestamp}
);
)SQL"},
      {7, "research papers, with the first real, cited entries", R"SQL(
CREATE TABLE papers (
  id {uuid} PRIMARY KEY,
  title VARCHAR(300) NOT NULL,
  authors VARCHAR(500) NOT NULL,
  year INTEGER NOT NULL,
  venue VARCHAR(200) NOT NULL,
  url VARCHAR(500) NOT NULL,
  doi VARCHAR(200),
  topic VARCHAR(20) NOT NULL,
  created_at {timestamp} NOT NULL,
  updated_at {timestamp} NOT NULL
);
INSERT INTO papers (id, title, authors, year, venue, url, doi, topic, created_at, updated_at) VALUES
  ('01a20f30-0000-7000-8000-000000000001', 'TACO: Trash Annotations in Context for Litter Detection', 'Pedro F. Proença, Pedro Simões', 2020, 'arXiv preprint arXiv:2003.06975', 'https://arxiv.org/abs/2003.06975', NULL, 'datasets', '2026-11-24T00:00:00.000Z', '2026-11-24T00:00:00.000Z'),
  ('01a20f30-0000-7000-8000-000000000002', 'You Only Look Once: Unified, Real-Time Object Detection', 'Joseph Redmon, Santosh Divvala, Ross Girshick, Ali Farhadi', 2016, 'CVPR 2016', 'https://arxiv.org/abs/1506.02640', '10.1109/CVPR.2016.91', 'detection', '2026-11-24T00:00:00.000Z', '2026-11-24T00:00:00.000Z'),
  ('01a20f30-0000-7000-8000-000000000003', 'Faster R-CNN: Towards Real-Time Object Detection with Region Proposal Networks', 'Shaoqing Ren, Kaiming He, Ross Girshick, Jian Sun', 2015, 'NeurIPS 2015', 'https://arxiv.org/abs/1506.01497', NULL, 'detection', '2026-11-24T00:00:00.000Z', '2026-11-24T00:00:00.000Z'),
  ('01a20f30-0000-7000-8000-000000000004', 'Microsoft COCO: Common Objects in Context', 'Tsung-Yi Lin, Michael Maire, Serge Belongie, et al.', 2014, 'ECCV 2014', 'https://arxiv.org/abs/1405.0312', '10.1007/978-3-319-10602-1_48', 'datasets', '2026-11-24T00:00:00.000Z', '2026-11-24T00:00:00.000Z'),
  ('01a20f30-0000-7000-8000-000000000005', 'Deep learning-based waste detection in natural and urban environments', 'Sylwia Majchrowska, Agnieszka Mikołajczyk, Maria Ferlin, et al.', 2022, 'Waste Management 138, 274–284', 'https://doi.org/10.1016/j.wasman.2021.12.001', '10.1016/j.wasman.2021.12.001', 'detection', '2026-11-24T00:00:00.000Z', '2026-11-24T00:00:00.000Z'),
  ('01a20f30-0000-7000-8000-000000000006', 'What a Waste 2.0: A Global Snapshot of Solid Waste Management to 2050', 'Silpa Kaza, Lisa Yao, Perinaz Bhada-Tata, Frank Van Woerden', 2018, 'World Bank, Urban Development Series', 'https://doi.org/10.1596/978-1-4648-1329-0', '10.1596/978-1-4648-1329-0', 'management', '2026-11-24T00:00:00.000Z', '2026-11-24T00:00:00.000Z');
)SQL"},
      {8, "analytics indexes, first-response time, alerts, flood-risk inputs", R"SQL(
ALTER TABLE reports ADD COLUMN response_seconds INTEGER;
ALTER TABLE fleet ADD COLUMN position_updated_at {timestamp};
-- Partial, covering indexes: each statistic reads only the index entries it counts
-- (analytics/dashboard.cc names them; bench/analytics_load.sh measures them).
CREATE INDEX idx_reports_open ON reports(location_lat, location_lng, status, size, blocks_drain,
  created_at) WHERE deleted_at IS NULL AND status IN ('submitted', 'acknowledged', 'dispatched', 'in_progress');
CREATE INDEX idx_reports_resolved ON reports(resolved_at, resolution_seconds)
  WHERE deleted_at IS NULL AND status = 'resolved';
CREATE INDEX idx_reports_response ON reports(created_at, response_seconds)
  WHERE deleted_at IS NULL AND response_seconds IS NOT NULL;
CREATE INDEX idx_reports_filed ON reports(created_at, location_city, status, location_lat,
  location_lng) WHERE deleted_at IS NULL;

-- Reports per local day, kept by triggers in the same statement as every change:
-- kind 'filed' by the day filed and the current type and status; kind 'resolved' by the
-- day resolved, with the seconds it took. The day boundary is app_state's
-- analytics.day_modifier ('+300 minutes'), which the server sets from its configuration
-- and rebuilds this table when it changes.
CREATE TABLE report_day_counts (
  day VARCHAR(10) NOT NULL,
  kind VARCHAR(10) NOT NULL,
  waste_type VARCHAR(50) NOT NULL,
  status VARCHAR(20) NOT NULL,
  n BIGINT NOT NULL DEFAULT 0,
  seconds BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (day, kind, waste_type, status)
);

CREATE TABLE alerts (
  id {uuid} PRIMARY KEY,
  rule VARCHAR(30) NOT NULL,
  severity VARCHAR(10) NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  subject_key VARCHAR(200) NOT NULL,
  report_id {uuid} REFERENCES reports(id) ON DELETE CASCADE,
  vehicle_id {uuid} REFERENCES fleet(id) ON DELETE CASCADE,
  lat DECIMAL(10,8),
  lng DECIMAL(11,8),
  message TEXT NOT NULL,
  details TEXT NOT NULL,
  created_at {timestamp} NOT NULL,
  acknowledged_at {timestamp},
  acknowledged_by {uuid} REFERENCES users(id)
);
-- At most one unacknowledged alert per subject, even with two evaluators racing.
CREATE UNIQUE INDEX idx_alerts_open_subject ON alerts(subject_key) WHERE acknowledged_at IS NULL;
CREATE INDEX idx_alerts_subject_ack ON alerts(subject_key, acknowledged_at);
CREATE INDEX idx_alerts_created ON alerts(created_at);

CREATE TABLE flood_low_lying_areas (
  id {uuid} PRIMARY KEY,
  name VARCHAR(100) NOT NULL,
  lat DECIMAL(10,8) NOT NULL,
  lng DECIMAL(11,8) NOT NULL,
  radius_m INTEGER NOT NULL,
  created_by {uuid} REFERENCES users(id) ON DELETE SET NULL,
  created_at {timestamp} NOT NULL
);

CREATE TABLE flood_rainfall_entries (
  id {uuid} PRIMARY KEY,
  mm_next_24h DECIMAL(7,2) NOT NULL,
  entered_by {uuid} REFERENCES users(id) ON DELETE SET NULL,
  created_at {timestamp} NOT NULL,
  valid_until {timestamp} NOT NULL
);
CREATE INDEX idx_flood_rainfall_created ON flood_rainfall_entries(created_at);

-- Small named values the server keeps across restarts (the alert engine's event cursor,
-- the analytics day boundary).
CREATE TABLE app_state (
  name VARCHAR(100) PRIMARY KEY,
  value TEXT NOT NULL
);
)SQL",
       // SQLite: one trigger per operation; each subtracts what the old row counted and
       // adds what the new row counts.
       R"SQL(
CREATE TRIGGER reports_day_counts_insert AFTER INSERT ON reports BEGIN
  INSERT INTO report_day_counts (day, kind, waste_type, status, n, seconds)
    SELECT date(NEW.created_at, COALESCE((SELECT value FROM app_state
      WHERE name = 'analytics.day_modifier'), '+0 minutes')), 'filed', NEW.waste_type, NEW.status, 1, 0
    WHERE NEW.deleted_at IS NULL
    ON CONFLICT (day, kind, waste_type, status) DO UPDATE SET n = n + 1;
  INSERT INTO report_day_counts (day, kind, waste_type, status, n, seconds)
    SELECT date(NEW.resolved_at, COALESCE((SELECT value FROM app_state
      WHERE name = 'analytics.day_modifier'), '+0 minutes')), 'resolved', NEW.waste_type, 'resolved', 1,
      COALESCE(NEW.resolution_seconds, 0)
    WHERE NEW.deleted_at IS NULL AND NEW.status = 'resolved' AND NEW.resolved_at IS NOT NULL
    ON CONFLICT (day, kind, waste_type, status) DO UPDATE SET n = n + 1, seconds = seconds + excluded.seconds;
END;
CREATE TRIGGER reports_day_counts_update AFTER UPDATE OF status, waste_type, deleted_at, created_at,
    resolved_at, resolution_seconds ON reports BEGIN
  UPDATE report_day_counts SET n = n - 1
    WHERE OLD.deleted_at IS NULL AND kind = 'filed' AND waste_type = OLD.waste_type AND status = OLD.status
      AND day = date(OLD.created_at, COALESCE((SELECT value FROM app_state
        WHERE name = 'analytics.day_modifier'), '+0 minutes'));
  UPDATE report_day_counts SET n = n - 1, seconds = seconds - COALESCE(OLD.resolution_seconds, 0)
    WHERE OLD.deleted_at IS NULL AND OLD.status = 'resolved' AND OLD.resolved_at IS NOT NULL
      AND kind = 'resolved' AND waste_type = OLD.waste_type AND status = 'resolved'
      AND day = date(OLD.resolved_at, COALESCE((SELECT value FROM app_state
        WHERE name = 'analytics.day_modifier'), '+0 minutes'));
  INSERT INTO report_day_counts (day, kind, waste_type, status, n, seconds)
    SELECT date(NEW.created_at, COALESCE((SELECT value FROM app_state
      WHERE name = 'analytics.day_modifier'), '+0 minutes')), 'filed', NEW.waste_type, NEW.status, 1, 0
    WHERE NEW.deleted_at IS NULL
    ON CONFLICT (day, kind, waste_type, status) DO UPDATE SET n = n + 1;
  INSERT INTO report_day_counts (day, kind, waste_type, status, n, seconds)
    SELECT date(NEW.resolved_at, COALESCE((SELECT value FROM app_state
      WHERE name = 'analytics.day_modifier'), '+0 minutes')), 'resolved', NEW.waste_type, 'resolved', 1,
      COALESCE(NEW.resolution_seconds, 0)
    WHERE NEW.deleted_at IS NULL AND NEW.status = 'resolved' AND NEW.resolved_at IS NOT NULL
    ON CONFLICT (day, kind, waste_type, status) DO UPDATE SET n = n + 1, seconds = seconds + excluded.seconds;
END;
CREATE TRIGGER reports_day_counts_delete AFTER DELETE ON reports BEGIN
  UPDATE report_day_counts SET n = n - 1
    WHERE OLD.deleted_at IS NULL AND kind = 'filed' AND waste_type = OLD.waste_type AND status = OLD.status
      AND day = date(OLD.created_at, COALESCE((SELECT value FROM app_state
        WHERE name = 'analytics.day_modifier'), '+0 minutes'));
  UPDATE report_day_counts SET n = n - 1, seconds = seconds - COALESCE(OLD.resolution_seconds, 0)
    WHERE OLD.deleted_at IS NULL AND OLD.status = 'resolved' AND OLD.resolved_at IS NOT NULL
      AND kind = 'resolved' AND waste_type = OLD.waste_type AND status = 'resolved'
      AND day = date(OLD.resolved_at, COALESCE((SELECT value FROM app_state
        WHERE name = 'analytics.day_modifier'), '+0 minutes'));
END;
)SQL",
       // PostgreSQL: one trigger function for the three operations.
       R"SQL(
CREATE FUNCTION cleanai_local_day(t TIMESTAMPTZ) RETURNS TEXT LANGUAGE sql STABLE AS $$
  SELECT to_char((t AT TIME ZONE 'UTC') + COALESCE((SELECT value FROM app_state
    WHERE name = 'analytics.day_modifier'), '+0 minutes')::interval, 'YYYY-MM-DD')
$$;
CREATE FUNCTION cleanai_report_day_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.deleted_at IS NULL THEN
    UPDATE report_day_counts SET n = n - 1
      WHERE day = cleanai_local_day(OLD.created_at) AND kind = 'filed'
        AND waste_type = OLD.waste_type AND status = OLD.status;
    IF OLD.status = 'resolved' AND OLD.resolved_at IS NOT NULL THEN
      UPDATE report_day_counts SET n = n - 1, seconds = seconds - COALESCE(OLD.resolution_seconds, 0)
        WHERE day = cleanai_local_day(OLD.resolved_at) AND kind = 'resolved'
          AND waste_type = OLD.waste_type AND status = 'resolved';
    END IF;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.deleted_at IS NULL THEN
    INSERT INTO report_day_counts (day, kind, waste_type, status, n, seconds)
      VALUES (cleanai_local_day(NEW.created_at), 'filed', NEW.waste_type, NEW.status, 1, 0)
      ON CONFLICT (day, kind, waste_type, status) DO UPDATE SET n = report_day_counts.n + 1;
    IF NEW.status = 'resolved' AND NEW.resolved_at IS NOT NULL THEN
      INSERT INTO report_day_counts (day, kind, waste_type, status, n, seconds)
        VALUES (cleanai_local_day(NEW.resolved_at), 'resolved', NEW.waste_type, 'resolved', 1,
                COALESCE(NEW.resolution_seconds, 0))
        ON CONFLICT (day, kind, waste_type, status) DO UPDATE
          SET n = report_day_counts.n + 1, seconds = report_day_counts.seconds + EXCLUDED.seconds;
    END IF;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER reports_day_counts AFTER INSERT OR DELETE OR UPDATE OF status, waste_type,
  deleted_at, created_at, resolved_at, resolution_seconds ON reports
  FOR EACH ROW EXECUTE FUNCTION cleanai_report_day_counts();
)SQL"},
      {9, "fleet tracking: the vehicles' track, heading and speed", R"SQL(
ALTER TABLE fleet ADD COLUMN heading REAL;
ALTER TABLE fleet ADD COLUMN speed_kmh REAL;
ALTER TABLE fleet ADD COLUMN position_recorded_at {timestamp};
CREATE TABLE vehicle_positions (
  id {serial},
  vehicle_id {uuid} NOT NULL REFERENCES fleet(id) ON DELETE CASCADE,
  lat DECIMAL(10,8) NOT NULL,
  lng DECIMAL(11,8) NOT NULL,
  heading REAL,
  speed_kmh REAL,
  recorded_at {timestamp} NOT NULL,
  received_at {timestamp} NOT NULL
);
CREATE INDEX idx_vehicle_positions_vehicle ON vehicle_positions(vehicle_id, recorded_at);
)SQL"},
      {10, "notification outbox: one delivery per notification and channel", R"SQL(
CREATE TABLE notification_deliveries (
  id {uuid} PRIMARY KEY,
  notification_id {uuid} NOT NULL REFERENCES notifications(id) ON DELETE CASCADE,
  channel VARCHAR(10) NOT NULL CHECK (channel IN ('email', 'sms', 'push')),
  address VARCHAR(500) NOT NULL,
  status VARCHAR(10) NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at {timestamp} NOT NULL,
  lease_until {timestamp},
  provider_response TEXT,
  message_id VARCHAR(200) NOT NULL,
  created_at {timestamp} NOT NULL,
  updated_at {timestamp} NOT NULL,
  UNIQUE (notification_id, channel)
);
CREATE INDEX idx_deliveries_due ON notification_deliveries(status, next_attempt_at);
)SQL"},
      {11, "notification preferences: channels a user turned off, per kind", R"SQL(
CREATE TABLE notification_preferences (
  user_id {uuid} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind VARCHAR(40) NOT NULL,
  channel VARCHAR(10) NOT NULL,
  enabled {bool} NOT NULL,
  updated_at {timestamp} NOT NULL,
  PRIMARY KEY (user_id, kind, channel)
);
)SQL"},
      {12, "web push subscriptions, one delivery per device, the user's language", R"SQL(
ALTER TABLE users ADD COLUMN language VARCHAR(5) NOT NULL DEFAULT 'en';
CREATE TABLE push_subscriptions (
  id {uuid} PRIMARY KEY,
  user_id {uuid} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  endpoint VARCHAR(1024) NOT NULL UNIQUE,
  p256dh VARCHAR(100) NOT NULL,
  auth VARCHAR(40) NOT NULL,
  user_agent VARCHAR(300),
  created_at {timestamp} NOT NULL,
  last_used_at {timestamp}
);
CREATE INDEX idx_push_subscriptions_user ON push_subscriptions(user_id);
CREATE TABLE notification_deliveries_v12 (
  id {uuid} PRIMARY KEY,
  notification_id {uuid} NOT NULL REFERENCES notifications(id) ON DELETE CASCADE,
  channel VARCHAR(10) NOT NULL CHECK (channel IN ('email', 'sms', 'push')),
  address VARCHAR(500) NOT NULL,
  status VARCHAR(10) NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at {timestamp} NOT NULL,
  lease_until {timestamp},
  provider_response TEXT,
  message_id VARCHAR(200) NOT NULL,
  created_at {timestamp} NOT NULL,
  updated_at {timestamp} NOT NULL,
  UNIQUE (notification_id, channel, address)
);
INSERT INTO notification_deliveries_v12 (id, notification_id, channel, address, status, attempts,
  next_attempt_at, lease_until, provider_response, message_id, created_at, updated_at)
  SELECT id, notification_id, channel, address, status, attempts, next_attempt_at, lease_until,
  provider_response, message_id, created_at, updated_at FROM notification_deliveries;
DROP TABLE notification_deliveries;
ALTER TABLE notification_deliveries_v12 RENAME TO notification_deliveries;
CREATE INDEX idx_deliveries_due ON notification_deliveries(status, next_attempt_at);
CREATE INDEX idx_notifications_kind ON notifications(kind, id);
)SQL"},
      {13, "AI analysis: jobs, results per photo, admins' labels", R"SQL(
CREATE TABLE ai_jobs (
  id {uuid} PRIMARY KEY,
  report_id {uuid} NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  photo VARCHAR(10) NOT NULL CHECK (photo IN ('report', 'after')),
  image_key VARCHAR(64) NOT NULL,
  status VARCHAR(10) NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  lease_until {timestamp},
  error TEXT,
  created_at {timestamp} NOT NULL,
  updated_at {timestamp} NOT NULL
);
CREATE INDEX idx_ai_jobs_due ON ai_jobs(status, created_at);
CREATE TABLE ai_results (
  id {uuid} PRIMARY KEY,
  report_id {uuid} NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  photo VARCHAR(10) NOT NULL,
  image_key VARCHAR(64) NOT NULL,
  model VARCHAR(200) NOT NULL,
  detections {json} NOT NULL,
  detected_type VARCHAR(50),
  confidence REAL,
  citizen_type VARCHAR(50) NOT NULL,
  coverage REAL NOT NULL,
  latency_ms REAL NOT NULL,
  created_at {timestamp} NOT NULL,
  UNIQUE (report_id, photo)
);
CREATE INDEX idx_ai_results_created ON ai_results(created_at);
CREATE TABLE ai_labels (
  report_id {uuid} PRIMARY KEY REFERENCES reports(id) ON DELETE CASCADE,
  waste_type VARCHAR(50) NOT NULL,
  boxes {json} NOT NULL,
  ai_type VARCHAR(50),
  labeled_by {uuid} NOT NULL REFERENCES users(id),
  labeled_at {timestamp} NOT NULL
);
)SQL"},
  };
  return kMigrations;
}

std::string RenderSql(const std::string& sql, Backend backend) {
  const bool pg = backend == Backend::kPostgres;
  const std::pair<const char*, const char*> tokens[] = {
      {"{uuid}", pg ? "UUID" : "TEXT"},
      {"{timestamp}", pg ? "TIMESTAMPTZ" : "TEXT"},
      {"{bool}", pg ? "BOOLEAN" : "INTEGER"},
      {"{json}", pg ? "JSONB" : "TEXT"},
      {"{inet}", pg ? "INET" : "TEXT"},
      {"{true}", pg ? "true" : "1"},
      {"{false}", pg ? "false" : "0"},
      // An id that grows with every insert, for resumable streams.
      {"{serial}", pg ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT"},
  };
  std::string out = sql;
  for (const auto& [token, replacement] : tokens) {
    for (size_t pos = out.find(token); pos != std::string::npos;
         pos = out.find(token, pos + std::strlen(replacement))) {
      out.replace(pos, std::strlen(token), replacement);
    }
  }
  return out;
}

Result<int> Migrate(Database& db, const Clock& clock) {
  auto created = db.Execute(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
      "name TEXT NOT NULL, applied_at TEXT NOT NULL)");
  if (!created) return Err(created.error());

  int applied = 0;
  for (const Migration& m : AllMigrations()) {
    auto done = db.InTransaction<bool>([&](Connection& c) -> Result<bool> {
      if (c.backend() == Backend::kPostgres) {
        // Serialises migrators across processes; released at commit.
        auto lock = c.Execute("SELECT pg_advisory_xact_lock(7141000) AS locked", {});
        if (!lock) return Err(lock.error());
      }
      auto seen = c.Execute("SELECT version FROM schema_migrations WHERE version = $1",
                            {int64_t{m.version}});
      if (!seen) return Err(seen.error());
      if (!seen->rows.empty()) return false;
      CLEANAI_RETURN_IF_ERROR(c.ExecuteScript(RenderSql(m.sql, c.backend())));
      const std::string& extra =
          c.backend() == Backend::kSqlite ? m.sqlite_sql : m.postgres_sql;
      if (!extra.empty()) CLEANAI_RETURN_IF_ERROR(c.ExecuteScript(RenderSql(extra, c.backend())));
      auto rec = c.Execute(
          "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
          {int64_t{m.version}, m.name, FormatTime(clock.Now())});
      if (!rec) return Err(rec.error());
      return true;
    });
    if (!done) {
      return Err(Status::Internal("migration " + std::to_string(m.version) + " (" + m.name +
                                  ") failed: " + done.error().message()));
    }
    if (*done) {
      ++applied;
      LogInfo("migration applied", {{"version", m.version}, {"name", m.name}});
    }
  }
  return applied;
}

}  // namespace cleanai
