package dev.rotor.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Copies every row of an SQLite database into an empty PostgreSQL database ({@code rotor db copy}): the move of a
 * deployment to PostgreSQL. Both are migrated to the same schema version first (by opening them), so they have the
 * same tables and columns (the rule of {@code db/migration}); the copy takes each table's column list from the
 * schema and moves the values as they are: sealed keys and secrets as bytes (the same master key opens them),
 * hashes as text, times as the epoch milliseconds they are.
 *
 * <p>All or nothing: one transaction on the target, which first locks the tables and checks that none holds a row,
 * and one read transaction on the source, so that the copy is a snapshot of one moment while a server may go on
 * writing there. A failure rolls everything back and leaves the target without rows.
 */
public final class DatabaseCopy {
    /**
     * The tables that hold data, in the order they are filled: parents before the rows that reference them
     * (sessions reference users and clients, security notices still to deliver their audit events). Notices are
     * copied: the audit ids they name are copied as they are, and a moved deployment still owes them.
     */
    public static final List<String> TABLES = List.of("users", "clients", "sessions", "refresh_token_uses", "refresh_tokens",
            "sso_sessions", "sso_session_families", "authorization_codes", "consents", "risk_known", "risk_last_sign_ins",
            "logout_deliveries", "mfa_totp", "mfa_recovery_codes", "signing_keys", "server_secrets", "audit_events",
            "notice_deliveries");
    /**
     * Flyway's history (each database has its own), the readiness probe's table (its row is always rolled back) and
     * the sign-in throttle's counters (they last one window, 15 minutes; a moved deployment counts afresh).
     */
    static final Set<String> NOT_COPIED = Set.of("flyway_schema_history", "health_probe", "sign_in_throttle");
    /** Rows per JDBC batch: one round trip each, and a bounded amount of the source in memory. */
    static final int BATCH = 2000;

    private DatabaseCopy() {}

    /** What a copy did. */
    public sealed interface Outcome {
        /** Every row copied; rows per table, in {@link #TABLES} order. */
        record Copied(Map<String, Long> rows) implements Outcome {
            public Copied {
                rows = Collections.unmodifiableMap(new LinkedHashMap<>(rows));
            }
        }

        /** The target holds rows already, in these tables; nothing was written to it. */
        record TargetNotEmpty(List<String> tables) implements Outcome {
            public TargetNotEmpty {
                tables = List.copyOf(tables);
            }
        }
    }

    /** How a column's values are carried: the PostgreSQL type family, which SQLite's values must match. */
    private enum Kind { INTEGER, TEXT, BINARY }

    private record Column(String name, Kind kind) {}

