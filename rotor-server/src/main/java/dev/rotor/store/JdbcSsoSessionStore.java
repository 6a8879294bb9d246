package dev.rotor.store;

import dev.rotor.sso.SsoSession;
import dev.rotor.sso.SsoSessionStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link SsoSessionStore} on the SQL database. */
public final class JdbcSsoSessionStore implements SsoSessionStore {
    private static final String COLUMNS = "id, user_id, auth_time, amr, acr, created_at, expires_at, last_seen_at, ip, user_agent, ended_at, end_reason";
    private final Database db;

    public JdbcSsoSessionStore(Database db) {
        this.db = db;
    }

    @Override
    public void create(SsoSession s, String secretHash) {
        db.write(tx -> tx.update("INSERT INTO sso_sessions (" + COLUMNS + ", secret_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                s.id(), s.userId(), s.authTime(), Rows.join(s.amr()), s.acr(), s.createdAt(), s.expiresAt(), s.lastSeenAt(), s.ip(),
                s.userAgent(), s.endedAt(), s.endReason(), secretHash));
    }

    @Override
    public Optional<SsoSession> findBySecretHash(String secretHash) {
        return one("SELECT " + COLUMNS + " FROM sso_sessions WHERE secret_hash = ?", secretHash);
    }

    @Override
    public Optional<SsoSession> find(String id) {
        return one("SELECT " + COLUMNS + " FROM sso_sessions WHERE id = ?", id);
    }

    private Optional<SsoSession> one(String sql, String key) {
        return Optional.ofNullable(db.read(tx -> {
            var ps = tx.prepare(sql);
            Rows.bind(ps, key);
            return Rows.one(ps, JdbcSsoSessionStore::map);
        }));
    }

    @Override
    public void linkFamily(String ssoSessionId, String familyId, String clientId, Instant now) {
        db.write(tx -> tx.update("INSERT INTO sso_session_families (sso_session_id, family_id, client_id, created_at) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (sso_session_id, family_id) DO NOTHING", ssoSessionId, familyId, clientId, now));
    }

    @Override
    public List<Link> families(String ssoSessionId) {
        return db.read(tx -> {
            var ps = tx.prepare("SELECT family_id, client_id FROM sso_session_families WHERE sso_session_id = ? ORDER BY created_at, family_id");
            Rows.bind(ps, ssoSessionId);
            return Rows.list(ps, rs -> new Link(rs.getString(1), rs.getString(2)));
        });
    }

    @Override
    public Optional<String> sessionOfFamily(String familyId) {
        return Optional.ofNullable(db.read(tx -> {
            var ps = tx.prepare("SELECT sso_session_id FROM sso_session_families WHERE family_id = ?");
            Rows.bind(ps, familyId);
            return Rows.one(ps, rs -> rs.getString(1));
        }));
    }

    @Override
    public boolean end(String id, String reason, Instant now) {
        return db.write(tx -> tx.update("UPDATE sso_sessions SET ended_at = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL",
                now, reason, id)) == 1;
    }

    @Override
    public List<String> endAllForUser(String userId, String reason, Instant now) {
        return db.write(tx -> {
            var ps = tx.prepare("SELECT id FROM sso_sessions WHERE user_id = ? AND ended_at IS NULL AND expires_at > ?");
            Rows.bind(ps, userId, now);
            List<String> ended = new ArrayList<>();
            // One by one, each conditional on still being live: a session a concurrent logout ended is not counted here.
            for (String id : Rows.list(ps, rs -> rs.getString(1))) {
                if (tx.update("UPDATE sso_sessions SET ended_at = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL", now, reason, id) == 1) {
                    ended.add(id);
                }
            }
            return ended;
        });
    }

    @Override
    public int deleteExpired(Instant before) {
        return db.write(tx -> {
            String gone = "SELECT id FROM sso_sessions WHERE expires_at < ? OR ended_at < ?";
            tx.update("DELETE FROM sso_session_families WHERE sso_session_id IN (" + gone + ")", before, before);
            return tx.update("DELETE FROM sso_sessions WHERE expires_at < ? OR ended_at < ?", before, before);
        });
    }

    private static SsoSession map(ResultSet rs) throws SQLException {
        return new SsoSession(rs.getString("id"), rs.getString("user_id"), Rows.instant(rs, "auth_time"), Rows.words(rs.getString("amr")),
                rs.getString("acr"), Rows.instant(rs, "created_at"), Rows.instant(rs, "expires_at"), Rows.instant(rs, "last_seen_at"),
                rs.getString("ip"), rs.getString("user_agent"), Rows.instant(rs, "ended_at"), rs.getString("end_reason"));
    }
}
