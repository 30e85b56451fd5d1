-- SQLite: an R*Tree over the points, kept in step by triggers (rowid links them).
CREATE VIRTUAL TABLE reports_geo USING rtree(id, min_lat, max_lat, min_lng, max_lng);
INSERT INTO reports_geo SELECT rowid, location_lat, location_lat, location_lng, location_lng FROM reports;
CREATE TRIGGER reports_geo_insert AFTER INSERT ON reports BEGIN
  INSERT INTO reports_geo VALUES (NEW.rowid, NEW.location_lat, NEW.location_lat,
                                  NEW.location_lng, NEW.location_lng);
END;
CREATE TRIGGER reports_geo_update AFTER UPDATE OF location_lat, location_lng ON reports BEGIN
  UPDATE reports_geo SET min_lat = NEW.location_lat, max_lat = NEW.location_lat,
                         min_lng = NEW.location_lng, max_lng = NEW.location_lng
  WHERE id = NEW.rowid;
END;
CREATE TRIGGER reports_geo_delete AFTER DELETE ON reports BEGIN
  DELETE FROM reports_geo WHERE id = OLD.rowid;
END;
