-- The AI's model registry: trained models (ai/train.py) registered as candidates, one live
-- at a time, earlier ones kept for a roll-back; and what a candidate made of new photos
-- while it ran in shadow (never shown to anyone but admins comparing it).
CREATE TABLE ai_models (
  id {uuid} PRIMARY KEY,
  version INTEGER NOT NULL UNIQUE,
  name VARCHAR(200) NOT NULL,
  sha256 VARCHAR(64) NOT NULL,          -- of the ONNX file, which is stored under this key
  input_size INTEGER NOT NULL,
  names TEXT NOT NULL,                  -- the .names file
  mapping TEXT NOT NULL,                -- the .mapping file
  card {json} NOT NULL,                 -- the model card (ai/train.py's .card.json)
  status VARCHAR(10) NOT NULL CHECK (status IN ('candidate', 'live', 'retired')),
  created_by {uuid} REFERENCES users(id) ON DELETE SET NULL,
  created_at {timestamp} NOT NULL,
  promoted_by {uuid} REFERENCES users(id) ON DELETE SET NULL,
  promoted_at {timestamp}
);
CREATE INDEX idx_ai_models_status ON ai_models(status, version);
CREATE TABLE ai_shadow_results (
  model_id {uuid} NOT NULL REFERENCES ai_models(id) ON DELETE CASCADE,
  report_id {uuid} NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  photo VARCHAR(10) NOT NULL,
  detections {json} NOT NULL,
  detected_type VARCHAR(50),
  confidence REAL,
  created_at {timestamp} NOT NULL,
  PRIMARY KEY (model_id, report_id, photo)
);
