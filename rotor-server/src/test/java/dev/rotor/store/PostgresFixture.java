package dev.rotor.store;

import dev.rotor.config.DatabaseConfig;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Assumptions;

/**
 * A fresh, empty PostgreSQL database for one test (or one test class), dropped by {@link #close()}, so that tests
 * never see each other's data and run any number of times, also beside another run of the suite.
 *
 * <p>The server is {@code -Drotor.test.postgres=URL} (any {@code ROTOR_DB} form naming a database to connect to
 * for {@code CREATE DATABASE}), by default {@code postgresql://postgres@127.0.0.1:5432/test}. When it does not
 * answer, PostgreSQL tests are skipped, or fail with {@code -Drotor.test.postgres.required=true}.
 *
 * <p>Each database gets a linguistic default collation (ICU en-US, where the server has ICU), as most production
 * databases have, so that the tests see what the schema's {@code COLLATE "C"} is for.
 */
public final class PostgresFixture implements AutoCloseable {
    private static final String SERVER = System.getProperty("rotor.test.postgres", "postgresql://postgres@127.0.0.1:5432/test");
    private static final boolean REQUIRED = Boolean.getBoolean("rotor.test.postgres.required");
    private static final String PREFIX = "rotor_t_";
    /** Databases left behind by a killed run are dropped once they are this old. */
    private static final long STALE_SECONDS = 3600;
    private static final AtomicBoolean SWEPT = new AtomicBoolean();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String name;
    private final List<AutoCloseable> opened = new ArrayList<>();
    private boolean closed;

    private PostgresFixture(String name) {
        this.name = name;
    }

    /** Creates the database, or skips the calling test when no PostgreSQL server answers. */
    public static PostgresFixture create() {
        String name = PREFIX + (System.currentTimeMillis() / 1000) + "_" + HexFormat.of().formatHex(bytes(6));
        try (Connection c = admin(); Statement s = c.createStatement()) {
            if (SWEPT.compareAndSet(false, true)) dropStale(s);
            try {
                s.execute("CREATE DATABASE " + name + " TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'en-US'");
            } catch (SQLException noIcu) {
                s.execute("CREATE DATABASE " + name);
            }
        } catch (SQLException e) {
            if (REQUIRED) throw new IllegalStateException("PostgreSQL at " + server() + " is required for this test", e);
            Assumptions.abort("no PostgreSQL at " + server() + " (" + e.getMessage() + "); -Drotor.test.postgres=URL names another");
        }
        return new PostgresFixture(name);
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    /** The database as a {@code ROTOR_DB} value. */
    public String url() {
        DatabaseConfig server = server();
        String base = server.jdbcUrl().substring("jdbc:".length());
        String hosts = base.substring("postgresql://".length(), base.indexOf('/', "postgresql://".length()));
        String user = server.user() == null ? "" : encode(server.user()) + (server.password() == null ? "" : ":" + encode(server.password())) + "@";
        return "postgresql://" + user + hosts + "/" + name;
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    public String name() {
        return name;
    }

    public DatabaseConfig config(int poolSize) {
        return DatabaseConfig.parse(url(), Path.of("."), poolSize);
    }

    /** The database opened (migrated) with a small pool; closed with the fixture. */
    public PostgresDatabase open() {
        return open(config(8));
    }

    public PostgresDatabase open(DatabaseConfig config) {
        PostgresDatabase db = PostgresDatabase.open(config);
        opened.add(db);
        return db;
    }

    /** A plain connection to this database, outside Rotor's pool. */
    public Connection connect() throws SQLException {
        DatabaseConfig c = config(1);
        return DriverManager.getConnection(c.jdbcUrl(), properties(c));
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        for (AutoCloseable c : opened) {
            try {
                c.close();
            } catch (Exception ignored) {
                // dropped with FORCE below anyway
            }
        }
        try (Connection c = admin(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop test database " + name, e);
        }
    }

    private static void dropStale(Statement s) throws SQLException {
        long now = System.currentTimeMillis() / 1000;
        List<String> stale = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SELECT datname FROM pg_database WHERE datname LIKE '" + PREFIX + "%'")) {
            while (rs.next()) {
                String[] parts = rs.getString(1).substring(PREFIX.length()).split("_");
                if (parts.length == 2 && parts[0].matches("[0-9]+") && now - Long.parseLong(parts[0]) > STALE_SECONDS) stale.add(rs.getString(1));
            }
        }
        for (String db : stale) s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
    }

    private static DatabaseConfig server() {
        return DatabaseConfig.parse(SERVER, Path.of("."), 1);
    }

    private static Connection admin() throws SQLException {
        DatabaseConfig c = server();
        DriverManager.setLoginTimeout(3);
        return DriverManager.getConnection(c.jdbcUrl(), properties(c));
    }

    private static Properties properties(DatabaseConfig c) {
        Properties p = new Properties();
        p.putAll(c.credentials());
        p.setProperty("connectTimeout", "3");
        return p;
    }
}
