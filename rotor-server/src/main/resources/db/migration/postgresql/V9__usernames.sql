-- Usernames compared by their RFC 8265 UsernameCaseMapped form (username_key) and refused when they look like
-- another (username_skeleton, UTS #39). Both are computed in Java (store/JdbcUserStore): rows from before this
-- version get them at the next start, and a row whose form another user already holds keeps NULL.
ALTER TABLE users ADD COLUMN username_key TEXT COLLATE "C";
ALTER TABLE users ADD COLUMN username_skeleton TEXT COLLATE "C";
CREATE UNIQUE INDEX users_by_username_key ON users (username_key);
CREATE UNIQUE INDEX users_by_username_skeleton ON users (username_skeleton);
