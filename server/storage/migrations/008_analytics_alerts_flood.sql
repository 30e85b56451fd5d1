-- analytics indexes, first-response time, alerts, flood-risk inputs
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
