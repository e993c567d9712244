-- What each notification is about, so each person's choice of delivery applies to it.
ALTER TABLE notifications ADD COLUMN kind TEXT NOT NULL DEFAULT 'my_requests';
CREATE INDEX notifications_digest ON notifications (account_id, kind, at);

-- How each person hears of each kind of notification; no row means the kind's default.
CREATE TABLE notification_prefs (
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    kind       TEXT NOT NULL,
    delivery   TEXT NOT NULL,
    PRIMARY KEY (account_id, kind)
);
