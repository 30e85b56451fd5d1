INSERT INTO live_events (recipient_user_id, report_id, event_type, payload, created_at)
  VALUES ('00000000-0000-7000-8000-0000000000a1', '00000000-0000-7000-8000-0000000000b1', 'report.updated', '{"id": "00000000-0000-7000-8000-0000000000b1"}', '2026-06-01T10:00:00.000Z');
INSERT INTO report_confirmations (report_id, user_id, kind, created_at, updated_at)
  VALUES ('00000000-0000-7000-8000-0000000000b1', '00000000-0000-7000-8000-0000000000a1', 'still_there', '2026-06-01T10:00:00.000Z', '2026-06-01T10:00:00.000Z');
