package dev.rotor.mfa;

import java.time.Duration;
import java.time.Instant;

/**
 * RFC 4226 §7.3: guessing a user's codes is throttled. After {@link #FREE_FAILURES} wrong codes in a row, the next
 * attempt waits {@link #FIRST_DELAY} from the last failure, and each further failure doubles the wait, up to
 * {@link #MAX_DELAY}. At 24 guesses an hour, with 3 codes in a million accepted per guess, a year of guessing has
 * under a 3% chance.
 */
final class GuessThrottle {
    static final int FREE_FAILURES = 5;
    static final Duration FIRST_DELAY = Duration.ofMinutes(1);
    static final Duration MAX_DELAY = Duration.ofHours(1);

    private GuessThrottle() {}

    /** Whether an attempt at {@code now} must wait, after {@code failures} wrong codes, the last at {@code failedAt}. */
    static boolean isThrottled(int failures, Instant failedAt, Instant now) {
        if (failures < FREE_FAILURES || failedAt == null) return false;
        int doublings = Math.min(failures - FREE_FAILURES, 12);
        Duration delay = FIRST_DELAY.multipliedBy(1L << doublings);
        if (delay.compareTo(MAX_DELAY) > 0) delay = MAX_DELAY;
        return now.isBefore(failedAt.plus(delay));
    }
}
