-- reports: photos, size, drain flag, soft delete, idempotency, notifications, spatial index
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
