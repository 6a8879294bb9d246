package dev.rotor.store;

import dev.rotor.logout.LogoutDelivery;
import dev.rotor.logout.LogoutOutbox;
import dev.rotor.session.LogoutNotice;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * {@link LogoutOutbox} on the SQL database (table {@code logout_deliveries}). A claim chooses its rows and leases them
 * in one transaction; on PostgreSQL the rows are locked with {@code FOR UPDATE SKIP LOCKED}, so nodes claiming at once
 * take different rows instead of waiting for each other; on SQLite the one writer runs claims one after another.
 */
public final class JdbcLogoutOutbox implements LogoutOutbox {
    private static final String COLUMNS = "id, client_id, uri, subject, sid, attempts, next_attempt_at, last_status, created_at";
    /**
     * The insert, skipped when a row for the same target is queued already. The {@code sid} comparison spells out the
     * null case (no {@code IS NOT DISTINCT FROM} on SQLite, no {@code IS} between values on PostgreSQL).
     */
    private static final String INSERT = "INSERT INTO logout_deliveries (id, client_id, uri, subject, sid, attempts, next_attempt_at, created_at) "
            + "SELECT ?, ?, ?, ?, ?, 0, ?, ? WHERE NOT EXISTS (SELECT 1 FROM logout_deliveries WHERE client_id = ? AND uri = ? "
            + "AND subject = ? AND (sid = ? OR (sid IS NULL AND CAST(? AS TEXT) IS NULL)))";

    private final Database db;
    private final String due;

    public JdbcLogoutOutbox(Database db) {
        this.db = db;
        this.due = "SELECT " + COLUMNS + " FROM logout_deliveries WHERE next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?) "
                + "ORDER BY next_attempt_at, id LIMIT ?" + (db.vendor() == Database.Vendor.POSTGRESQL ? " FOR UPDATE SKIP LOCKED" : "");
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

    @Override
    public List<LogoutDelivery> claim(Instant now, Instant leaseUntil, int limit) {
        return db.write(tx -> {
            var ps = tx.prepare(due);
            Rows.bind(ps, now, now, limit);
            List<LogoutDelivery> rows = Rows.list(ps, JdbcLogoutOutbox::delivery);
            if (rows.isEmpty()) return rows;
            String in = String.join(", ", Collections.nCopies(rows.size(), "?"));
            Object[] params = new Object[rows.size() + 1];
            params[0] = leaseUntil;
            for (int i = 0; i < rows.size(); i++) params[i + 1] = rows.get(i).id();
            tx.update("UPDATE logout_deliveries SET lease_until = ? WHERE id IN (" + in + ")", params);
            return rows;
        });
    }

    @Override
    public void remove(String id) {
        db.write(tx -> tx.update("DELETE FROM logout_deliveries WHERE id = ?", id));
    }

    @Override
    public void reschedule(String id, int attempts, Instant nextAttemptAt, Integer lastStatus) {
        db.write(tx -> tx.update("UPDATE logout_deliveries SET attempts = ?, next_attempt_at = ?, last_status = ?, lease_until = NULL WHERE id = ?",
                attempts, nextAttemptAt, lastStatus, id));
    }

    @Override
    public int pending() {
        return db.read(tx -> Rows.one(tx.prepare("SELECT COUNT(*) FROM logout_deliveries"), rs -> rs.getInt(1)));
    }

    private static LogoutDelivery delivery(ResultSet rs) throws SQLException {
        int status = rs.getInt("last_status");
        Integer lastStatus = rs.wasNull() ? null : status;
        return new LogoutDelivery(rs.getString("id"), new LogoutNotice(rs.getString("client_id"), rs.getString("uri"), rs.getString("subject"),
                rs.getString("sid")), rs.getInt("attempts"), Rows.instant(rs, "next_attempt_at"), lastStatus, Rows.instant(rs, "created_at"));
    }
}
