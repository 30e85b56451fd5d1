-- AI analysis: jobs, results per photo, admins' labels
CREATE TABLE ai_jobs (
  id {uuid} PRIMARY KEY,
  report_id {uuid} NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  photo VARCHAR(10) NOT NULL CHECK (photo IN ('report', 'after')),
  image_key VARCHAR(64) NOT NULL,
  status VARCHAR(10) NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  lease_until {timestamp},
  error TEXT,
  created_at {timestamp} NOT NULL,
  updated_at {timestamp} NOT NULL
);
CREATE INDEX idx_ai_jobs_due ON ai_jobs(status, created_at);
CREATE TABLE ai_results (
  id {uuid} PRIMARY KEY,
  report_id {uuid} NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  photo VARCHAR(10) NOT NULL,
  image_key VARCHAR(64) NOT NULL,
  model VARCHAR(200) NOT NULL,
  detections {json} NOT NULL,
  detected_type VARCHAR(50),
  confidence REAL,
  citizen_type VARCHAR(50) NOT NULL,
  coverage REAL NOT NULL,
  latency_ms REAL NOT NULL,
  created_at {timestamp} NOT NULL,
  UNIQUE (report_id, photo)
);
CREATE INDEX idx_ai_results_created ON ai_results(created_at);
CREATE TABLE ai_labels (
  report_id {uuid} PRIMARY KEY REFERENCES reports(id) ON DELETE CASCADE,
  waste_type VARCHAR(50) NOT NULL,
  boxes {json} NOT NULL,
  ai_type VARCHAR(50),
  labeled_by {uuid} NOT NULL REFERENCES users(id),
  labeled_at {timestamp} NOT NULL
);
