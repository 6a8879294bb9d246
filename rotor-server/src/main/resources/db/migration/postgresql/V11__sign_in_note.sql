-- How the sign-in that started a session went (new device, new country, a second factor shown), for its owner's
-- session list; null for sessions from before this version and for sign-ins with nothing to say.
ALTER TABLE sessions ADD COLUMN sign_in_note TEXT;
