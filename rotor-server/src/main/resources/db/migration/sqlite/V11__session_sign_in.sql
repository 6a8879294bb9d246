-- How the sign-in that started a session went (new device, new country, a second factor shown), for its owner's
-- session list; null for sessions from before this version and for sign-ins with nothing to say.
ALTER TABLE sessions ADD COLUMN sign_in_note TEXT;

-- The device the session was signed in on (SHA-256 of a browser's device cookie or a native app's device_id, never the
-- id), which a refresh is compared with; null when none was presented.
ALTER TABLE sessions ADD COLUMN device_hash TEXT;
