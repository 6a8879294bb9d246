package dev.rotor.store;

import dev.rotor.throttle.ThrottleStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collections;
import java.util.List;

/**
 * {@link ThrottleStore} on the SQL database (table {@code sign_in_throttle}). A failure is counted with one upsert
 * ({@code INSERT ... ON CONFLICT DO UPDATE ... RETURNING}, on SQLite and PostgreSQL alike), so concurrent failures on
 * several nodes each count.
 */
public final class JdbcThrottleStore implements ThrottleStore {
    private static final String COLUMNS = "key, failures, window_start, blocked_until";
    /** The old row's values are what both CASEs read: SET expressions see the row as it was. */
    private static final String COUNT = "INSERT INTO sign_in_throttle (key, failures, window_start) VALUES (?, 1, ?) "
            + "ON CONFLICT (key) DO UPDATE SET "
            + "failures = CASE WHEN sign_in_throttle.window_start < ? THEN 1 ELSE sign_in_throttle.failures + 1 END, "
            + "window_start = CASE WHEN sign_in_throttle.window_start < ? THEN ? ELSE sign_in_throttle.window_start END "
            + "RETURNING " + COLUMNS;

    private final Database db;

    public JdbcThrottleStore(Database db) {
        this.db = db;
    }

    @Override
    public List<Counter> find(List<String> keys) {
        if (keys.isEmpty()) return List.of();
        return db.read(tx -> {
            var ps = tx.prepare("SELECT " + COLUMNS + " FROM sign_in_throttle WHERE key IN (" + String.join(", ", Collections.nCopies(keys.size(), "?"))
                    + ")");
            Rows.bind(ps, keys.toArray());
            return Rows.list(ps, JdbcThrottleStore::counter);
        });
    }

    @Override
    public Counter recordFailure(String key, Instant now, Instant windowCutoff) {
        return db.write(tx -> {
            var ps = tx.prepare(COUNT);
            Rows.bind(ps, key, now, windowCutoff, windowCutoff, now);
            return Rows.one(ps, JdbcThrottleStore::counter);
        });
    }

    @Override
    public void blockUntil(String key, Instant until) {
        db.write(tx -> tx.update("UPDATE sign_in_throttle SET blocked_until = ? WHERE key = ? AND (blocked_until IS NULL OR blocked_until < ?)",
                until, key, until));
    }

    @Override
    public void clear(String key) {
        db.write(tx -> tx.update("DELETE FROM sign_in_throttle WHERE key = ?", key));
    }

    @Override
    public int deleteStale(Instant windowCutoff, Instant now) {
        return db.write(tx -> tx.update("DELETE FROM sign_in_throttle WHERE window_start < ? AND (blocked_until IS NULL OR blocked_until <= ?)",
                windowCutoff, now));
    }

    private static Counter counter(ResultSet rs) throws SQLException {
        return new Counter(rs.getString("key"), rs.getInt("failures"), Rows.instant(rs, "window_start"), Rows.instant(rs, "blocked_until"));
    }
}
