-- Single sign-on (see ops::sso). An account signed in through the OpenID provider remembers who
-- the provider says it is ("<issuer> <subject>"), so a later change of email keeps the link.
ALTER TABLE accounts ADD COLUMN sso_subject TEXT;
CREATE UNIQUE INDEX accounts_sso_subject ON accounts (sso_subject);

-- A session made through the provider keeps its ID token, to sign out there too.
ALTER TABLE sessions ADD COLUMN sso_id_token TEXT;

-- Sign-ins under way: the browser holds the state in a cookie; the nonce and the PKCE verifier
-- stay here. A row is taken (deleted) by the first callback that names it, so a replayed
-- callback finds nothing.
CREATE TABLE sso_logins (
    state_hash    TEXT PRIMARY KEY,
    nonce         TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    next          TEXT NOT NULL,
    created_at    INTEGER NOT NULL
);
