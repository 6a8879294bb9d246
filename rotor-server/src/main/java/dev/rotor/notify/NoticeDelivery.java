package dev.rotor.notify;

import dev.rotor.outbox.Queued;
import java.time.Instant;
import java.util.Objects;

/**
 * One row of the notice outbox: a {@link SecurityNotice} still to deliver.
 *
 * @param attempts      how many attempts were tried and failed so far
 * @param nextAttemptAt when it is due
 * @param lastStatus    the HTTP status of the last failed attempt; null before the first, or after a network error
 */
public record NoticeDelivery(SecurityNotice notice, int attempts, Instant nextAttemptAt, Integer lastStatus, Instant createdAt)
        implements Queued {
    public NoticeDelivery {
        Objects.requireNonNull(notice);
        Objects.requireNonNull(nextAttemptAt);
        Objects.requireNonNull(createdAt);
    }

    /** The notice's id: one row per notice. */
    @Override
    public String id() {
        return notice.id();
    }
}
