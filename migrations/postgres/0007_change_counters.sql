-- Every audit entry bumps its entity's change counter (what servers compare to know their read
-- models are stale), in the same transaction, without a statement of its own. The counter is
-- spread over 16 rows (`version:<entity>:<shard>`, summed when read) so that concurrent writes of
-- one entity do not all queue on one locked row until they commit.
CREATE FUNCTION bump_change_counter() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO settings (key, value) VALUES ('version:' || NEW.entity || ':' || (NEW.id % 16), '1')
    ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(settings.value AS BIGINT) + 1 AS TEXT);
    RETURN NULL;
END
$$;

CREATE TRIGGER audit_log_bumps_change_counter AFTER INSERT ON audit_log
    FOR EACH ROW EXECUTE FUNCTION bump_change_counter();
