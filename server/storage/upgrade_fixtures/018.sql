UPDATE reports SET photo_hidden = {true} WHERE id = '00000000-0000-7000-8000-0000000000b1';
INSERT INTO hidden_media (media_key, report_id)
  VALUES ('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', '00000000-0000-7000-8000-0000000000b1');
INSERT INTO area_subscriptions (id, user_id, label, kind, min_lat, min_lng, max_lat, max_lng, center_lat, center_lng, radius_m, city, waste_types, unsubscribe_token, created_at)
  VALUES ('00000000-0000-7000-8000-0000000000dc', '00000000-0000-7000-8000-0000000000a1', 'Home', 'radius', 24.85, 67.0, 24.87, 67.02, 24.86, 67.01, 1000, NULL, 'plastic', 'token-upgrade-1', '2026-06-01T10:00:00.000Z');
INSERT INTO demo_rows (table_name, row_id) VALUES ('reports', '00000000-0000-7000-8000-0000000000b1');
