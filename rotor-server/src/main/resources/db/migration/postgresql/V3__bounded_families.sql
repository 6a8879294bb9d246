-- The same change as sqlite/V3__bounded_families.sql: refresh tokens name their family and generation under a MAC,
-- the family row alone says which generation is current, and a bounded history of uses replaces a row per token.

-- current_hash becomes legacy_hash (the hash of the current token while that is one of the old format); the grace
-- secret goes (a retry's successor is computed); channel records where the family's tokens travel.
DROP INDEX sessions_grace;
ALTER TABLE sessions DROP COLUMN grace_sealed;
ALTER TABLE sessions DROP COLUMN grace_until;
ALTER TABLE sessions RENAME COLUMN current_hash TO legacy_hash;
ALTER TABLE sessions ALTER COLUMN legacy_hash DROP NOT NULL;
ALTER TABLE sessions ADD COLUMN channel TEXT CHECK (channel IN ('cookie', 'token_endpoint'));
-- A rotation updates only unindexed columns of the family row: room on each page lets PostgreSQL do it as a
-- heap-only (HOT) update, without touching an index.
ALTER TABLE sessions SET (fillfactor = 70);

CREATE TABLE refresh_token_uses (
    session_id TEXT COLLATE "C" NOT NULL,
    generation INTEGER NOT NULL,
    used_at    BIGINT NOT NULL,
    ip         TEXT,
    user_agent TEXT,
    changed    INTEGER NOT NULL,
    PRIMARY KEY (session_id, generation)
);
INSERT INTO refresh_token_uses (session_id, generation, used_at, ip, user_agent, changed)
SELECT t.session_id, t.generation - 1, t.created_at, t.created_ip, t.created_user_agent, 0
FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id
WHERE t.predecessor_hash IS NOT NULL AND t.generation > s.generation - 8;

CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);

CREATE TABLE server_secrets (
    name       TEXT COLLATE "C" PRIMARY KEY,
    sealed     BYTEA NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE health_probe (
    id   INTEGER PRIMARY KEY,
    at   BIGINT NOT NULL,
    room BYTEA
);

CREATE UNIQUE INDEX signing_keys_one_current ON signing_keys (state) WHERE state IN ('active', 'next');
