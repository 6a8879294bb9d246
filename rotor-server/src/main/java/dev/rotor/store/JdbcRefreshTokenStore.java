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
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@link RefreshTokenStore} on the SQL database. */
public final class JdbcRefreshTokenStore implements RefreshTokenStore {
    private static final String SESSION_COLUMNS = "s.id, s.user_id, s.client_id, s.scope, s.created_at, s.expires_at, "
            + "s.last_used_at, s.auth_time, s.amr, s.acr, s.created_ip, s.created_user_agent, s.last_ip, s.last_user_agent, "
            + "s.generation, s.current_hash, s.revoked_at, s.revoke_reason";
    /**
     * What a rotation reads, by position (see {@link #row}). Only what the decision and the answer need:
     * every column costs time on every rotation.
     */
    private static final String ROTATION_SELECT = "SELECT t.session_id, t.generation, t.created_at, s.user_id, s.client_id, s.scope, "
            + "s.expires_at, s.last_used_at, s.auth_time, s.amr, s.acr, s.generation, s.current_hash, s.revoked_at, s.grace_until "
            + "FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id WHERE t.hash = ?";
    private static final String REUSE_REASON = "refresh_token_reuse";
    private static final int CHUNK = 2000;

    private final Database db;

    public JdbcRefreshTokenStore(Database db) {
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
            tx.update("INSERT INTO refresh_tokens (hash, session_id, generation, created_at, created_ip, created_user_agent) "
                    + "VALUES (?, ?, ?, ?, ?, ?)", firstTokenHash, s.id(), s.generation(), s.createdAt(), s.createdIp(), s.createdUserAgent());
            JdbcAuditLog.insert(tx, event);
            return null;
        });
    }

    @Override
    public RotationResult rotate(RotationAttempt a, RotationRules rules) {
        // Read, decide and write in one transaction of the single writer. (Reading first on a reader connection
        // and only compare-and-setting in the writer was measured: preparing the read on a pooled connection for
        // every refresh cost more CPU than it took off the writer, on two cores.)
        return db.write(tx -> rotateInWriter(tx, a, rules));
    }

    /** The whole rotation step inside one writer transaction. */
    private static RotationResult rotateInWriter(Tx tx, RotationAttempt a, RotationRules rules) throws SQLException {
        Row row = row(tx, a.tokenHash());
        if (row == null) return new RotationResult(Decision.UNKNOWN, null, null);
        TokenState asRead = new TokenState(row.hash, row.session.id(), row.generation, row.createdAt, null, null, null, null, null, null);
        // A refusal needs nothing about how the token was used: answer it before looking, so that replaying an old
        // token of a revoked family costs the writer one read, however long the family's chain.
        Decision refused = rules.refusal(row.session, a);
        if (refused != null) return new RotationResult(refused, row.session, asRead);
        // Every token of a family but its current one is used.
        TokenState token = row.hash.equals(row.currentHash) ? asRead : usedToken(tx, row);
        Decision decision = rules.decide(token, row.session, row.currentHash, a);
        Session after = switch (decision) {
            case ROTATE -> compareAndRotate(tx, row, a, rules.graceUntil(a));
            case GRACE_REPLAY -> touch(tx, row.session, a);
            case REUSE -> revokeForReuse(tx, token, row.session, a, rules);
            case UNKNOWN, EXPIRED, REVOKED, WRONG_CLIENT -> row.session;
        };
        return new RotationResult(decision, after, token);
    }

    /** A token's row joined with its family's, as the rotation reads it. */
    private record Row(String hash, int generation, Instant createdAt, Session session, String currentHash, Instant graceUntil) {}

    private static Row row(Tx tx, String hash) throws SQLException {
        var ps = tx.prepare(ROTATION_SELECT);
        Rows.bind(ps, hash);
        return Rows.one(ps, rs -> new Row(hash, rs.getInt(2), Instant.ofEpochMilli(rs.getLong(3)),
                new Session(rs.getString(1), rs.getString(4), rs.getString(5), rs.getString(6), null,
                        Instant.ofEpochMilli(rs.getLong(7)), Instant.ofEpochMilli(rs.getLong(8)), Instant.ofEpochMilli(rs.getLong(9)),
                        Rows.words(rs.getString(10)), rs.getString(11), null, null, null, null, rs.getInt(12), nullableInstant(rs, 14), null),
                rs.getString(13), nullableInstant(rs, 15)));
    }

    /**
     * A used token in full: its first use is the creation of its successor (time, IP, User-Agent: the reuse audit
     * carries both uses), found by walking the family back from its current token; when that successor is the
     * current token, the family row still holds it sealed until the grace window ends.
     */
    private static TokenState usedToken(Tx tx, Row row) throws SQLException {
        String cursor = row.currentHash;
        TokenRow successor = null;
        // Generations rise by one per rotation: the successor is this many steps back from the current token.
        int steps = row.session.generation() - row.generation;
        for (int i = 0; cursor != null && i < steps; i++) {
            TokenRow r = tokenRow(tx, cursor);
            if (r == null) break;
            if (row.hash.equals(r.predecessorHash)) {
                successor = r;
                break;
            }
            cursor = r.predecessorHash;
        }
        if (successor == null) {
            // The chain is broken (rows deleted by hand?): used at some time after its creation, from somewhere unknown.
            return new TokenState(row.hash, row.session.id(), row.generation, row.createdAt, row.createdAt, null, null, "", null, null);
        }
        boolean successorCurrent = successor.hash.equals(row.currentHash);
        byte[] sealed = null;
        if (successorCurrent) {
            var ps = tx.prepare("SELECT grace_sealed FROM sessions WHERE id = ?");
            Rows.bind(ps, row.session.id());
            sealed = Rows.one(ps, rs -> rs.getBytes(1));
        }
        return new TokenState(row.hash, row.session.id(), row.generation, row.createdAt, successor.createdAt, successor.ip,
                successor.userAgent, successor.hash, sealed, successorCurrent ? row.graceUntil : null);
    }

    private record TokenRow(String hash, String predecessorHash, Instant createdAt, String ip, String userAgent) {}

    private static TokenRow tokenRow(Tx tx, String hash) throws SQLException {
        var ps = tx.prepare("SELECT predecessor_hash, created_at, created_ip, created_user_agent FROM refresh_tokens WHERE hash = ?");
        Rows.bind(ps, hash);
        return Rows.one(ps, rs -> new TokenRow(hash, rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3), rs.getString(4)));
    }

    /**
     * The rotation itself, conditional on the family still having the presented token as its current one and not
     * being revoked: of any number of attempts with one token, on any number of processes sharing the database,
     * exactly one changes the family; the rules only decide ROTATE for the current token, so a miss here means the
     * transaction saw two states, and it is rolled back. The successor's plaintext, sealed, stays on the family row
     * for the grace window.
     */
    private static Session compareAndRotate(Tx tx, Row row, RotationAttempt a, Instant graceUntil) throws SQLException {
        int generation = row.session.generation() + 1;
        int changed = tx.update("UPDATE sessions SET current_hash = ?, generation = ?, last_used_at = ?, last_ip = ?, last_user_agent = ?, "
                        + "rotated_at = ?, grace_sealed = ?, grace_until = ? WHERE id = ? AND current_hash = ? AND revoked_at IS NULL",
                a.successor().hash(), generation, a.now(), a.request().ip(), a.request().userAgent(), a.now(),
                graceUntil == null ? null : a.sealedSuccessor(), graceUntil, row.session.id(), row.hash);
        if (changed != 1) throw new SQLException("family " + row.session.id() + " changed inside its own writer transaction");
        tx.update("INSERT INTO refresh_tokens (hash, session_id, generation, created_at, created_ip, created_user_agent, predecessor_hash) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?)",
                a.successor().hash(), row.session.id(), generation, a.now(), a.request().ip(), a.request().userAgent(), row.hash);
        return row.session.usedAt(a.now(), a.request().ip(), a.request().userAgent(), generation);
    }

    private static Session touch(Tx tx, Session s, RotationAttempt a) throws SQLException {
        tx.update("UPDATE sessions SET last_used_at = ?, last_ip = ?, last_user_agent = ? WHERE id = ?",
                a.now(), a.request().ip(), a.request().userAgent(), s.id());
        return s.usedAt(a.now(), a.request().ip(), a.request().userAgent(), s.generation());
    }

    private static Session revokeForReuse(Tx tx, TokenState token, Session session, RotationAttempt a, RotationRules rules)
            throws SQLException {
        revokeFamily(tx, session.id(), REUSE_REASON, a.now());
        JdbcAuditLog.insert(tx, rules.reuseEvent(token, session, a));
        return session.revoked(a.now(), REUSE_REASON);
    }

    /** Revokes a family and wipes its grace secret; returns whether it was live. */
    private static boolean revokeFamily(Tx tx, String sessionId, String reason, Instant now) throws SQLException {
        return tx.update("UPDATE sessions SET revoked_at = ?, revoke_reason = ?, grace_sealed = NULL WHERE id = ? AND revoked_at IS NULL",
                now, reason, sessionId) == 1;
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
            int n = tx.update("UPDATE sessions SET revoked_at = ?, revoke_reason = ?, grace_sealed = NULL WHERE user_id = ? AND revoked_at IS NULL",
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
        // Through the partial index on rotated_at, a chunk per transaction so a busy writer is held up briefly.
        int wiped = 0;
        int n;
        do {
            n = db.write(tx -> tx.update("UPDATE sessions SET grace_sealed = NULL WHERE id IN (SELECT id FROM sessions "
                    + "WHERE grace_sealed IS NOT NULL AND rotated_at < ? LIMIT " + CHUNK + ")", createdBefore));
            wiped += n;
        } while (n == CHUNK);
        return wiped;
    }

    @Override
    public int deleteExpired(Instant expiredBefore) {
        // A family's tokens are all created before its absolute expiry, so every token of a family that expired
        // before the cutoff was created before it too: walk tokens by created_at, then drop the empty families.
        int tokens;
        do {
            tokens = db.write(tx -> tx.update("DELETE FROM refresh_tokens WHERE hash IN (SELECT t.hash FROM refresh_tokens t "
                    + "LEFT JOIN sessions s ON s.id = t.session_id WHERE t.created_at < ? AND (s.id IS NULL OR s.expires_at < ?) LIMIT "
                    + CHUNK + ")", expiredBefore, expiredBefore));
        } while (tokens == CHUNK);
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

    private static Instant nullableInstant(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }
}
