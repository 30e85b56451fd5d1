-- live events for SSE and 'still there' confirmations
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
