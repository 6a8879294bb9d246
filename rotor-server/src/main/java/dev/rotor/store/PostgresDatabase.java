package dev.rotor.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.rotor.config.DatabaseConfig;
import dev.rotor.config.Setting;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.flywaydb.core.Flyway;

/**
 * PostgreSQL through a HikariCP pool: each {@link #write} is one transaction on a pooled connection (READ COMMITTED,
 * PostgreSQL's default), each {@link #read} runs in autocommit. Several processes share the database; what one
 * of them writes is serialised by the database, not by a writer thread, so a write that reads and then changes
 * must make its change conditional or lock what it read.
 *
 * <p>Every wait is bounded, so that an unreachable or stuck database is an error within seconds, never a hang:
 * connecting ({@link #CONNECT_TIMEOUT}, {@link #LOGIN_TIMEOUT}), waiting for a pooled connection
 * ({@link #POOL_WAIT}), a statement on the server ({@link #STATEMENT_TIMEOUT}), an answer on the socket
 * ({@link #SOCKET_TIMEOUT}; {@link #MIGRATION_SOCKET_TIMEOUT} for migrations), a transaction left open by a vanished
 * client ({@link #IDLE_IN_TRANSACTION}). Each is a PgJDBC connection property; the same property in the URL wins.
 *
 * <p>Statements are prepared per unit of work and closed after it (an uncached {@link Tx}): PgJDBC keeps its own
 * per-connection cache of server-side prepared statements (after {@code prepareThreshold}, 5, uses of one SQL
 * text on a connection), which lives exactly as long as the physical connection. A cache of ours would have to
 * follow the pool's connections through their retirement; the SQLite writer's cache is simple only because it has
 * one connection for the life of the process.
 */
public final class PostgresDatabase implements Database {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration LOGIN_TIMEOUT = Duration.ofSeconds(5);
    static final Duration POOL_WAIT = Duration.ofSeconds(5);
    static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(10);
    /** Longer than the statement timeout, so that a slow statement is the server's clean error, not a dropped socket. */
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(30);
    static final Duration IDLE_IN_TRANSACTION = Duration.ofSeconds(60);
    /**
     * Migrations have no statement timeout (an index on a large table takes what it takes), but a silent network
     * still ends start-up within this.
     */
    static final Duration MIGRATION_SOCKET_TIMEOUT = Duration.ofMinutes(15);
    /** SQLStates of a write that lost to a concurrent one: serialization failure, deadlock, lock not available. */
    private static final Set<String> CONFLICTS = Set.of("40001", "40P01", "55P03");

    private final HikariDataSource pool;
    private final String shown;

    private PostgresDatabase(HikariDataSource pool, String shown) {
        this.pool = pool;
        this.shown = shown;
    }

    /**
     * Migrates the schema (Flyway, {@code db/migration/postgresql}; several processes starting at once take turns on
     * Flyway's advisory lock) and opens the pool.
     *
     * @throws StoreException when the database cannot be reached or migrated; the message masks the password
     */
    public static PostgresDatabase open(DatabaseConfig config) {
        return open(config, Setting.DB.env());
    }

    /**
     * As {@link #open(DatabaseConfig)}, for a database given elsewhere than in {@code ROTOR_DB}.
     *
     * @param givenAs where the operator gave it (a setting or a flag), named in the error message
     */
    public static PostgresDatabase open(DatabaseConfig config, String givenAs) {
        if (config.kind() != DatabaseConfig.Kind.POSTGRESQL) throw new IllegalArgumentException("not a PostgreSQL database: " + config);
        try {
            try (HikariDataSource migrations = migrationPool(config)) {
                Flyway.configure().dataSource(migrations).locations("classpath:db/migration/postgresql").load().migrate();
            }
            return new PostgresDatabase(pool(config, "rotor-db", config.poolSize(), STATEMENT_TIMEOUT, SOCKET_TIMEOUT), config.toString());
        } catch (RuntimeException e) {
            throw new StoreException("cannot open database " + config + " (" + givenAs + "): " + rootMessage(e), e);
        }
    }

    /** Migrations may run long: no statement timeout, a long socket timeout. */
    static HikariDataSource migrationPool(DatabaseConfig config) {
        return pool(config, "rotor-db-migrations", 2, Duration.ZERO, MIGRATION_SOCKET_TIMEOUT);
    }

