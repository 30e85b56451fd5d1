INSERT INTO papers (id, title, authors, year, venue, url, doi, topic, created_at, updated_at)
  VALUES ('00000000-0000-7000-8000-0000000000d3', 'An upgrade test paper', 'A. Tester', 2026, 'Upgrade Journal', 'https://example.org/paper', NULL, 'management', '2026-06-01T10:00:00.000Z', '2026-06-01T10:00:00.000Z');
