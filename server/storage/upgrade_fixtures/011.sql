INSERT INTO notification_preferences (user_id, kind, channel, enabled, updated_at) VALUES ('00000000-0000-7000-8000-0000000000a1', 'status_changed', 'sms', {false}, '2026-06-01T10:00:00.000Z');