    private static HikariDataSource pool(DatabaseConfig config, String name, int size, Duration statementTimeout, Duration socketTimeout) {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName(name);
        hc.setDriverClassName("org.postgresql.Driver");
        hc.setJdbcUrl(config.jdbcUrl());
        // Driver properties: PgJDBC lets the same property in the URL override these.
        hc.addDataSourceProperty("connectTimeout", seconds(CONNECT_TIMEOUT));
        hc.addDataSourceProperty("loginTimeout", seconds(LOGIN_TIMEOUT));
        hc.addDataSourceProperty("socketTimeout", seconds(socketTimeout));
        hc.addDataSourceProperty("tcpKeepAlive", "true");
        hc.addDataSourceProperty("ApplicationName", "rotor");
        // PgJDBC puts the server's DETAIL line in every exception message ("Failing row contains (...)", "Key
        // (username)=(...)"): password hashes, sealed keys and personal data would reach the log with it.
        hc.addDataSourceProperty("logServerErrorDetail", "false");
        hc.addDataSourceProperty("options", "-c statement_timeout=" + statementTimeout.toMillis()
                + " -c idle_in_transaction_session_timeout=" + IDLE_IN_TRANSACTION.toMillis());
        for (Map.Entry<String, String> c : config.credentials().entrySet()) hc.addDataSourceProperty(c.getKey(), c.getValue());
        hc.setMaximumPoolSize(size);
        hc.setMinimumIdle(1);
        hc.setConnectionTimeout(POOL_WAIT.toMillis());
        // Start-up fails at once when the first connection cannot be made (bounded by the login timeout).
        hc.setInitializationFailTimeout(1);
        return new HikariDataSource(hc);
    }

    private static String seconds(Duration d) {
        return Long.toString(d.toSeconds());
    }

    @Override
    public Vendor vendor() {
        return Vendor.POSTGRESQL;
    }

    /**
     * One transaction on a pooled connection: committed when {@code work} returns, rolled back when it throws. An
     * unchecked exception from {@code work} reaches the caller as it is; an {@link SQLException} becomes a
     * {@link StoreException} ({@link StoreException#conflict()} when the write lost to a concurrent transaction).
     */
    @Override
    public <T> T write(SqlWork<T> work) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            Tx tx = new Tx(c, false);
            try {
                T result = work.run(tx);
                c.commit();
                return result;
            } catch (Throwable e) {
                rollback(c, e);
                throw e;
            } finally {
                tx.closeStatements(); // the pool sets autocommit back when the connection returns
            }
        } catch (SQLException e) {
            throw failure("database write failed", e);
        }
    }

    private static void rollback(Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            // The connection is broken: the server rolls the transaction back when it goes; the pool drops it.
            cause.addSuppressed(e);
        }
    }

    /** Runs {@code work} on a pooled connection in autocommit (a snapshot per statement). */
    @Override
    public <T> T read(SqlWork<T> work) {
        try (Connection c = pool.getConnection()) {
            return Tx.once(c, work);
        } catch (SQLException e) {
            throw failure("database read failed", e);
        }
    }

    /**
     * The database answers and takes writes: a server that has become a read-only standby (after a failover, say)
     * answers {@code SELECT 1} but refuses every write, and a node on it must leave the load balancer's pool.
     */
    @Override
    public boolean ready() {
        try {
            return read(tx -> {
                try (java.sql.ResultSet rs = tx.prepare("SELECT NOT pg_is_in_recovery()").executeQuery()) {
                    return rs.next() && rs.getBoolean(1);
                }
            });
        } catch (RuntimeException e) {
            return false;
        }
    }

    private StoreException failure(String what, SQLException e) {
        boolean conflict = e.getSQLState() != null && CONFLICTS.contains(e.getSQLState());
        String state = e.getSQLState() == null ? "" : " [" + e.getSQLState() + "]";
        return new StoreException(what + (conflict ? " (lost to a concurrent transaction, rolled back)" : "") + state + ": "
                + e.getMessage(), e, conflict);
    }

    @Override
    public void close() {
        pool.close();
    }

    @Override
    public String toString() {
        return "PostgreSQL " + shown;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
