package dev.rotor.store;

import dev.rotor.audit.AuditEvent;
import dev.rotor.session.FamilyChange;
import dev.rotor.session.LogoutNotice;
import dev.rotor.session.PresentedToken;
import dev.rotor.session.RefreshTokenFamily;
import dev.rotor.session.RefreshTokenStore;
import dev.rotor.session.TokenUse;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link RefreshTokenStore} on the SQL database (SQLite or PostgreSQL, the same SQL). Every change is one
 * conditional UPDATE on the family row (a compare-and-set on its generation or its revocation) plus what goes with
 * it, in one short transaction: no lock is held across a request.
 */
public final class JdbcRefreshTokenStore implements RefreshTokenStore {
    private static final String COLUMNS = "id, user_id, client_id, scope, created_at, expires_at, last_used_at, auth_time, amr, acr, "
            + "created_ip, created_user_agent, last_ip, last_user_agent, generation, rotated_at, legacy_hash, channel, revoked_at, revoke_reason, sign_in_note, device_hash";
    private static final String USE_COLUMNS = "generation, used_at, ip, user_agent, changed";
    /** Families deleted per transaction by the expiry sweep, so that rotations are held up only briefly. */
    private static final int CHUNK = 500;

    /** The compare-and-set of a rotation, the same on both databases. */
    private static final String ROTATE = "UPDATE sessions SET generation = ?, rotated_at = ?, last_used_at = ?, last_ip = ?, "
            + "last_user_agent = ?, amr = ?, acr = ?, legacy_hash = NULL WHERE id = ? AND generation = ? AND revoked_at IS NULL";

    private final Database db;
    private final boolean postgres;

    public JdbcRefreshTokenStore(Database db) {
        this.db = db;
        this.postgres = db.vendor() == Database.Vendor.POSTGRESQL;
    }

    @Override
    public void create(RefreshTokenFamily f, AuditEvent event) {
        db.write(tx -> {
            tx.update("INSERT INTO sessions (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    f.id(), f.userId(), f.clientId(), f.scope(), f.createdAt(), f.expiresAt(), f.lastUsedAt(), f.authTime(),
                    Rows.join(f.amr()), f.acr(), f.createdIp(), f.createdUserAgent(), f.lastIp(), f.lastUserAgent(), f.generation(),
                    f.rotatedAt(), f.legacyHash(), channel(f.channel()), f.revokedAt(), f.revokeReason(), f.signInNote(), f.deviceHash());
            JdbcAuditLog.insert(tx, event);
            return null;
        });
    }

    @Override
    public Optional<RefreshTokenFamily> find(String familyId) {
        return Optional.ofNullable(db.read(tx -> {
            var ps = tx.prepare("SELECT " + COLUMNS + " FROM sessions WHERE id = ?");
            Rows.bind(ps, familyId);
            return Rows.one(ps, JdbcRefreshTokenStore::family);
        }));
    }

    @Override
    public Optional<PresentedToken> findLegacy(String tokenHash) {
        return Optional.ofNullable(db.read(tx -> {
            var ps = tx.prepare("SELECT session_id, generation FROM refresh_tokens WHERE hash = ?");
            Rows.bind(ps, tokenHash);
            return Rows.one(ps, rs -> new PresentedToken(rs.getString(1), rs.getInt(2), tokenHash));
        }));
    }

    @Override
    public Optional<TokenUse> findUse(String familyId, int generation) {
        return Optional.ofNullable(db.read(tx -> {
            var ps = tx.prepare("SELECT " + USE_COLUMNS + " FROM refresh_token_uses WHERE session_id = ? AND generation = ?");
            Rows.bind(ps, familyId, generation);
            return Rows.one(ps, JdbcRefreshTokenStore::use);
        }));
    }

    @Override
    public List<TokenUse> uses(String familyId) {
        return db.read(tx -> {
            var ps = tx.prepare("SELECT " + USE_COLUMNS + " FROM refresh_token_uses WHERE session_id = ? ORDER BY generation DESC");
            Rows.bind(ps, familyId);
            return Rows.list(ps, JdbcRefreshTokenStore::use);
        });
    }

