-- leadership leases: the one instance that runs the periodic work
CREATE TABLE leader_leases (
  name VARCHAR(64) PRIMARY KEY,
  holder VARCHAR(128) NOT NULL,
  expires_at {timestamp} NOT NULL
);
