-- Failed sign-in counters, shared by every node: one row per source address (ip:...) and per username as typed
-- (user:..., existing or not). failures counts since window_start; blocked_until, when set, is when attempts under
-- the key may be made again. Rows that count nothing any more are deleted by housekeeping.
CREATE TABLE sign_in_throttle (
    key           TEXT COLLATE "C" PRIMARY KEY,
    failures      INTEGER NOT NULL,
    window_start  BIGINT NOT NULL,
    blocked_until BIGINT
);
CREATE INDEX sign_in_throttle_window ON sign_in_throttle (window_start);
