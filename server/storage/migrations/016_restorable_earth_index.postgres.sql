-- earthdistance's ll_to_earth names the type earth without its schema, and pg_restore
-- builds indexes with an empty search_path, so an index on ll_to_earth cannot be
-- restored ("type earth does not exist"). The same index on a wrapper that carries its
-- own search_path restores everywhere; queries name the wrapper to use it.
CREATE FUNCTION cleanai_ll_to_earth(lat float8, lng float8) RETURNS earth
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  SET search_path FROM CURRENT
  AS 'SELECT ll_to_earth(lat, lng)';
DROP INDEX idx_reports_earth;
CREATE INDEX idx_reports_earth ON reports USING gist (
  cleanai_ll_to_earth(location_lat::float8, location_lng::float8));
