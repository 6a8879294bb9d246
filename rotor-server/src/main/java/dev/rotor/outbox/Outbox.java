package dev.rotor.outbox;

import java.time.Instant;
import java.util.List;

/**
 * A durable outbox on the database, shared by every node: the store persists and hands out rows;
 * {@link OutboxDeliverer} decides what happens to them.
 *
 * @param <Q> a row, with what one attempt needs to deliver it
 */
public interface Outbox<Q extends Queued> {
    /**
     * Takes up to {@code limit} rows that are due at {@code now} and not held by another deliverer, and holds them until
     * {@code leaseUntil}. Atomic: of any number of concurrent claims, on this node or on others sharing the database,
     * each row goes to at most one until its lease runs out. Oldest due first; empty when none is due.
     */
    List<Q> claim(Instant now, Instant leaseUntil, int limit);

    /** Delivered or given up: the row is deleted. A row that is gone already is no error. */
    void remove(String id);

    /** A failed attempt: records it, releases the lease and makes the row due again at {@code nextAttemptAt}. */
    void reschedule(String id, int attempts, Instant nextAttemptAt, Integer lastStatus);

    /** Rows queued and not yet delivered or given up (for tests and for an operator's look at the backlog). */
    int pending();
}
