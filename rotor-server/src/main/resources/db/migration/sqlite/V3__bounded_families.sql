-- Refresh tokens name their family and generation under a MAC (see RefreshTokenCodec): a family's row alone says
-- which generation is current, so a rotation no longer writes a token row. What remains per family is the family
-- row and a bounded history of uses for forensics.

-- The family row: current_hash becomes legacy_hash (the hash of the current token while that is one of the old
-- format, null once the family has rotated since), the grace secret goes (a retry's successor is computed), and
-- channel records where the family's tokens travel (null for families started before this version).
CREATE TABLE sessions_v3 (
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
    rotated_at         INTEGER,
    legacy_hash        TEXT,
    channel            TEXT CHECK (channel IN ('cookie', 'token_endpoint')),
    revoked_at         INTEGER,
    revoke_reason      TEXT
) WITHOUT ROWID;
INSERT INTO sessions_v3 (id, user_id, client_id, scope, created_at, expires_at, last_used_at, auth_time, amr, acr, created_ip,
                         created_user_agent, last_ip, last_user_agent, generation, rotated_at, legacy_hash, channel, revoked_at,
                         revoke_reason)
SELECT id, user_id, client_id, scope, created_at, expires_at, last_used_at, auth_time, amr, acr, created_ip, created_user_agent,
       last_ip, last_user_agent, generation, rotated_at, current_hash, NULL, revoked_at, revoke_reason
FROM sessions;
DROP TABLE sessions;
ALTER TABLE sessions_v3 RENAME TO sessions;
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

-- The first use of each token (the rotation that replaced it), kept for the last few generations and for uses from
-- a new IP or user agent (changed = 1), so that a reuse is audited with both uses. Rows are pruned as the family
-- rotates (at most 8 + 32 per family) and deleted with their family.
CREATE TABLE refresh_token_uses (
    session_id TEXT NOT NULL,
    generation INTEGER NOT NULL,
    used_at    INTEGER NOT NULL,
    ip         TEXT,
    user_agent TEXT,
    changed    INTEGER NOT NULL,
    PRIMARY KEY (session_id, generation)
) WITHOUT ROWID;
-- The old format's uses, as far as the new history keeps them: the last 8 generations of each family.
INSERT INTO refresh_token_uses (session_id, generation, used_at, ip, user_agent, changed)
SELECT t.session_id, t.generation - 1, t.created_at, t.created_ip, t.created_user_agent, 0
FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id
WHERE t.predecessor_hash IS NOT NULL AND t.generation > s.generation - 8;

-- Tokens of the old format stay recognisable (by hash) until their family expires; no new rows are written. An
-- index by family lets the expiry sweep find them.
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);

-- Server-wide secrets (the refresh-token MAC key), sealed under the master key.
CREATE TABLE server_secrets (
    name       TEXT PRIMARY KEY,
    sealed     BLOB NOT NULL,
    created_at INTEGER NOT NULL
);

-- Readiness writes a row here (and rolls it back) while writes have been failing, to see when they work again.
CREATE TABLE health_probe (
    id   INTEGER PRIMARY KEY,
    at   INTEGER NOT NULL,
    room BLOB
);

-- At most one active and one next signing key, whatever number of nodes initialise or rotate keys at once.
CREATE UNIQUE INDEX signing_keys_one_current ON signing_keys (state) WHERE state IN ('active', 'next');
