package dev.rotor.config;

import java.time.Duration;

/**
 * The fixed times of the signing-key life cycle. They are not settings, but settings are checked against them (an
 * automatic rotation must leave the next key published long enough), so they live here, below {@code token/}.
 */
public final class KeySchedule {
    /** Every node reloads its signing keys from the store this often. */
    public static final Duration RELOAD = Duration.ofSeconds(30);
    /** How long resource servers may cache the JWKS (its {@code Cache-Control: max-age}). */
    public static final Duration JWKS_MAX_AGE = Duration.ofMinutes(5);
    /** How long a next key must have been published before it may sign: a JWKS cache lifetime plus a reload. */
    public static final Duration NEXT_KEY_LEAD = JWKS_MAX_AGE.plus(RELOAD);

    private KeySchedule() {}
}
