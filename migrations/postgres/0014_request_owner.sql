-- The person on IT's side who owns a request: the one to ask, shown in lists and filterable.
ALTER TABLE requests ADD COLUMN owner_id BIGINT REFERENCES people (id);
CREATE INDEX requests_owner ON requests (owner_id);
