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
    revoked_at         INTEGER,
    revoke_reason      TEXT
) WITHOUT ROWID; -- looked up and updated by id on every rotation: one B-tree instead of an index plus a table
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

-- Refresh tokens are stored by SHA-256 hash only. A used token keeps its row: reuse detection needs it.
-- grace_sealed holds this token's own plaintext, encrypted, while a retry of its predecessor may be answered
-- with it again (the grace window); the rotation that consumes the token and the sweep wipe it.
-- grace_until, on a used token, ends the window in which a retry gets its successor back.
-- WITHOUT ROWID and only two indexes: a rotation writes one random-position B-tree entry (the hash) and one
-- append at the right edge (created_at). session_id has no foreign key on purpose: an index on it would cost
-- every rotation a second random insert, and the store deletes tokens before their session.
CREATE TABLE refresh_tokens (
    hash            TEXT PRIMARY KEY,
    session_id      TEXT NOT NULL,
    generation      INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    used_at         INTEGER,
    used_ip         TEXT,
    used_user_agent TEXT,
    successor_hash  TEXT,
    grace_sealed    BLOB,
    grace_until     INTEGER
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
