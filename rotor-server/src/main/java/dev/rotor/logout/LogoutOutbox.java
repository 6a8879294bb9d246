package dev.rotor.logout;

import dev.rotor.session.LogoutNotice;
import java.time.Instant;
import java.util.List;

/**
 * The durable outbox of back-channel logouts. Notices usually enter it with the revocation that caused them (through
 * the refresh-token store, in its transaction); {@link #enqueue} is for the rest. The store persists and hands out
 * rows; {@link LogoutDeliverer} decides what happens to them.
 */
public interface LogoutOutbox {
    /**
     * Queues each notice, due at {@code now}, unless an undelivered row for the same client, URI, subject and
     * {@code sid} is queued already (one logout token per client per single sign-on session is enough).
     */
    void enqueue(List<LogoutNotice> notices, Instant now);

    /**
     * Takes up to {@code limit} rows that are due at {@code now} and not held by another deliverer, and holds them until
     * {@code leaseUntil}. Atomic: of any number of concurrent claims, on this node or on others sharing the database,
     * each row goes to at most one until its lease runs out. Oldest due first; empty when none is due.
     */
    List<LogoutDelivery> claim(Instant now, Instant leaseUntil, int limit);

    /** Delivered or given up: the row is deleted. A row that is gone already is no error. */
    void remove(String id);

    /** A failed attempt: records it, releases the lease and makes the row due again at {@code nextAttemptAt}. */
    void reschedule(String id, int attempts, Instant nextAttemptAt, Integer lastStatus);

    /** Rows queued and not yet delivered or given up (for tests and for an operator's look at the backlog). */
    int pending();
}
