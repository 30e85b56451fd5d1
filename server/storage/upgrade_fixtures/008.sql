UPDATE reports SET response_seconds = 1200 WHERE id = '00000000-0000-7000-8000-0000000000b1';
UPDATE fleet SET position_updated_at = '2026-06-01T10:00:00.000Z' WHERE id = '00000000-0000-7000-8000-0000000000f1';
INSERT INTO report_day_counts (day, kind, waste_type, status, n, seconds) VALUES ('2026-06-01', 'filed', 'plastic', 'resolved', 1, 5400);
INSERT INTO alerts (id, rule, severity, subject_key, report_id, vehicle_id, lat, lng, message, details, created_at, acknowledged_at, acknowledged_by)
  VALUES ('00000000-0000-7000-8000-0000000000d4', 'dispatch_overdue', 'warning', 'report:00000000-0000-7000-8000-0000000000b2', '00000000-0000-7000-8000-0000000000b2', NULL, 31.52000000, 74.35000000, 'Not dispatched in time', '{}', '2026-06-01T10:00:00.000Z', NULL, NULL);
INSERT INTO flood_low_lying_areas (id, name, lat, lng, radius_m, created_by, created_at)
  VALUES ('00000000-0000-7000-8000-0000000000d5', 'Korangi underpass', 24.83000000, 67.12000000, 400, '00000000-0000-7000-8000-0000000000a2', '2026-06-01T10:00:00.000Z');
INSERT INTO flood_rainfall_entries (id, mm_next_24h, entered_by, created_at, valid_until)
  VALUES ('00000000-0000-7000-8000-0000000000d6', 42.50, '00000000-0000-7000-8000-0000000000a2', '2026-06-01T10:00:00.000Z', '2026-06-02T10:00:00.000Z');
INSERT INTO app_state (name, value) VALUES ('upgrade.marker', 'kept');
