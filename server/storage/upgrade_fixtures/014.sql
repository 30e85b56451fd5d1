INSERT INTO leader_leases (name, holder, expires_at) VALUES ('periodic', 'old-host:123', '2026-06-01T10:00:10.000Z');
