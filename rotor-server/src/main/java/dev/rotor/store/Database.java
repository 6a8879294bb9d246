package dev.rotor.store;

import dev.rotor.config.DatabaseConfig;

/**
 * The database the adapters work on: SQLite (embedded, one group-commit writer) or PostgreSQL (a connection
 * pool). Adapters depend on this and never on a vendor class; where the SQL of the two differs, an adapter asks
 * {@link #vendor()} once, when it is constructed.
 */
public interface Database extends AutoCloseable {

    /** Which SQL dialect the adapters must speak where the two differ. */
    enum Vendor { SQLITE, POSTGRESQL }

    /**
     * Opens (creating an SQLite file if needed) and migrates the configured database.
     *
     * @throws StoreException when it cannot be opened; the message masks any password
     */
    static Database open(DatabaseConfig config) {
        return switch (config.kind()) {
            case SQLITE -> SqliteDatabase.open(config.jdbcUrl());
            case POSTGRESQL -> PostgresDatabase.open(config);
        };
    }

    Vendor vendor();

    /**
     * Runs {@code work} in one write transaction and returns after its durable commit. When {@code work} throws,
     * the transaction is rolled back and nothing of it is visible; an unchecked exception reaches the caller as it
     * is, an {@link java.sql.SQLException} as a {@link StoreException}.
     *
     * <p>Isolation: on SQLite every write of the process runs in the one writer, so a write sees no other write
     * between its statements. On PostgreSQL writes run at once on several connections and processes (READ
     * COMMITTED): a write that reads and then changes must make the change conditional ({@code UPDATE ... WHERE}
     * the state it read), rely on a unique constraint, or lock what it read. {@code work} may run more than once
     * (SQLite runs it again alone when a piece of its group fails), so it must be a function of the database state.
     */
    <T> T write(SqlWork<T> work);

    /** Runs {@code work} on a read connection (autocommit: a consistent snapshot per statement). */
    <T> T read(SqlWork<T> work);

    /** True when {@code SELECT 1} answers (within the vendor's bounded waits); never throws. */
    default boolean ping() {
        try {
            return read(tx -> {
                try (java.sql.ResultSet rs = tx.prepare("SELECT 1").executeQuery()) {
                    return rs.next();
                }
            });
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** True when the database takes reads and writes now (readiness); by default, when it answers a query. */
    default boolean ready() {
        return ping();
    }

    /** Starts the background work the vendor needs (SQLite: the checkpointer); a no-op elsewhere. */
    default void startBackground() {}

    @Override
    void close();
}
