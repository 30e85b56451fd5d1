-- open311: api keys of the civic apps and city systems that file requests
CREATE TABLE open311_keys (
  id {uuid} PRIMARY KEY,
  name VARCHAR(100) NOT NULL,
  key_hash CHAR(64) NOT NULL UNIQUE,
  user_id {uuid} NOT NULL REFERENCES users(id),
  created_at {timestamp} NOT NULL,
  revoked_at {timestamp}
);