    @Override
    public boolean apply(FamilyChange change) {
        return db.write(tx -> switch (change) {
            case FamilyChange.Rotate r -> rotate(tx, r);
            case FamilyChange.Retry r -> tx.update("UPDATE sessions SET last_used_at = ?, last_ip = ?, last_user_agent = ? "
                            + "WHERE id = ? AND generation = ? AND revoked_at IS NULL",
                    r.after().lastUsedAt(), r.after().lastIp(), r.after().lastUserAgent(), r.familyId(), r.after().generation()) == 1;
            case FamilyChange.Revoke r -> revoke(tx, r);
        });
    }

    /** The compare-and-set on the generation, then the use it records and the history it forgets. */
    private boolean rotate(Tx tx, FamilyChange.Rotate r) throws SQLException {
        RefreshTokenFamily a = r.after();
        TokenUse u = r.use();
        if (postgres) {
            if (!rotateInOneStatement(tx, r)) return false;
        } else {
            int changed = tx.update(ROTATE, a.generation(), a.rotatedAt(), a.lastUsedAt(), a.lastIp(), a.lastUserAgent(), Rows.join(a.amr()), a.acr(), a.id(),
                    r.fromGeneration());
            if (changed != 1) return false;
            tx.update("INSERT INTO refresh_token_uses (session_id, generation, used_at, ip, user_agent, changed) VALUES (?, ?, ?, ?, ?, ?)",
                    a.id(), u.generation(), u.at(), u.ip(), u.userAgent(), u.changed());
            // The use that just left the recent window goes unless it came from a new IP or user agent.
            tx.update("DELETE FROM refresh_token_uses WHERE session_id = ? AND generation = ? AND changed = 0",
                    a.id(), u.generation() - r.keepRecent());
        }
        if (u.changed()) {
            tx.update("DELETE FROM refresh_token_uses WHERE session_id = ? AND changed = 1 AND generation <= (SELECT generation FROM "
                    + "refresh_token_uses WHERE session_id = ? AND changed = 1 ORDER BY generation DESC LIMIT 1 OFFSET ?)",
                    a.id(), a.id(), r.keepChanged());
        }
        return true;
    }

    /**
     * PostgreSQL: the compare-and-set, the recorded use and the forgotten one in one statement (data-modifying
     * WITH), one round trip instead of three; the insert and the delete happen only when the update took effect.
     */
    private static boolean rotateInOneStatement(Tx tx, FamilyChange.Rotate r) throws SQLException {
        RefreshTokenFamily a = r.after();
        TokenUse u = r.use();
        var ps = tx.prepare("WITH moved AS (" + ROTATE + " RETURNING id), "
                + "recorded AS (INSERT INTO refresh_token_uses (session_id, generation, used_at, ip, user_agent, changed) "
                + "SELECT id, ?, ?, CAST(? AS TEXT), CAST(? AS TEXT), ? FROM moved), "
                + "forgotten AS (DELETE FROM refresh_token_uses WHERE session_id IN (SELECT id FROM moved) AND generation = ? AND changed = 0) "
                + "SELECT COUNT(*) FROM moved");
        Rows.bind(ps, a.generation(), a.rotatedAt(), a.lastUsedAt(), a.lastIp(), a.lastUserAgent(), Rows.join(a.amr()), a.acr(), a.id(),
                r.fromGeneration(),
                u.generation(), u.at(), u.ip(), u.userAgent(), u.changed(), u.generation() - r.keepRecent());
        return Rows.one(ps, rs -> rs.getInt(1)) == 1;
    }

    private static boolean revoke(Tx tx, FamilyChange.Revoke r) throws SQLException {
        boolean revoked = tx.update("UPDATE sessions SET revoked_at = ?, revoke_reason = ? WHERE id = ? AND revoked_at IS NULL",
                r.after().revokedAt(), r.after().revokeReason(), r.familyId()) == 1;
        if (revoked) {
            JdbcAuditLog.insert(tx, r.event());
            JdbcLogoutOutbox.insert(tx, r.notices(), r.event().at());
        }
        return revoked;
    }