    /**
     * Copies {@code source} into {@code target}, which must hold no row in any of {@link #TABLES}.
     *
     * @throws StoreException when a database fails or refuses a value; nothing was committed to the target, and the
     *                        message names the table but never a value (values are password hashes and sealed keys)
     */
    public static Outcome copy(SqliteDatabase source, PostgresDatabase target) {
        return target.write(to -> {
            // No other process may write while the target is checked and filled: a node started on it too early
            // would otherwise add its own signing keys beside the copied ones.
            to.prepare("LOCK TABLE " + String.join(", ", TABLES) + " IN EXCLUSIVE MODE").execute();
            List<String> holdingRows = new ArrayList<>();
            for (String table : TABLES) {
                try (ResultSet rs = to.prepare("SELECT EXISTS (SELECT 1 FROM " + table + ")").executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) holdingRows.add(table);
                }
            }
            if (!holdingRows.isEmpty()) return new Outcome.TargetNotEmpty(holdingRows);
            return source.readSnapshot(from -> {
                checkTables(from, to);
                Map<String, Long> rows = new LinkedHashMap<>();
                for (String table : TABLES) rows.put(table, copyTable(from, to, table));
                continueAuditIds(from, to);
                return new Outcome.Copied(rows);
            });
        });
    }

    /** Both schemas hold exactly the tables this copy knows (a new table must be added to {@link #TABLES}). */
    private static void checkTables(Tx from, Tx to) throws SQLException {
        Set<String> known = new TreeSet<>(TABLES);
        Set<String> sqlite = tables(from, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
        Set<String> postgres = tables(to, "SELECT table_name FROM information_schema.tables "
                + "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'");
        if (!sqlite.equals(known) || !postgres.equals(known)) {
            throw new SQLException("the schemas hold other tables than db copy knows " + known + ": SQLite " + sqlite + ", PostgreSQL " + postgres);
        }
    }

    private static Set<String> tables(Tx tx, String sql) throws SQLException {
        Set<String> names = new TreeSet<>();
        try (ResultSet rs = tx.prepare(sql).executeQuery()) {
            while (rs.next()) names.add(rs.getString(1));
        }
        names.removeAll(NOT_COPIED);
        return names;
    }

    /** Copies one table in batches, in primary-key order; returns the number of rows. */
    private static long copyTable(Tx from, Tx to, String table) throws SQLException {
        List<Column> columns = postgresColumns(to, table);
        List<String> names = columns.stream().map(Column::name).toList();
        List<String> key = new ArrayList<>();
        Set<String> sqliteNames = new TreeSet<>();
        PreparedStatement info = from.prepare("SELECT name, pk FROM pragma_table_info(?) ORDER BY pk");
        info.setString(1, table);
        try (ResultSet rs = info.executeQuery()) {
            while (rs.next()) {
                sqliteNames.add(rs.getString(1));
                if (rs.getInt(2) > 0) key.add(rs.getString(1));
            }
        }
        if (!sqliteNames.equals(new TreeSet<>(names))) {
            throw new SQLException("the columns of " + table + " differ: SQLite " + sqliteNames + ", PostgreSQL " + new TreeSet<>(names));
        }
        String list = String.join(", ", names);
        PreparedStatement select = from.prepare("SELECT " + list + " FROM " + table + (key.isEmpty() ? "" : " ORDER BY " + String.join(", ", key)));
        PreparedStatement insert = to.prepare("INSERT INTO " + table + " (" + list + ") VALUES ("
                + String.join(", ", Collections.nCopies(names.size(), "?")) + ")");
        long rows = 0;
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                rows++;
                for (int i = 0; i < columns.size(); i++) bind(insert, i + 1, columns.get(i), rs.getObject(i + 1), table, rows);
                insert.addBatch();
                if (rows % BATCH == 0) flush(insert, table, rows);
            }
        }
        if (rows % BATCH != 0) flush(insert, table, rows);
        return rows;
    }

    private static List<Column> postgresColumns(Tx to, String table) throws SQLException {
        PreparedStatement ps = to.prepare("SELECT column_name, data_type FROM information_schema.columns "
                + "WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position");
        ps.setString(1, table);
        List<Column> columns = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Kind kind = switch (rs.getString(2)) {
                    case "integer", "bigint" -> Kind.INTEGER;
                    case "text" -> Kind.TEXT;
                    case "bytea" -> Kind.BINARY;
                    default -> throw new SQLException(table + "." + rs.getString(1) + " is of type " + rs.getString(2) + ", which db copy does not carry");
                };
                columns.add(new Column(rs.getString(1), kind));
            }
        }
        return columns;
    }

    /**
     * Binds a value read from SQLite, which must be of the column's family: SQLite keeps what it was given, and a
     * value of another kind is an error here rather than a silent conversion.
     */
    private static void bind(PreparedStatement insert, int index, Column column, Object value, String table, long row) throws SQLException {
        switch (column.kind()) {
            case INTEGER -> {
                if (value instanceof Integer || value instanceof Long) insert.setLong(index, ((Number) value).longValue());
                else if (value == null) insert.setNull(index, Types.BIGINT);
                else throw wrongKind(table, column, row, value);
            }
            case TEXT -> {
                if (value instanceof String s) insert.setString(index, s);
                else if (value == null) insert.setNull(index, Types.VARCHAR);
                else throw wrongKind(table, column, row, value);
            }
            case BINARY -> {
                if (value instanceof byte[] b) insert.setBytes(index, b);
                else if (value == null) insert.setNull(index, Types.BINARY);
                else throw wrongKind(table, column, row, value);
            }
        }
    }

    private static SQLException wrongKind(String table, Column column, long row, Object value) {
        return new SQLException("row " + row + " of " + table + " holds a " + value.getClass().getSimpleName() + " in " + column.name()
                + ", which is " + column.kind().name().toLowerCase() + " on PostgreSQL");
    }

    /**
     * Sends the batch. PgJDBC's message for a failed batch quotes the statement with its values, and the server's
     * detail the failing row; those are password hashes and sealed keys, so only the first line of the server's own
     * message is kept, without the exception as the cause.
     */
    private static void flush(PreparedStatement insert, String table, long rows) throws SQLException {
        try {
            insert.executeBatch();
        } catch (SQLException e) {
            SQLException server = e.getNextException() != null ? e.getNextException() : e;
            String message = server.getMessage() == null ? server.getClass().getSimpleName() : server.getMessage().lines().findFirst().orElse("");
            long first = (rows - 1) / BATCH * BATCH + 1;
            throw new SQLException("copying " + table + " (rows " + first + "-" + rows + "): " + message, server.getSQLState());
        }
    }

    /**
     * Sets the target's audit id sequence past every id the source used (its largest id, or SQLite's AUTOINCREMENT
     * record if events were deleted by hand), so that new events never take an id an old one had.
     */
    private static void continueAuditIds(Tx from, Tx to) throws SQLException {
        long used;
        try (ResultSet rs = from.prepare("SELECT max(coalesce((SELECT max(id) FROM audit_events), 0), "
                + "coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'audit_events'), 0))").executeQuery()) {
            rs.next();
            used = rs.getLong(1);
        }
        PreparedStatement setval = to.prepare("SELECT setval(pg_get_serial_sequence('audit_events', 'id'), ?, false)");
        setval.setLong(1, used + 1);
        setval.execute();
    }
}
