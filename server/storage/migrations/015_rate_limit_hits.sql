-- rate limits shared by all instances: one row per allowed action, kept for its window
CREATE TABLE rate_limit_hits (
  bucket VARCHAR(32) NOT NULL,
  subject VARCHAR(64) NOT NULL,
  hit_at {timestamp} NOT NULL
);
CREATE INDEX idx_rate_limit_hits ON rate_limit_hits(bucket, subject, hit_at);
