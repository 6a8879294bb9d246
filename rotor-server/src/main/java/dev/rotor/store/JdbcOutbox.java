package dev.rotor.store;

import dev.rotor.outbox.Outbox;
import dev.rotor.outbox.Queued;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collections;
import java.util.List;

/**
 * What every {@link Outbox} table shares: the columns {@code id}, {@code attempts}, {@code next_attempt_at},
 * {@code lease_until}, {@code last_status} and {@code created_at}, and the claim, removal and rescheduling of its rows.
 * A claim chooses its rows and leases them in one transaction; on PostgreSQL the rows are locked with
 * {@code FOR UPDATE SKIP LOCKED}, so nodes claiming at once take different rows instead of waiting for each other; on
 * SQLite the one writer runs claims one after another.
 */
abstract class JdbcOutbox<Q extends Queued> implements Outbox<Q> {
    private final Database db;
    private final String table;
    private final String due;
    private final Rows.Mapper<Q> mapper;

    /**
     * @param columns what {@code mapper} reads, as a SELECT list; the table is {@code o}
     * @param join    a JOIN clause for more of a row than the table holds, or empty
     */
    JdbcOutbox(Database db, String table, String columns, String join, Rows.Mapper<Q> mapper) {
        this.db = db;
        this.table = table;
        this.mapper = mapper;
        this.due = "SELECT " + columns + " FROM " + table + " o" + join + " WHERE o.next_attempt_at <= ? AND (o.lease_until IS NULL OR "
                + "o.lease_until <= ?) ORDER BY o.next_attempt_at, o.id LIMIT ?"
                + (db.vendor() == Database.Vendor.POSTGRESQL ? " FOR UPDATE OF o SKIP LOCKED" : "");
    }

    @Override
    public List<Q> claim(Instant now, Instant leaseUntil, int limit) {
        return db.write(tx -> {
            var ps = tx.prepare(due);
            Rows.bind(ps, now, now, limit);
            List<Q> rows = Rows.list(ps, mapper);
            if (rows.isEmpty()) return rows;
            String in = String.join(", ", Collections.nCopies(rows.size(), "?"));
            Object[] params = new Object[rows.size() + 1];
            params[0] = leaseUntil;
            for (int i = 0; i < rows.size(); i++) params[i + 1] = rows.get(i).id();
            tx.update("UPDATE " + table + " SET lease_until = ? WHERE id IN (" + in + ")", params);
            return rows;
        });
    }

    @Override
    public void remove(String id) {
        db.write(tx -> tx.update("DELETE FROM " + table + " WHERE id = ?", id));
    }

    @Override
    public void reschedule(String id, int attempts, Instant nextAttemptAt, Integer lastStatus) {
        db.write(tx -> tx.update("UPDATE " + table + " SET attempts = ?, next_attempt_at = ?, last_status = ?, lease_until = NULL WHERE id = ?",
                attempts, nextAttemptAt, lastStatus, id));
    }

    @Override
    public int pending() {
        return db.read(tx -> Rows.one(tx.prepare("SELECT COUNT(*) FROM " + table), rs -> rs.getInt(1)));
    }

    /** The last failed attempt's status; null before the first, or after a network error. */
    static Integer lastStatus(ResultSet rs) throws SQLException {
        int status = rs.getInt("last_status");
        return rs.wasNull() ? null : status;
    }
}
