-- The public side: photos an admin keeps off the public map, area alerts, demo rows
ALTER TABLE reports ADD COLUMN photo_hidden {bool} NOT NULL DEFAULT {false};

-- Every stored photo of a report whose photos are hidden (report, thumbnail, after photo):
-- /media/<key>.jpg answers these only to the reporter and admins.
CREATE TABLE hidden_media (
  media_key VARCHAR(64) NOT NULL,
  report_id {uuid} NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  PRIMARY KEY (media_key, report_id)
);

-- What the public map draws: open and fixed reports, by place, type and age.
CREATE INDEX idx_reports_public ON reports(location_lat, location_lng, status, waste_type,
  created_at) WHERE deleted_at IS NULL AND status IN ('submitted', 'acknowledged', 'dispatched',
  'in_progress', 'resolved');

-- "Tell me of new reports here": a box, a circle (its box is kept for the index) or a
-- city by name, and the waste types (empty: all).
CREATE TABLE area_subscriptions (
  id {uuid} PRIMARY KEY,
  user_id {uuid} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  label VARCHAR(100) NOT NULL,
  kind VARCHAR(10) NOT NULL,
  min_lat DOUBLE PRECISION NOT NULL,
  min_lng DOUBLE PRECISION NOT NULL,
  max_lat DOUBLE PRECISION NOT NULL,
  max_lng DOUBLE PRECISION NOT NULL,
  center_lat DOUBLE PRECISION,
  center_lng DOUBLE PRECISION,
  radius_m DOUBLE PRECISION,
  city VARCHAR(100),
  waste_types VARCHAR(500) NOT NULL,
  unsubscribe_token VARCHAR(64) NOT NULL UNIQUE,
  created_at {timestamp} NOT NULL
);
CREATE INDEX idx_area_subscriptions_user ON area_subscriptions(user_id);
CREATE INDEX idx_area_subscriptions_box ON area_subscriptions(min_lat, max_lat);
CREATE INDEX idx_area_subscriptions_city ON area_subscriptions(city);

-- Rows `cleanai demo` made, so that `cleanai demo --reset` removes exactly those.
CREATE TABLE demo_rows (
  table_name VARCHAR(40) NOT NULL,
  row_id VARCHAR(64) NOT NULL,
  PRIMARY KEY (table_name, row_id)
);
