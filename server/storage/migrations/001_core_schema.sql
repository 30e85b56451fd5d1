-- core schema: users, fleet, reports, event_logs (the seed's tables)
CREATE TABLE users (
  id {uuid} PRIMARY KEY,
  username VARCHAR(50) NOT NULL,
  email VARCHAR(255) NOT NULL,
  password_hash VARCHAR(255) NOT NULL,
  role VARCHAR(20) NOT NULL DEFAULT 'citizen' CHECK (role IN ('citizen', 'driver', 'admin')),
  phone VARCHAR(20),
  created_at {timestamp} NOT NULL,
  updated_at {timestamp} NOT NULL,
  last_login {timestamp},
  is_active {bool} NOT NULL DEFAULT {true},
  reports_submitted INTEGER NOT NULL DEFAULT 0,
  reports_resolved INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX idx_users_username ON users (lower(username));
CREATE UNIQUE INDEX idx_users_email ON users (lower(email));

CREATE TABLE fleet (
  id {uuid} PRIMARY KEY,
  vehicle_number VARCHAR(20) UNIQUE NOT NULL,
  driver_id {uuid} REFERENCES users(id),
  driver_name VARCHAR(100),
  current_lat DECIMAL(10,8),
  current_lng DECIMAL(11,8),
  status VARCHAR(20) NOT NULL DEFAULT 'idle',
  capacity INTEGER NOT NULL DEFAULT 100,
  current_load INTEGER NOT NULL DEFAULT 0,
  last_updated {timestamp},
  created_at {timestamp} NOT NULL
);
CREATE INDEX idx_fleet_status ON fleet(status);
CREATE INDEX idx_fleet_driver ON fleet(driver_id);

CREATE TABLE reports (
  id {uuid} PRIMARY KEY,
  user_id {uuid} REFERENCES users(id) ON DELETE SET NULL,
  image_url VARCHAR(500) NOT NULL,
  image_key VARCHAR(255) NOT NULL,
  waste_type VARCHAR(50) NOT NULL,
  ai_detected_type VARCHAR(50),
  ai_confidence DECIMAL(5,2),
  location_lat DECIMAL(10,8) NOT NULL,
  location_lng DECIMAL(11,8) NOT NULL,
  location_address TEXT NOT NULL,
  location_city VARCHAR(100),
  location_country VARCHAR(100) DEFAULT 'Pakistan',
  description TEXT,
  status VARCHAR(20) NOT NULL DEFAULT 'submitted',
  priority VARCHAR(10) NOT NULL DEFAULT 'medium',
  dispatched_to {uuid} REFERENCES fleet(id),
  dispatched_at {timestamp},
  resolved_at {timestamp},
  resolved_by {uuid} REFERENCES users(id),
  verification_image_url VARCHAR(500),
  created_at {timestamp} NOT NULL,
  updated_at {timestamp} NOT NULL
);
CREATE INDEX idx_reports_user_id ON reports(user_id);
CREATE INDEX idx_reports_status ON reports(status);
CREATE INDEX idx_reports_created_at ON reports(created_at DESC);
CREATE INDEX idx_reports_location ON reports(location_lat, location_lng);

CREATE TABLE event_logs (
  id {uuid} PRIMARY KEY,
  report_id {uuid} REFERENCES reports(id) ON DELETE CASCADE,
  user_id {uuid} REFERENCES users(id),
  event_type VARCHAR(50) NOT NULL,
  old_status VARCHAR(20),
  new_status VARCHAR(20),
  details {json},
  ip_address {inet},
  user_agent TEXT,
  created_at {timestamp} NOT NULL
);
CREATE INDEX idx_event_logs_report_id ON event_logs(report_id);
CREATE INDEX idx_event_logs_event_type ON event_logs(event_type);
CREATE INDEX idx_event_logs_created_at ON event_logs(created_at DESC);
