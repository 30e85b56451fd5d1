-- auth: refresh token families and login attempts
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
