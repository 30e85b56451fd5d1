-- OpenID Connect identities: who signs in through which provider
CREATE TABLE oidc_identities (
  id {uuid} PRIMARY KEY,
  user_id {uuid} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  provider_id VARCHAR(32) NOT NULL,
  issuer VARCHAR(500) NOT NULL,
  subject VARCHAR(255) NOT NULL,
  email VARCHAR(255),
  created_at {timestamp} NOT NULL,
  last_used_at {timestamp},
  UNIQUE (issuer, subject)
);
CREATE INDEX idx_oidc_identities_user ON oidc_identities(user_id);
