package dev.rotor.store;

/**
 * The database the adapters work on: SQLite (embedded, one group-commit writer) or PostgreSQL (a connection
 * pool). Adapters depend on this and never on a vendor class.
 */
public interface Database extends AutoCloseable {

    /** Which SQL dialect the adapters must speak where the two differ. */
    enum Vendor { SQLITE, POSTGRESQL }

    Vendor vendor();

    /**
     * Runs {@code work} in one write transaction and returns after its durable commit. When {@code work} throws,
     * the transaction is rolled back and nothing of it is visible.
     */
    <T> T write(SqlWork<T> work);

    /** Runs {@code work} on a read connection (autocommit: a consistent snapshot per statement). */
    <T> T read(SqlWork<T> work);

    /** True when a trivial query answers. */
    boolean ping();

    /** True when the database takes reads and writes now (readiness); by default, when it answers a query. */
    default boolean ready() {
        return ping();
    }

    /** Starts the background work the vendor needs (SQLite: the checkpointer); a no-op elsewhere. */
    default void startBackground() {}

    @Override
    void close();
}
