-- notification outbox: one delivery per notification and channel
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
