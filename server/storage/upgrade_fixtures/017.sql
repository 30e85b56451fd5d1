INSERT INTO oidc_identities (id, user_id, provider_id, issuer, subject, email, created_at, last_used_at)
  VALUES ('00000000-0000-7000-8000-0000000000db', '00000000-0000-7000-8000-0000000000a1', 'city', 'https://id.city.example', 'subject-1', 'citizen@upgrade.test', '2026-06-01T10:00:00.000Z', NULL);
