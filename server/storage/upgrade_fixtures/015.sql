INSERT INTO rate_limit_hits (bucket, subject, hit_at) VALUES ('broadcast', '00000000-0000-7000-8000-0000000000a2', '2026-06-01T10:00:00.000Z');
