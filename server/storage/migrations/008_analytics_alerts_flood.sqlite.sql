-- SQLite: one trigger per operation; each subtracts what the old row counted and
-- adds what the new row counts.
CREATE TRIGGER reports_day_counts_insert AFTER INSERT ON reports BEGIN
  INSERT INTO report_day_counts (day, kind, waste_type, status, n, seconds)
    SELECT date(NEW.created_at, COALESCE((SELECT value FROM app_state
      WHERE name = 'analytics.day_modifier'), '+0 minutes')), 'filed', NEW.waste_type, NEW.status, 1, 0
    WHERE NEW.deleted_at IS NULL
    ON CONFLICT (day, kind, waste_type, status) DO UPDATE SET n = n + 1;
  INSERT INTO report_day_counts (day, kind, waste_type, status, n, seconds)
    SELECT date(NEW.resolved_at, COALESCE((SELECT value FROM app_state
      WHERE name = 'analytics.day_modifier'), '+0 minutes')), 'resolved', NEW.waste_type, 'resolved', 1,
      COALESCE(NEW.resolution_seconds, 0)
    WHERE NEW.deleted_at IS NULL AND NEW.status = 'resolved' AND NEW.resolved_at IS NOT NULL
    ON CONFLICT (day, kind, waste_type, status) DO UPDATE SET n = n + 1, seconds = seconds + excluded.seconds;
END;
CREATE TRIGGER reports_day_counts_update AFTER UPDATE OF status, waste_type, deleted_at, created_at,
    resolved_at, resolution_seconds ON reports BEGIN
  UPDATE report_day_counts SET n = n - 1
    WHERE OLD.deleted_at IS NULL AND kind = 'filed' AND waste_type = OLD.waste_type AND status = OLD.status
      AND day = date(OLD.created_at, COALESCE((SELECT value FROM app_state
        WHERE name = 'analytics.day_modifier'), '+0 minutes'));
  UPDATE report_day_counts SET n = n - 1, seconds = seconds - COALESCE(OLD.resolution_seconds, 0)
    WHERE OLD.deleted_at IS NULL AND OLD.status = 'resolved' AND OLD.resolved_at IS NOT NULL
      AND kind = 'resolved' AND waste_type = OLD.waste_type AND status = 'resolved'
      AND day = date(OLD.resolved_at, COALESCE((SELECT value FROM app_state
        WHERE name = 'analytics.day_modifier'), '+0 minutes'));
  INSERT INTO report_day_counts (day, kind, waste_type, status, n, seconds)
    SELECT date(NEW.created_at, COALESCE((SELECT value FROM app_state
      WHERE name = 'analytics.day_modifier'), '+0 minutes')), 'filed', NEW.waste_type, NEW.status, 1, 0
    WHERE NEW.deleted_at IS NULL
    ON CONFLICT (day, kind, waste_type, status) DO UPDATE SET n = n + 1;
  INSERT INTO report_day_counts (day, kind, waste_type, status, n, seconds)
    SELECT date(NEW.resolved_at, COALESCE((SELECT value FROM app_state
      WHERE name = 'analytics.day_modifier'), '+0 minutes')), 'resolved', NEW.waste_type, 'resolved', 1,
      COALESCE(NEW.resolution_seconds, 0)
    WHERE NEW.deleted_at IS NULL AND NEW.status = 'resolved' AND NEW.resolved_at IS NOT NULL
    ON CONFLICT (day, kind, waste_type, status) DO UPDATE SET n = n + 1, seconds = seconds + excluded.seconds;
END;
CREATE TRIGGER reports_day_counts_delete AFTER DELETE ON reports BEGIN
  UPDATE report_day_counts SET n = n - 1
    WHERE OLD.deleted_at IS NULL AND kind = 'filed' AND waste_type = OLD.waste_type AND status = OLD.status
      AND day = date(OLD.created_at, COALESCE((SELECT value FROM app_state
        WHERE name = 'analytics.day_modifier'), '+0 minutes'));
  UPDATE report_day_counts SET n = n - 1, seconds = seconds - COALESCE(OLD.resolution_seconds, 0)
    WHERE OLD.deleted_at IS NULL AND OLD.status = 'resolved' AND OLD.resolved_at IS NOT NULL
      AND kind = 'resolved' AND waste_type = OLD.waste_type AND status = 'resolved'
      AND day = date(OLD.resolved_at, COALESCE((SELECT value FROM app_state
        WHERE name = 'analytics.day_modifier'), '+0 minutes'));
END;
