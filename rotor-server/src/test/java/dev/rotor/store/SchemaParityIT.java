package dev.rotor.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rule of db/migration: a version means the same in both folders. After migrating, SQLite and PostgreSQL have
 * the same versions, tables, columns (type family, nullability, default), keys, foreign keys and indexes; times
 * are BIGINT on PostgreSQL, as SQLite's INTEGER is 64 bits.
 */
class SchemaParityIT {
    /** Columns holding epoch milliseconds. */
    private static final Pattern TIME = Pattern.compile("at|.*_at|.*_until|auth_time");
    private static final Pattern FOREIGN_KEY = Pattern.compile("FOREIGN KEY \\((\\w+)\\) REFERENCES (\\w+)\\((\\w+)\\)");
    private static final Pattern INDEX = Pattern.compile("CREATE (UNIQUE )?INDEX \\w+ ON \\S+ USING btree \\(([^)]*)\\)( WHERE .*)?");

    @TempDir
    Path dir;

    private PostgresFixture pg;

    @AfterEach
    void close() {
        if (pg != null) pg.close();
    }

    /** What the comparison sees of a schema, every part sorted. */
    record Shape(List<String> versions, TreeMap<String, String> columns, TreeSet<String> keys, TreeSet<String> indexes) {}

    @Test
    void bothDatabasesHaveTheSameSchemaAfterEveryMigration() throws SQLException {
        String sqliteUrl = "jdbc:sqlite:" + dir.resolve("rotor.db");
        SqliteDatabase.open(sqliteUrl).close();
        pg = PostgresFixture.create();
        pg.open().close();

        Shape sqlite;
        try (Connection c = DriverManager.getConnection(sqliteUrl)) {
            sqlite = sqlite(c);
        }
        Shape postgres;
        try (Connection c = pg.connect()) {
            postgres = postgres(c);
        }

        assertThat(postgres.versions()).isEqualTo(sqlite.versions()).isNotEmpty();
        assertThat(postgres.columns()).isEqualTo(sqlite.columns());
        assertThat(postgres.keys()).isEqualTo(sqlite.keys());
        assertThat(postgres.indexes()).isEqualTo(sqlite.indexes());
        assertThat(sqlite.columns()).containsKey("users.username");
    }

    @Test
    void timesAreBigintOnPostgresql() throws SQLException {
        pg = PostgresFixture.create();
        pg.open().close();
        List<String> narrow = new ArrayList<>();
        try (Connection c = pg.connect(); ResultSet rs = c.createStatement().executeQuery("SELECT table_name, column_name, data_type "
                + "FROM information_schema.columns WHERE table_schema = current_schema() AND table_name <> 'flyway_schema_history'")) {
            int times = 0;
            while (rs.next()) {
                if (!TIME.matcher(rs.getString(2)).matches()) continue;
                times++;
                if (!rs.getString(3).equals("bigint")) narrow.add(rs.getString(1) + "." + rs.getString(2) + " " + rs.getString(3));
            }
            assertThat(times).isGreaterThan(10);
        }
        assertThat(narrow).isEmpty();
    }

    private static Shape sqlite(Connection c) throws SQLException {
        List<String> versions = versions(c);
        TreeMap<String, String> columns = new TreeMap<>();
        TreeSet<String> keys = new TreeSet<>();
        TreeSet<String> indexes = new TreeSet<>();
        try (Statement s = c.createStatement()) {
            for (String table : list(s, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                    + "AND name <> 'flyway_schema_history'")) {
                List<String> pk = new ArrayList<>();
                try (ResultSet rs = s.executeQuery("PRAGMA table_info(" + table + ")")) {
                    TreeMap<Integer, String> pkByPosition = new TreeMap<>();
                    while (rs.next()) {
                        boolean inPk = rs.getInt("pk") > 0;
                        if (inPk) pkByPosition.put(rs.getInt("pk"), rs.getString("name"));
                        // A primary key column is never null in PostgreSQL; SQLite's rowid tables merely fail to say so.
                        columns.put(table + "." + rs.getString("name"), column(rs.getString("type"),
                                rs.getInt("notnull") != 0 || inPk, rs.getString("dflt_value")));
                    }
                    pk.addAll(pkByPosition.values());
                }
                keys.add(table + " primary key (" + String.join(", ", pk) + ")");
                try (ResultSet rs = s.executeQuery("PRAGMA foreign_key_list(" + table + ")")) {
                    while (rs.next()) keys.add(table + "." + rs.getString("from") + " references " + rs.getString("table") + "." + rs.getString("to"));
                }
                List<String[]> indexList = new ArrayList<>();
                try (ResultSet rs = s.executeQuery("PRAGMA index_list(" + table + ")")) {
                    while (rs.next()) {
                        indexList.add(new String[] {rs.getString("name"), rs.getString("origin"), rs.getString("unique"), rs.getString("partial")});
                    }
                }
                for (String[] index : indexList) {
                    String cols = String.join(", ", list(s, "SELECT name FROM pragma_index_info('" + index[0] + "') ORDER BY seqno"));
                    switch (index[1]) {
                        case "u" -> keys.add(table + " unique (" + cols + ")");
                        case "c" -> indexes.add(index(index[0], table, cols, index[2].equals("1"), index[3].equals("1")));
                        default -> { } // "pk": the primary key, seen above
                    }
                }
            }
        }
        return new Shape(versions, columns, keys, indexes);
    }

