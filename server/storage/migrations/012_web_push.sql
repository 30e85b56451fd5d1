-- web push subscriptions, one delivery per device, the user's language
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
