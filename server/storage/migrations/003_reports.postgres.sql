-- PostgreSQL: the seed's earthdistance GiST index.
CREATE EXTENSION IF NOT EXISTS cube;
CREATE EXTENSION IF NOT EXISTS earthdistance;
CREATE INDEX idx_reports_earth ON reports USING gist (
  ll_to_earth(location_lat::float8, location_lng::float8));
