package dev.rotor.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A connection inside a transaction. Statements from {@link #prepare} must not be closed by the caller: the SQLite
 * writer and the SQLite read pool's threads cache them for their own connections (preparing SQL costs more than
 * running these small statements); elsewhere (a borrowed SQLite reader for callers off the pool, PostgreSQL, whose
 * driver keeps its own per-connection cache of server-side prepared statements) they are closed at the end of the
 * unit of work ({@link #once}).
 */
public final class Tx {
    private final Connection connection;
    private final Map<String, PreparedStatement> cache = new HashMap<>();
    private final List<PreparedStatement> opened = new ArrayList<>();
    private final boolean cached;

    Tx(Connection connection, boolean cached) {
        this.connection = connection;
        this.cached = cached;
    }

    public PreparedStatement prepare(String sql) throws SQLException {
        if (!cached) {
            PreparedStatement ps = connection.prepareStatement(sql);
            opened.add(ps);
            return ps;
        }
        PreparedStatement ps = cache.get(sql);
        if (ps == null) {
            ps = connection.prepareStatement(sql);
            cache.put(sql, ps);
        } else {
            ps.clearParameters();
        }
        return ps;
    }

    /** Runs a statement with positional parameters and returns the update count. */
    public int update(String sql, Object... params) throws SQLException {
        PreparedStatement ps = prepare(sql);
        Rows.bind(ps, params);
        return ps.executeUpdate();
    }

    /** Runs {@code work} on {@code connection} with statements of its own, closed when it returns. */
    static <T> T once(Connection connection, SqlWork<T> work) throws SQLException {
        Tx tx = new Tx(connection, false);
        try {
            return work.run(tx);
        } finally {
            tx.closeStatements();
        }
    }

    /** True when {@code e} came from the database (an {@link SQLException} in its cause chain). */
    static boolean failedInSqlite(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException) return true;
        }
        return false;
    }

    /** Closes and forgets the cached statements; the next {@link #prepare} prepares afresh. */
    void clearCache() {
        for (PreparedStatement ps : cache.values()) {
            try {
                ps.close();
            } catch (SQLException ignored) {
                // a statement SQLite has already given up on
            }
        }
        cache.clear();
    }

    /** Closes uncached statements (read transactions). */
    void closeStatements() {
        for (PreparedStatement ps : opened) {
            try {
                ps.close();
            } catch (SQLException ignored) {
                // closing a statement of a connection that goes back to the pool
            }
        }
        opened.clear();
    }
}