    private static Shape postgres(Connection c) throws SQLException {
        List<String> versions = versions(c);
        TreeMap<String, String> columns = new TreeMap<>();
        TreeSet<String> keys = new TreeSet<>();
        TreeSet<String> indexes = new TreeSet<>();
        try (Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT table_name, column_name, data_type, is_nullable, column_default "
                    + "FROM information_schema.columns WHERE table_schema = current_schema() AND table_name <> 'flyway_schema_history'")) {
                while (rs.next()) {
                    columns.put(rs.getString(1) + "." + rs.getString(2), column(rs.getString(3), rs.getString(4).equals("NO"), rs.getString(5)));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT c.conrelid::regclass::text, c.contype, "
                    + "(SELECT string_agg(a.attname, ', ' ORDER BY k.ord) FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord) "
                    + "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum), pg_get_constraintdef(c.oid) "
                    + "FROM pg_constraint c WHERE c.connamespace = current_schema()::regnamespace AND c.contype IN ('p', 'u', 'f') "
                    + "AND c.conrelid::regclass::text <> 'flyway_schema_history'")) {
                while (rs.next()) {
                    String table = rs.getString(1);
                    switch (rs.getString(2)) {
                        case "p" -> keys.add(table + " primary key (" + rs.getString(3) + ")");
                        case "u" -> keys.add(table + " unique (" + rs.getString(3) + ")");
                        default -> {
                            Matcher m = FOREIGN_KEY.matcher(rs.getString(4));
                            assertThat(m.matches()).as(rs.getString(4)).isTrue();
                            keys.add(table + "." + m.group(1) + " references " + m.group(2) + "." + m.group(3));
                        }
                    }
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT i.indexname, i.tablename, i.indexdef FROM pg_indexes i "
                    + "WHERE i.schemaname = current_schema() AND i.tablename <> 'flyway_schema_history' "
                    + "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)")) {
                while (rs.next()) {
                    Matcher m = INDEX.matcher(rs.getString(3));
                    assertThat(m.matches()).as(rs.getString(3)).isTrue();
                    indexes.add(index(rs.getString(1), rs.getString(2), m.group(2), m.group(1) != null, m.group(3) != null));
                }
            }
        }
        return new Shape(versions, columns, keys, indexes);
    }

    private static String index(String name, String table, String columns, boolean unique, boolean partial) {
        return (unique ? "unique " : "") + "index " + name + " on " + table + " (" + columns + ")" + (partial ? " partial" : "");
    }

    /** The type's family, nullability and whether a default exists. */
    private static String column(String type, boolean notNull, String defaultValue) {
        String family = switch (type.toLowerCase()) {
            case "integer", "bigint" -> "integer";
            case "text" -> "text";
            case "blob", "bytea" -> "binary";
            default -> "unexpected " + type;
        };
        return family + (notNull ? " not null" : "") + (defaultValue != null ? " default" : "");
    }

    private static List<String> versions(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            return list(s, "SELECT version || ' ' || description FROM flyway_schema_history WHERE success ORDER BY installed_rank");
        }
    }

    private static List<String> list(Statement s, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }
}
