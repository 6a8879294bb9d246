package dev.rotor.outbox;

import java.time.Instant;

/** One row of a durable outbox, as {@link OutboxDeliverer} needs to see it: what it retries and when it gives up. */
public interface Queued {
    String id();

    /** How many attempts were tried and failed so far. */
    int attempts();

    /** When it was queued: the delivery is abandoned {@link OutboxDeliverer.Settings#giveUpAfter} later. */
    Instant createdAt();
}
