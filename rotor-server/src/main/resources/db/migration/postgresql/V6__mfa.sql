-- The same change as sqlite/V6__mfa.sql. Second factors: TOTP (RFC 6238) and its recovery codes.

-- One TOTP secret per user, sealed under the master key (AES-256-GCM, bound to the user by its associated data),
-- pending until a first valid code sets confirmed_at. last_step is the time step of the last code accepted: a code
-- is accepted only for a later step, by a conditional update, so that no code works twice on any node. failures
-- counts wrong codes since the last accepted one (failed_at, the last of them), for throttling.
CREATE TABLE mfa_totp (
    user_id       TEXT COLLATE "C" PRIMARY KEY REFERENCES users (id),
    secret_sealed BYTEA NOT NULL,
    created_at    BIGINT NOT NULL,
    confirmed_at  BIGINT,
    last_step     BIGINT,
    failures      INTEGER NOT NULL DEFAULT 0,
    failed_at     BIGINT
);

-- Recovery codes by SHA-256 of the user id and the code only; a code is spent once, by setting used_at with a
-- conditional update. Replaced as a whole when TOTP is confirmed again, removed with it.
CREATE TABLE mfa_recovery_codes (
    user_id    TEXT COLLATE "C" NOT NULL REFERENCES users (id),
    code_hash  TEXT COLLATE "C" NOT NULL,
    created_at BIGINT NOT NULL,
    used_at    BIGINT,
    PRIMARY KEY (user_id, code_hash)
);
