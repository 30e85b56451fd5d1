-- Every statement that changes reports or users tells: the changing session by a NOTICE
-- (its instance forgets the answers it kept, at commit: storage/database.h), every other
-- instance by NOTIFY on cleanai_report_changes, delivered at commit (http/response_cache.h).
CREATE OR REPLACE FUNCTION cleanai_reports_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('cleanai_report_changes', '');
  RAISE NOTICE 'cleanai:reports_changed';
  RETURN NULL;
END
$$;
CREATE TRIGGER reports_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON reports
  FOR EACH STATEMENT EXECUTE FUNCTION cleanai_reports_changed();
CREATE TRIGGER users_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON users
  FOR EACH STATEMENT EXECUTE FUNCTION cleanai_reports_changed();
