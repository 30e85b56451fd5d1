-- fleet tracking: the vehicles' track, heading and speed
ALTER TABLE fleet ADD COLUMN heading REAL;
ALTER TABLE fleet ADD COLUMN speed_kmh REAL;
ALTER TABLE fleet ADD COLUMN position_recorded_at {timestamp};
CREATE TABLE vehicle_positions (
  id {serial},
  vehicle_id {uuid} NOT NULL REFERENCES fleet(id) ON DELETE CASCADE,
  lat DECIMAL(10,8) NOT NULL,
  lng DECIMAL(11,8) NOT NULL,
  heading REAL,
  speed_kmh REAL,
  recorded_at {timestamp} NOT NULL,
  received_at {timestamp} NOT NULL
);
CREATE INDEX idx_vehicle_positions_vehicle ON vehicle_positions(vehicle_id, recorded_at);