    @Override
    public List<RefreshTokenFamily> listForUser(String userId, Instant now) {
        return db.read(tx -> {
            var ps = tx.prepare("SELECT " + COLUMNS + " FROM sessions WHERE user_id = ? AND revoked_at IS NULL "
                    + "AND expires_at > ? ORDER BY created_at DESC LIMIT 1000");
            Rows.bind(ps, userId, now);
            return Rows.list(ps, JdbcRefreshTokenStore::family);
        });
    }

    @Override
    public List<RefreshTokenFamily> listActive(Instant now, int limit) {
        return db.read(tx -> {
            var ps = tx.prepare("SELECT " + COLUMNS + " FROM sessions WHERE revoked_at IS NULL AND expires_at > ? "
                    + "ORDER BY created_at DESC LIMIT ?");
            Rows.bind(ps, now, limit);
            return Rows.list(ps, JdbcRefreshTokenStore::family);
        });
    }

    @Override
    public int revokeAllForUser(String userId, String reason, Instant now, AuditEvent event, List<LogoutNotice> notices) {
        return db.write(tx -> {
            int n = tx.update("UPDATE sessions SET revoked_at = ?, revoke_reason = ? WHERE user_id = ? AND revoked_at IS NULL",
                    now, reason, userId);
            Map<String, String> detail = new HashMap<>(event.detail());
            detail.put("sessions", Integer.toString(n));
            JdbcAuditLog.insert(tx, new AuditEvent(0, event.at(), event.type(), event.userId(), event.sessionId(), event.clientId(),
                    event.request(), detail));
            JdbcLogoutOutbox.insert(tx, notices, now);
            return n;
        });
    }

    @Override
    public int deleteExpired(Instant expiredBefore) {
        // One chunk of families per transaction, chosen once and deleted with their history and old-format tokens.
        // On PostgreSQL each statement has its own snapshot, so the chunk is locked (SKIP LOCKED: another node
        // sweeping at once takes other families) rather than chosen again by each DELETE. Every node may run it.
        String chunk = "SELECT id FROM sessions WHERE expires_at < ? ORDER BY expires_at, id LIMIT " + CHUNK
                + (postgres ? " FOR UPDATE SKIP LOCKED" : "");
        int deleted = 0;
        int n;
        do {
            n = db.write(tx -> {
                var ps = tx.prepare(chunk);
                Rows.bind(ps, expiredBefore);
                List<String> ids = Rows.list(ps, rs -> rs.getString(1));
                if (ids.isEmpty()) return 0;
                String in = String.join(", ", java.util.Collections.nCopies(ids.size(), "?"));
                Object[] params = ids.toArray();
                tx.update("DELETE FROM refresh_token_uses WHERE session_id IN (" + in + ")", params);
                tx.update("DELETE FROM refresh_tokens WHERE session_id IN (" + in + ")", params);
                return tx.update("DELETE FROM sessions WHERE id IN (" + in + ")", params);
            });
            deleted += n;
        } while (n == CHUNK);
        return deleted;
    }

    private static String channel(RefreshTokenFamily.Channel c) {
        return c == null ? null : c.value();
    }

    private static RefreshTokenFamily family(ResultSet rs) throws SQLException {
        String channel = rs.getString(18);
        return new RefreshTokenFamily(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), Rows.instant(rs, 5),
                Rows.instant(rs, 6), Rows.instant(rs, 7), Rows.instant(rs, 8), Rows.words(rs.getString(9)), rs.getString(10),
                rs.getString(11), rs.getString(12), rs.getString(13), rs.getString(14), rs.getInt(15), Rows.instant(rs, 16),
                rs.getString(17), RefreshTokenFamily.Channel.of(channel),
                Rows.instant(rs, 19), rs.getString(20), rs.getString(21), rs.getString(22));
    }

    private static TokenUse use(ResultSet rs) throws SQLException {
        return new TokenUse(rs.getInt(1), Rows.instant(rs, 2), rs.getString(3), rs.getString(4), rs.getInt(5) != 0);
    }
}
