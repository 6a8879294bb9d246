-- The same change as sqlite/V7__risk.sql. The risk engine's memory of each user's successful sign-ins (risk/RiskHistoryStore).

-- Devices (SHA-256 of the device id), networks (a /24 or /48 prefix, or AS<number>) and countries (ISO code) a user
-- signed in from. Bounded: the store keeps the most recently seen few of each kind per user and deletes the rest.
CREATE TABLE risk_known (
    user_id       TEXT COLLATE "C" NOT NULL REFERENCES users (id),
    kind          TEXT COLLATE "C" NOT NULL,
    value         TEXT COLLATE "C" NOT NULL,
    first_seen_at BIGINT NOT NULL,
    last_seen_at  BIGINT NOT NULL,
    PRIMARY KEY (user_id, kind, value)
);

-- The last successful sign-in of each user, for impossible travel. Coordinates in millionths of a degree (integers:
-- the same value on both databases, and about 0.1 m, far finer than any GeoIP place).
CREATE TABLE risk_last_sign_ins (
    user_id       TEXT COLLATE "C" PRIMARY KEY REFERENCES users (id),
    at            BIGINT NOT NULL,
    country       TEXT,
    city          TEXT,
    latitude_e6   BIGINT,
    longitude_e6  BIGINT
);
