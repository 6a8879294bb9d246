package dev.rotor.logout;

import dev.rotor.session.LogoutNotice;
import dev.rotor.outbox.Outbox;
import java.time.Instant;
import java.util.List;

/**
 * The durable outbox of back-channel logouts. Notices usually enter it with the revocation that caused them (through
 * the refresh-token store, in its transaction); {@link #enqueue} is for the rest. The store persists and hands out
 * rows (claims, leases and retries as every {@link Outbox}); {@link LogoutDeliverer} decides what happens to them.
 */
public interface LogoutOutbox extends Outbox<LogoutDelivery> {
    /**
     * Queues each notice, due at {@code now}, unless an undelivered row for the same client, URI, subject and
     * {@code sid} is queued already (one logout token per client per single sign-on session is enough).
     */
    void enqueue(List<LogoutNotice> notices, Instant now);
}
