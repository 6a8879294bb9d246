package dev.rotor.store;

import dev.rotor.outbox.Outbox;
import dev.rotor.outbox.Queued;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collections;
import java.util.List;

/**
 * The bookkeeping every {@link Outbox} table shares: the columns {@code id}, {@code attempts}, {@code next_attempt_at},
 * {@code lease_until}, {@code last_status} and {@code created_at}, and the claim, removal and rescheduling of its rows.
 * A claim chooses its rows and leases them in one transaction; on PostgreSQL the rows are locked with
 * {@code FOR UPDATE SKIP LOCKED}, so nodes claiming at once take different rows instead of waiting for each other; on
 * SQLite the one writer runs claims one after another.
 */
final class OutboxTable<Q extends Queued> {
    private final Database db;
    private final String table;
    private final String due;
    private final Rows.Mapper<Q> mapper;

    /** @param columns what {@code mapper} reads of a row, as a SELECT list */
    OutboxTable(Database db, String table, String columns, Rows.Mapper<Q> mapper) {
        this.db = db;
        this.table = table;
        this.mapper = mapper;
        this.due = "SELECT " + columns + " FROM " + table + " WHERE next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?) "
                + "ORDER BY next_attempt_at, id LIMIT ?" + (db.vendor() == Database.Vendor.POSTGRESQL ? " FOR UPDATE SKIP LOCKED" : "");
    }

    /** {@link Outbox#claim}, in {@code tx}: the caller may read more for the claimed rows in the same transaction. */
    List<Q> claim(Tx tx, Instant now, Instant leaseUntil, int limit) throws SQLException {
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
    }

    List<Q> claim(Instant now, Instant leaseUntil, int limit) {
        return db.write(tx -> claim(tx, now, leaseUntil, limit));
    }

    void remove(String id) {
        db.write(tx -> tx.update("DELETE FROM " + table + " WHERE id = ?", id));
    }

    void reschedule(String id, int attempts, Instant nextAttemptAt, Integer lastStatus) {
        db.write(tx -> tx.update("UPDATE " + table + " SET attempts = ?, next_attempt_at = ?, last_status = ?, lease_until = NULL WHERE id = ?",
                attempts, nextAttemptAt, lastStatus, id));
    }

    int pending() {
        return db.read(tx -> Rows.one(tx.prepare("SELECT COUNT(*) FROM " + table), rs -> rs.getInt(1)));
    }

    /** The last failed attempt's status; null before the first, or after a network error. */
    static Integer lastStatus(ResultSet rs) throws SQLException {
        int status = rs.getInt("last_status");
        return rs.wasNull() ? null : status;
    }
}
