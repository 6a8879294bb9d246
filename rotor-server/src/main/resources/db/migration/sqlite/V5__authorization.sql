-- The authorization endpoint: single sign-on sessions of the browser, authorization codes and remembered consent.

-- One sign-in on the hosted page, shared by every client that signs in through it. id is public (the ID token's
-- sid); the browser's cookie carries a separate secret, stored here only as its SHA-256.
CREATE TABLE sso_sessions (
    id           TEXT PRIMARY KEY,
    secret_hash  TEXT NOT NULL UNIQUE,
    user_id      TEXT NOT NULL REFERENCES users (id),
    auth_time    INTEGER NOT NULL,
    amr          TEXT NOT NULL,
    acr          TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    ip           TEXT,
    user_agent   TEXT,
    ended_at     INTEGER,
    end_reason   TEXT
);
CREATE INDEX sso_sessions_user ON sso_sessions (user_id);
CREATE INDEX sso_sessions_expiry ON sso_sessions (expires_at);

-- The refresh-token families (sessions) an SSO session started, one per code redeemed: what a logout may end, and
-- which clients a back-channel logout tells.
CREATE TABLE sso_session_families (
    sso_session_id TEXT NOT NULL,
    family_id      TEXT NOT NULL,
    client_id      TEXT NOT NULL,
    created_at     INTEGER NOT NULL,
    PRIMARY KEY (sso_session_id, family_id)
) WITHOUT ROWID;
CREATE INDEX sso_session_families_family ON sso_session_families (family_id);

-- Authorization codes by SHA-256 only. A code is redeemed once: redeemed_at is set by a conditional update, and
-- family_id records what the redemption started, so that a second redemption revokes it (RFC 6749 §4.1.2).
CREATE TABLE authorization_codes (
    hash           TEXT PRIMARY KEY,
    client_id      TEXT NOT NULL,
    user_id        TEXT NOT NULL,
    redirect_uri   TEXT NOT NULL,
    scope          TEXT NOT NULL,
    code_challenge TEXT,
    nonce          TEXT,
    sso_session_id TEXT NOT NULL,
    auth_time      INTEGER NOT NULL,
    amr            TEXT NOT NULL,
    acr            TEXT NOT NULL,
    created_at     INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL,
    redeemed_at    INTEGER,
    family_id      TEXT
) WITHOUT ROWID;
CREATE INDEX authorization_codes_expiry ON authorization_codes (expires_at);

-- Scopes a user allowed a client that asks for consent; withdrawn by deleting the row.
CREATE TABLE consents (
    user_id    TEXT NOT NULL REFERENCES users (id),
    client_id  TEXT NOT NULL,
    scope      TEXT NOT NULL,
    granted_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, client_id)
) WITHOUT ROWID;

-- What the authorization endpoint, logout and secret rotation need of a client. consent_required: whether the
-- consent page is shown (a client not marked first-party always asks); previous_secret_hash stays valid until
-- previous_secret_expires_at after a rotation, so that deployments can roll over to the new secret.
ALTER TABLE clients ADD COLUMN post_logout_redirect_uris TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN backchannel_logout_uri TEXT;
ALTER TABLE clients ADD COLUMN consent_required INTEGER NOT NULL DEFAULT 1;
ALTER TABLE clients ADD COLUMN previous_secret_hash TEXT;
ALTER TABLE clients ADD COLUMN previous_secret_expires_at INTEGER;
UPDATE clients SET consent_required = 0 WHERE first_party <> 0;

-- OpenID Connect Back-Channel Logout 1.0: the outbox of logout tokens still to send. A row is written in the
-- transaction that ended the session, and deleted once delivered or given up. next_attempt_at is when it is due;
-- lease_until, while a deliverer holds it, is when another may take it over (a node that died mid-delivery).
-- The logout token itself is signed at each attempt, so nothing here is a credential.
CREATE TABLE logout_deliveries (
    id              TEXT PRIMARY KEY,
    client_id       TEXT NOT NULL,
    uri             TEXT NOT NULL,
    subject         TEXT NOT NULL,
    sid             TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    lease_until     INTEGER,
    last_status     INTEGER,
    created_at      INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX logout_deliveries_due ON logout_deliveries (next_attempt_at);
CREATE INDEX logout_deliveries_target ON logout_deliveries (client_id, subject, sid);
