UPDATE reports SET thumbnail_key = 'dddd0000000000000000000000000000000000000000000000000000000000dd', verification_image_key = 'bbbb0000000000000000000000000000000000000000000000000000000000bb', blocks_drain = {true}, size = 'large', location_source = 'gps', captured_at = '2026-06-01T10:00:00.000Z', confirmations = 1 WHERE id = '00000000-0000-7000-8000-0000000000b1';
INSERT INTO idempotency_keys (user_id, idempotency_key, request_hash, report_id, created_at)
  VALUES ('00000000-0000-7000-8000-0000000000a1', 'upgrade-key-1', '2222222222222222222222222222222222222222222222222222222222222222', '00000000-0000-7000-8000-0000000000b1', '2026-06-01T10:00:00.000Z');
INSERT INTO notifications (id, user_id, report_id, kind, title, body, created_at, read_at)
  VALUES ('00000000-0000-7000-8000-0000000000d1', '00000000-0000-7000-8000-0000000000a1', '00000000-0000-7000-8000-0000000000b1', 'status_changed', 'Your report was resolved', 'Thank you', '2026-06-01T10:00:00.000Z', NULL);
INSERT INTO report_subscriptions (report_id, user_id, created_at) VALUES ('00000000-0000-7000-8000-0000000000b1', '00000000-0000-7000-8000-0000000000a1', '2026-06-01T10:00:00.000Z');
