package dev.rotor.logout;

import dev.rotor.outbox.Queued;
import dev.rotor.session.LogoutNotice;
import java.time.Instant;
import java.util.Objects;

/**
 * One row of the back-channel logout outbox: a {@link LogoutNotice} still to deliver.
 *
 * @param attempts      how many POSTs were tried and failed so far
 * @param nextAttemptAt when it is due
 * @param lastStatus    the HTTP status of the last failed attempt; null before the first, or after a network error
 */
public record LogoutDelivery(String id, LogoutNotice notice, int attempts, Instant nextAttemptAt, Integer lastStatus, Instant createdAt)
        implements Queued {
    public LogoutDelivery {
        Objects.requireNonNull(id);
        Objects.requireNonNull(notice);
        Objects.requireNonNull(nextAttemptAt);
        Objects.requireNonNull(createdAt);
    }
}
