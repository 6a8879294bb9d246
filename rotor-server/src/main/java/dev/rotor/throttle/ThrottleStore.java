package dev.rotor.throttle;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Failed sign-in counters, shared by every node through the database. Narrow: it counts and stores what the core
 * computed; {@link Throttle} holds the rules.
 */
public interface ThrottleStore {
    /**
     * A counter: {@code failures} since {@code windowStart}, and the time before which attempts under this key are
     * refused (null when they are not).
     */
    record Counter(String key, int failures, Instant windowStart, Instant blockedUntil) {}

    /** The counters of these keys that exist, in any order. */
    List<Counter> find(List<String> keys);

    /**
     * Counts one failure under {@code key}, atomically across nodes: a counter whose window started before
     * {@code windowCutoff} (or none) starts again at one with its window at {@code now}; otherwise it goes up by one.
     * Returns the counter after the change.
     */
    Counter recordFailure(String key, Instant now, Instant windowCutoff);

    /** Refuses attempts under {@code key} until {@code until}, unless it is refused longer already. */
    void blockUntil(String key, Instant until);

    /** Forgets the counter (a success under it). */
    void clear(String key);

    /** Deletes counters whose window started before {@code windowCutoff} and whose block is over at {@code now}. */
    int deleteStale(Instant windowCutoff, Instant now);

    /** For tests and the operator: the counter under {@code key}. */
    default Optional<Counter> find(String key) {
        return find(List.of(key)).stream().findFirst();
    }
}
