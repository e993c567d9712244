-- A request IT closed as the same as another points at it.
ALTER TABLE requests ADD COLUMN duplicate_of BIGINT REFERENCES requests (id);
