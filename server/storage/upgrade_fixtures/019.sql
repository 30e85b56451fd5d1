-- 019 adds no table: a change that fires its triggers on PostgreSQL must still apply.
UPDATE users SET language = language WHERE id = '00000000-0000-7000-8000-0000000000a1';
