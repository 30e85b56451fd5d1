-- notification preferences: channels a user turned off, per kind
CREATE TABLE notification_preferences (
  user_id {uuid} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind VARCHAR(40) NOT NULL,
  channel VARCHAR(10) NOT NULL,
  enabled {bool} NOT NULL,
  updated_at {timestamp} NOT NULL,
  PRIMARY KEY (user_id, kind, channel)
);
