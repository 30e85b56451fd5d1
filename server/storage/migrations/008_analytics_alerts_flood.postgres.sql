-- PostgreSQL: one trigger function for the three operations.
CREATE FUNCTION cleanai_local_day(t TIMESTAMPTZ) RETURNS TEXT LANGUAGE sql STABLE AS $$
  SELECT to_char((t AT TIME ZONE 'UTC') + COALESCE((SELECT value FROM app_state
    WHERE name = 'analytics.day_modifier'), '+0 minutes')::interval, 'YYYY-MM-DD')
$$;
CREATE FUNCTION cleanai_report_day_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.deleted_at IS NULL THEN
    UPDATE report_day_counts SET n = n - 1
      WHERE day = cleanai_local_day(OLD.created_at) AND kind = 'filed'
        AND waste_type = OLD.waste_type AND status = OLD.status;
    IF OLD.status = 'resolved' AND OLD.resolved_at IS NOT NULL THEN
      UPDATE report_day_counts SET n = n - 1, seconds = seconds - COALESCE(OLD.resolution_seconds, 0)
        WHERE day = cleanai_local_day(OLD.resolved_at) AND kind = 'resolved'
          AND waste_type = OLD.waste_type AND status = 'resolved';
    END IF;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.deleted_at IS NULL THEN
    INSERT INTO report_day_counts (day, kind, waste_type, status, n, seconds)
      VALUES (cleanai_local_day(NEW.created_at), 'filed', NEW.waste_type, NEW.status, 1, 0)
      ON CONFLICT (day, kind, waste_type, status) DO UPDATE SET n = report_day_counts.n + 1;
    IF NEW.status = 'resolved' AND NEW.resolved_at IS NOT NULL THEN
      INSERT INTO report_day_counts (day, kind, waste_type, status, n, seconds)
        VALUES (cleanai_local_day(NEW.resolved_at), 'resolved', NEW.waste_type, 'resolved', 1,
                COALESCE(NEW.resolution_seconds, 0))
        ON CONFLICT (day, kind, waste_type, status) DO UPDATE
          SET n = report_day_counts.n + 1, seconds = report_day_counts.seconds + EXCLUDED.seconds;
    END IF;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER reports_day_counts AFTER INSERT OR DELETE OR UPDATE OF status, waste_type,
  deleted_at, created_at, resolved_at, resolution_seconds ON reports
  FOR EACH ROW EXECUTE FUNCTION cleanai_report_day_counts();
