-- 020: the model registry, with a live model, a candidate and what it made of a photo.
INSERT INTO ai_models (id, version, name, sha256, input_size, names, mapping, card, status, created_by, created_at, promoted_by, promoted_at)
  VALUES ('00000000-0000-7000-8000-0000000000e1', 1, 'city-2026-06', 'bbbb0000000000000000000000000000000000000000000000000000000000bb', 640, 'plastic
glass
', 'plastic = plastic
glass = glass
', '{"name": "city-2026-06"}', 'live', '00000000-0000-7000-8000-0000000000a2', '2026-06-01T10:00:00.000Z', '00000000-0000-7000-8000-0000000000a2', '2026-06-02T10:00:00.000Z');
INSERT INTO ai_models (id, version, name, sha256, input_size, names, mapping, card, status, created_by, created_at)
  VALUES ('00000000-0000-7000-8000-0000000000e2', 2, 'city-2026-07', 'cccc0000000000000000000000000000000000000000000000000000000000cc', 320, 'plastic
glass
', 'plastic = plastic
', '{"name": "city-2026-07"}', 'candidate', '00000000-0000-7000-8000-0000000000a2', '2026-07-01T10:00:00.000Z');
INSERT INTO ai_shadow_results (model_id, report_id, photo, detections, detected_type, confidence, created_at)
  VALUES ('00000000-0000-7000-8000-0000000000e2', '00000000-0000-7000-8000-0000000000b1', 'report', '[]', 'plastic', 0.8, '2026-07-02T10:00:00.000Z');
