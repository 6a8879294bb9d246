package dev.rotor.store;

import dev.rotor.audit.AuditEvent;
import dev.rotor.session.Decision;
import dev.rotor.session.RefreshTokenStore;
import dev.rotor.session.RotationAttempt;
import dev.rotor.session.RotationResult;
import dev.rotor.session.RotationRules;
import dev.rotor.session.Session;
import dev.rotor.session.TokenState;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@link RefreshTokenStore} on the SQL database. */
public final class JdbcRefreshTokenStore implements RefreshTokenStore {
    private static final String SESSION_COLUMNS = "s.id, s.user_id, s.client_id, s.scope, s.created_at, s.expires_at, "
            + "s.last_used_at, s.auth_time, s.amr, s.acr, s.created_ip, s.created_user_agent, s.last_ip, s.last_user_agent, "
            + "s.generation, s.current_hash, s.revoked_at, s.revoke_reason";
    /**
     * What a rotation reads, by position (see {@link #rotationRow}). Only what the decision and the answer need:
     * every column costs the single writer time on every rotation.
     */
    private static final String ROTATION_COLUMNS = "t.session_id, t.generation, t.used_at, t.successor_hash, t.grace_until, "
            + "s.user_id, s.client_id, s.scope, s.expires_at, s.last_used_at, s.auth_time, s.amr, s.acr, s.generation, s.current_hash, s.revoked_at";
    private static final String REUSE_REASON = "refresh_token_reuse";
    private static final int CHUNK = 2000;

    private final SqliteDatabase db;
    private volatile Position graceWatermark = new Position(Instant.EPOCH, "");

