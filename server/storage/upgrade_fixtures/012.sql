UPDATE users SET language = 'ur' WHERE id = '00000000-0000-7000-8000-0000000000a1';
INSERT INTO push_subscriptions (id, user_id, endpoint, p256dh, auth, user_agent, created_at, last_used_at)
  VALUES ('00000000-0000-7000-8000-0000000000d8', '00000000-0000-7000-8000-0000000000a1', 'https://fcm.googleapis.com/fcm/send/upgrade', 'BExamplePublicKey', 'authsecret', 'upgrade-test', '2026-06-01T10:00:00.000Z', NULL);
