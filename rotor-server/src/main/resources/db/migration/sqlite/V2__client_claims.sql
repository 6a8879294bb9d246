-- Profile claims a client receives in its access tokens (space separated; empty: none).
ALTER TABLE clients ADD COLUMN claims TEXT NOT NULL DEFAULT '';
