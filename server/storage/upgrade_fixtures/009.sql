UPDATE fleet SET heading = 90.0, speed_kmh = 18.5, position_recorded_at = '2026-06-01T10:00:00.000Z' WHERE id = '00000000-0000-7000-8000-0000000000f1';
INSERT INTO vehicle_positions (vehicle_id, lat, lng, heading, speed_kmh, recorded_at, received_at)
  VALUES ('00000000-0000-7000-8000-0000000000f1', 24.86000000, 67.01000000, 90.0, 18.5, '2026-06-01T10:00:00.000Z', '2026-06-01T10:00:00.000Z');
