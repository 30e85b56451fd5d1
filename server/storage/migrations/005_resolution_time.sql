-- reports: seconds from filing to resolution, for impact figures
ALTER TABLE reports ADD COLUMN resolution_seconds INTEGER;
