-- Rotor core schema (SQLite dialect). Times are epoch milliseconds (UTC).

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    email         TEXT,
    name          TEXT,
    password_hash TEXT,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL
);

CREATE TABLE clients (
    id            TEXT PRIMARY KEY,
    type          TEXT NOT NULL CHECK (type IN ('public', 'confidential')),
    secret_hash   TEXT,
    redirect_uris TEXT NOT NULL,
    grants        TEXT NOT NULL,
    origins       TEXT NOT NULL,
    first_party   INTEGER NOT NULL DEFAULT 0,
    scope         TEXT NOT NULL,
    created_at    INTEGER NOT NULL
);

-- A session is one refresh-token family: one sign-in on one device.
CREATE TABLE sessions (
    id                 TEXT PRIMARY KEY,
    user_id            TEXT NOT NULL REFERENCES users (id),
    client_id          TEXT NOT NULL REFERENCES clients (id),
    scope              TEXT NOT NULL,
    created_at         INTEGER NOT NULL,
    expires_at         INTEGER NOT NULL,
    last_used_at       INTEGER NOT NULL,
    auth_time          INTEGER NOT NULL,
    amr                TEXT NOT NULL,
    acr                TEXT NOT NULL,
    created_ip         TEXT,
    created_user_agent TEXT,
    last_ip            TEXT,
    last_user_agent    TEXT,
    generation         INTEGER NOT NULL,
    current_hash       TEXT NOT NULL,
    rotated_at         INTEGER,
    grace_sealed       BLOB,
    grace_until        INTEGER,
    revoked_at         INTEGER,
    revoke_reason      TEXT
) WITHOUT ROWID; -- looked up and updated by id on every rotation: one B-tree instead of an index plus a table
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);
-- The family row is the single source of rotation state: current_hash says which token is current (every other
-- token of the family is used), rotated_at when the last rotation happened, and grace_sealed holds the current
-- token's plaintext, encrypted and bound to its predecessor, until grace_until: a retry of that predecessor in
-- the window gets it back. The sweep wipes it after the window, through this index.
CREATE INDEX sessions_grace ON sessions (rotated_at) WHERE grace_sealed IS NOT NULL;

-- Refresh tokens are stored by SHA-256 hash only, written once and never updated: whether a token is used is
-- decided by its family's current_hash. Each row records the request that created it, which is the first use of
-- its predecessor (predecessor_hash), so a reuse can be audited with both uses.
-- WITHOUT ROWID and two indexes: a rotation writes one random-position B-tree entry (the hash) and one append at
-- the right edge (created_at). session_id has no foreign key on purpose: an index on it would cost every rotation
-- a second random insert, and the store deletes tokens before their session.
CREATE TABLE refresh_tokens (
    hash               TEXT PRIMARY KEY,
    session_id         TEXT NOT NULL,
    generation         INTEGER NOT NULL,
    created_at         INTEGER NOT NULL,
    created_ip         TEXT,
    created_user_agent TEXT,
    predecessor_hash   TEXT
) WITHOUT ROWID;
CREATE INDEX refresh_tokens_created ON refresh_tokens (created_at);

-- state: next (published, not yet signing), active (signing), retiring (published until its tokens expire), retired.
CREATE TABLE signing_keys (
    kid            TEXT PRIMARY KEY,
    alg            TEXT NOT NULL,
    state          TEXT NOT NULL CHECK (state IN ('next', 'active', 'retiring', 'retired')),
    public_jwk     TEXT NOT NULL,
    private_sealed BLOB,
    created_at     INTEGER NOT NULL,
    activated_at   INTEGER,
    retire_at      INTEGER
);

CREATE TABLE audit_events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    at         INTEGER NOT NULL,
    type       TEXT NOT NULL,
    user_id    TEXT,
    session_id TEXT,
    client_id  TEXT,
    ip         TEXT,
    user_agent TEXT,
    detail     TEXT NOT NULL
);
CREATE INDEX audit_events_at ON audit_events (at);
