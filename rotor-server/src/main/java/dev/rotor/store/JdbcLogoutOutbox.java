package dev.rotor.store;

import dev.rotor.logout.LogoutDelivery;
import dev.rotor.logout.LogoutOutbox;
import dev.rotor.session.LogoutNotice;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * {@link LogoutOutbox} on the SQL database (table {@code logout_deliveries}); claims and retries are those of every
 * {@link JdbcOutbox}.
 */
public final class JdbcLogoutOutbox extends JdbcOutbox<LogoutDelivery> implements LogoutOutbox {
    private static final String COLUMNS = "id, client_id, uri, subject, sid, attempts, next_attempt_at, last_status, created_at";
    /**
     * The insert, skipped when a row for the same target is queued already. The {@code sid} comparison spells out the
     * null case (no {@code IS NOT DISTINCT FROM} on SQLite, no {@code IS} between values on PostgreSQL).
     */
    private static final String INSERT = "INSERT INTO logout_deliveries (id, client_id, uri, subject, sid, attempts, next_attempt_at, created_at) "
            + "SELECT ?, ?, ?, ?, ?, 0, ?, ? WHERE NOT EXISTS (SELECT 1 FROM logout_deliveries WHERE client_id = ? AND uri = ? "
            + "AND subject = ? AND (sid = ? OR (sid IS NULL AND CAST(? AS TEXT) IS NULL)))";

    private final Database db;

    public JdbcLogoutOutbox(Database db) {
        super(db, "logout_deliveries", COLUMNS, "", JdbcLogoutOutbox::delivery);
        this.db = db;
    }

    /** Queues {@code notices} on {@code tx}: the refresh-token store calls this inside the revocation's transaction. */
    static void insert(Tx tx, List<LogoutNotice> notices, Instant now) throws SQLException {
        for (LogoutNotice n : notices) {
            tx.update(INSERT, UUID.randomUUID().toString(), n.clientId(), n.uri(), n.subject(), n.sid(), now, now,
                    n.clientId(), n.uri(), n.subject(), n.sid(), n.sid());
        }
    }

    @Override
    public void enqueue(List<LogoutNotice> notices, Instant now) {
        if (notices.isEmpty()) return;
        db.write(tx -> {
            insert(tx, notices, now);
            return null;
        });
    }

    private static LogoutDelivery delivery(ResultSet rs) throws SQLException {
        return new LogoutDelivery(rs.getString("id"), new LogoutNotice(rs.getString("client_id"), rs.getString("uri"), rs.getString("subject"),
                rs.getString("sid")), rs.getInt("attempts"), Rows.instant(rs, "next_attempt_at"), JdbcOutbox.lastStatus(rs), Rows.instant(rs, "created_at"));
    }
}