    public JdbcRefreshTokenStore(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public void create(Session s, String firstTokenHash, AuditEvent event) {
        db.write(tx -> {
            tx.update("INSERT INTO sessions (id, user_id, client_id, scope, created_at, expires_at, last_used_at, auth_time, amr, acr, "
                            + "created_ip, created_user_agent, last_ip, last_user_agent, generation, current_hash) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    s.id(), s.userId(), s.clientId(), s.scope(), s.createdAt(), s.expiresAt(), s.lastUsedAt(), s.authTime(),
                    Rows.join(s.amr()), s.acr(), s.createdIp(), s.createdUserAgent(), s.lastIp(), s.lastUserAgent(),
                    s.generation(), firstTokenHash);
            tx.update("INSERT INTO refresh_tokens (hash, session_id, generation, created_at) VALUES (?, ?, ?, ?)",
                    firstTokenHash, s.id(), s.generation(), s.createdAt());
            JdbcAuditLog.insert(tx, event);
            return null;
        });
    }

    @Override
    public RotationResult rotate(RotationAttempt a, RotationRules rules) {
        return db.write(tx -> {
            var ps = tx.prepare("SELECT " + ROTATION_COLUMNS + " FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id WHERE t.hash = ?");
            Rows.bind(ps, a.tokenHash());
            Joined row = Rows.one(ps, rs -> rotationRow(rs, a.tokenHash()));
            if (row == null) return new RotationResult(Decision.UNKNOWN, null, null);
            TokenState token = row.token.isUsed() ? usedToken(tx, row.token) : row.token;
            Joined current = new Joined(token, row.session, row.currentHash);
            Decision decision = rules.decide(token, row.session, row.currentHash, a);
            Session after = switch (decision) {
                case ROTATE -> applyRotation(tx, current, a, rules.graceUntil(a));
                case GRACE_REPLAY -> touch(tx, row.session, a);
                case REUSE -> revokeForReuse(tx, current, a, rules);
                case UNKNOWN, EXPIRED, REVOKED, WRONG_CLIENT -> row.session;
            };
            return new RotationResult(decision, after, token);
        });
    }

    /**
     * The whole row of a used token (the rotation select leaves out what only this rarer path needs: where the
     * first use came from, for a reuse audit) and its successor's sealed plaintext, kept on the successor's row.
     */
    private static TokenState usedToken(Tx tx, TokenState t) throws SQLException {
        var ps = tx.prepare("SELECT t.created_at, t.used_ip, t.used_user_agent, (SELECT n.grace_sealed FROM refresh_tokens n "
                + "WHERE n.hash = t.successor_hash) FROM refresh_tokens t WHERE t.hash = ?");
        Rows.bind(ps, t.hash());
        return Rows.one(ps, rs -> new TokenState(t.hash(), t.sessionId(), t.generation(), Instant.ofEpochMilli(rs.getLong(1)), t.usedAt(),
                rs.getString(2), rs.getString(3), t.successorHash(), rs.getBytes(4), t.graceUntil()));
    }

    private record Joined(TokenState token, Session session, String currentHash) {}

    private static Session applyRotation(Tx tx, Joined row, RotationAttempt a, Instant graceUntil) throws SQLException {
        // Conditional: only a token that is still unused can be consumed (the single-winner guarantee). Its own
        // grace secret goes with it: from now on only the successor can be handed out again.
        int marked = tx.update("UPDATE refresh_tokens SET used_at = ?, used_ip = ?, used_user_agent = ?, successor_hash = ?, "
                        + "grace_sealed = NULL, grace_until = ? WHERE hash = ? AND used_at IS NULL",
                a.now(), a.request().ip(), a.request().userAgent(), a.successor().hash(), graceUntil, row.token.hash());
        if (marked != 1) throw new SQLException("refresh token consumed concurrently inside the writer");
        int generation = row.token.generation() + 1;
        tx.update("INSERT INTO refresh_tokens (hash, session_id, generation, created_at, grace_sealed) VALUES (?, ?, ?, ?, ?)",
                a.successor().hash(), row.session.id(), generation, a.now(), graceUntil == null ? null : a.sealedSuccessor());
        tx.update("UPDATE sessions SET current_hash = ?, generation = ?, last_used_at = ?, last_ip = ?, last_user_agent = ? WHERE id = ?",
                a.successor().hash(), generation, a.now(), a.request().ip(), a.request().userAgent(), row.session.id());
        return row.session.usedAt(a.now(), a.request().ip(), a.request().userAgent(), generation);
    }

    private static Session touch(Tx tx, Session s, RotationAttempt a) throws SQLException {
        tx.update("UPDATE sessions SET last_used_at = ?, last_ip = ?, last_user_agent = ? WHERE id = ?",
                a.now(), a.request().ip(), a.request().userAgent(), s.id());
        return s.usedAt(a.now(), a.request().ip(), a.request().userAgent(), s.generation());
    }

    private static Session revokeForReuse(Tx tx, Joined row, RotationAttempt a, RotationRules rules) throws SQLException {
        revokeFamily(tx, row.session.id(), REUSE_REASON, a.now());
        JdbcAuditLog.insert(tx, rules.reuseEvent(row.token, row.session, a));
        return row.session.revoked(a.now(), REUSE_REASON);
    }

    /**
     * Revokes a family and wipes its grace secret (only the current token can hold one: a rotation wipes the
     * secret of the token it consumes); returns whether it was live.
     */
    private static boolean revokeFamily(Tx tx, String sessionId, String reason, Instant now) throws SQLException {
        int n = tx.update("UPDATE sessions SET revoked_at = ?, revoke_reason = ? WHERE id = ? AND revoked_at IS NULL", now, reason, sessionId);
        tx.update("UPDATE refresh_tokens SET grace_sealed = NULL WHERE hash = (SELECT current_hash FROM sessions WHERE id = ?)", sessionId);
        return n == 1;
    }

    @Override
    public Optional<Session> findByTokenHash(String tokenHash) {
        return Optional.ofNullable(db.read(tx -> {
            var ps = tx.prepare("SELECT " + SESSION_COLUMNS + " FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id WHERE t.hash = ?");
            Rows.bind(ps, tokenHash);
            return Rows.one(ps, JdbcRefreshTokenStore::session);
        }));
    }

    @Override
    public Optional<Session> find(String sessionId) {
        return Optional.ofNullable(db.read(tx -> {
            var ps = tx.prepare("SELECT " + SESSION_COLUMNS + " FROM sessions s WHERE s.id = ?");
            Rows.bind(ps, sessionId);
            return Rows.one(ps, JdbcRefreshTokenStore::session);
        }));
    }

    @Override
    public List<Session> listForUser(String userId, Instant now) {
        return db.read(tx -> {
            var ps = tx.prepare("SELECT " + SESSION_COLUMNS + " FROM sessions s WHERE s.user_id = ? AND s.revoked_at IS NULL "
                    + "AND s.expires_at > ? ORDER BY s.created_at DESC LIMIT 1000");
            Rows.bind(ps, userId, now);
            return Rows.list(ps, JdbcRefreshTokenStore::session);
        });
    }

    @Override
    public List<Session> listActive(Instant now, int limit) {
        return db.read(tx -> {
            var ps = tx.prepare("SELECT " + SESSION_COLUMNS + " FROM sessions s WHERE s.revoked_at IS NULL AND s.expires_at > ? "
                    + "ORDER BY s.created_at DESC LIMIT ?");
            Rows.bind(ps, now, limit);
            return Rows.list(ps, JdbcRefreshTokenStore::session);
        });
    }

    @Override
    public boolean revoke(String sessionId, String reason, Instant now, AuditEvent event) {
        return db.write(tx -> {
            boolean revoked = revokeFamily(tx, sessionId, reason, now);
            if (revoked) JdbcAuditLog.insert(tx, event);
            return revoked;
        });
    }

    @Override
    public int revokeAllForUser(String userId, String reason, Instant now, AuditEvent event) {
        return db.write(tx -> {
            tx.update("UPDATE refresh_tokens SET grace_sealed = NULL WHERE hash IN "
                    + "(SELECT current_hash FROM sessions WHERE user_id = ? AND revoked_at IS NULL)", userId);
            int n = tx.update("UPDATE sessions SET revoked_at = ?, revoke_reason = ? WHERE user_id = ? AND revoked_at IS NULL",
                    now, reason, userId);
            JdbcAuditLog.insert(tx, new AuditEvent(0, event.at(), event.type(), event.userId(), event.sessionId(), event.clientId(),
                    event.request(), withCount(event, n)));
            return n;
        });
    }

    private static java.util.Map<String, String> withCount(AuditEvent e, int n) {
        var m = new java.util.HashMap<>(e.detail());
        m.put("sessions", Integer.toString(n));
        return m;
    }

    @Override
    public int wipeGraceSecrets(Instant createdBefore) {
        // Walks the created_at index (which, on a WITHOUT ROWID table, is ordered by (created_at, hash)) from
        // where the last sweep stopped, a chunk per transaction, so a busy writer is held up for a few
        // milliseconds at a time rather than for the whole sweep.
        int wiped = 0;
        while (true) {
            Position from = graceWatermark;
            Chunk chunk = db.write(tx -> {
                var ps = tx.prepare("SELECT hash, created_at, grace_sealed IS NOT NULL FROM refresh_tokens "
                        + "WHERE (created_at > ? OR (created_at = ? AND hash > ?)) AND created_at < ? ORDER BY created_at, hash LIMIT " + CHUNK);
                Rows.bind(ps, from.createdAt, from.createdAt, from.hash, createdBefore);
                int n = 0;
                int scanned = 0;
                Position last = from;
                try (ResultSet rs = ps.executeQuery()) {
                    List<String> sealed = new java.util.ArrayList<>();
                    while (rs.next()) {
                        scanned++;
                        last = new Position(Instant.ofEpochMilli(rs.getLong(2)), rs.getString(1));
                        if (rs.getInt(3) == 1) sealed.add(last.hash);
                    }
                    for (String hash : sealed) n += tx.update("UPDATE refresh_tokens SET grace_sealed = NULL WHERE hash = ?", hash);
                }
                return new Chunk(n, scanned, last);
            });
            wiped += chunk.changed;
            graceWatermark = chunk.last;
            if (chunk.scanned < CHUNK) {
                // Rows are stamped just before they queue for the writer: start the next sweep a little earlier.
                Instant restart = createdBefore.minusSeconds(1);
                graceWatermark = new Position(restart.isBefore(chunk.last.createdAt) ? restart : chunk.last.createdAt, "");
                return wiped;
            }
        }
    }

    /** A place in the (created_at, hash) order. */
    private record Position(Instant createdAt, String hash) {}

    private record Chunk(int changed, int scanned, Position last) {}

    @Override
    public int deleteExpired(Instant expiredBefore) {
        // A family's tokens are all created before its absolute expiry, so every token of a family that expired
        // before the cutoff was created before it too: walk tokens by created_at, then drop the empty families.
        while (db.write(tx -> tx.update("DELETE FROM refresh_tokens WHERE hash IN (SELECT t.hash FROM refresh_tokens t "
                + "LEFT JOIN sessions s ON s.id = t.session_id WHERE t.created_at < ? AND (s.id IS NULL OR s.expires_at < ?) LIMIT "
                + CHUNK + ")", expiredBefore, expiredBefore)) == CHUNK) {
            Thread.onSpinWait();
        }
        int deleted = 0;
        int n;
        do {
            n = db.write(tx -> tx.update("DELETE FROM sessions WHERE id IN (SELECT id FROM sessions WHERE expires_at < ? LIMIT " + CHUNK + ")",
                    expiredBefore));
            deleted += n;
        } while (n == CHUNK);
        return deleted;
    }


    private static Session session(ResultSet rs) throws SQLException {
        int base = rs.findColumn("user_id") - 1; // the session's columns follow the token's in the joined select
        return new Session(rs.getString(base), rs.getString(base + 1), rs.getString(base + 2), rs.getString(base + 3),
                Instant.ofEpochMilli(rs.getLong(base + 4)), Instant.ofEpochMilli(rs.getLong(base + 5)),
                Instant.ofEpochMilli(rs.getLong(base + 6)), Instant.ofEpochMilli(rs.getLong(base + 7)),
                Rows.words(rs.getString(base + 8)), rs.getString(base + 9), rs.getString(base + 10), rs.getString(base + 11),
                rs.getString(base + 12), rs.getString(base + 13), rs.getInt(base + 14), nullableInstant(rs, base + 16),
                rs.getString(base + 17));
    }

    private static Joined rotationRow(ResultSet rs, String hash) throws SQLException {
        String sessionId = rs.getString(1);
        TokenState token = new TokenState(hash, sessionId, rs.getInt(2), null, nullableInstant(rs, 3), null, null, rs.getString(4), null,
                nullableInstant(rs, 5));
        Session session = new Session(sessionId, rs.getString(6), rs.getString(7), rs.getString(8), null, Instant.ofEpochMilli(rs.getLong(9)),
                Instant.ofEpochMilli(rs.getLong(10)), Instant.ofEpochMilli(rs.getLong(11)), Rows.words(rs.getString(12)), rs.getString(13),
                null, null, null, null, rs.getInt(14), nullableInstant(rs, 16), null);
        return new Joined(token, session, rs.getString(15));
    }

    private static Instant nullableInstant(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }
}
