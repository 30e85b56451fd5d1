INSERT INTO refresh_tokens (id, user_id, family_id, token_hash, created_at, expires_at, rotated_at, revoked_at, ip_address, user_agent)
  VALUES ('00000000-0000-7000-8000-0000000000c1', '00000000-0000-7000-8000-0000000000a1', '00000000-0000-7000-8000-0000000000c2', '1111111111111111111111111111111111111111111111111111111111111111', '2026-06-01T10:00:00.000Z', '2027-06-01T10:00:00.000Z', NULL, NULL, '127.0.0.1', 'upgrade-test');
INSERT INTO login_failures (id, account_key, ip_address, created_at)
  VALUES ('00000000-0000-7000-8000-0000000000c3', 'upg_citizen', '127.0.0.1', '2026-06-01T10:00:00.000Z');
