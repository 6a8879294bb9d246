package dev.rotor.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Real UTC time plus an offset that a test moves forward by hand, so grace windows, access-token expiry and
 * session lifetimes can be crossed deterministically without sleeping. Pass it to
 * {@link TestServer#start(java.util.Map, Clock)}; advancing it moves the whole server's notion of "now".
 */
public final class TestClock extends Clock {
    private final Clock base;
    private volatile Duration offset = Duration.ZERO;

    public TestClock() {
        this(Clock.systemUTC());
    }

    private TestClock(Clock base) {
        this.base = base;
    }

    /** Moves this clock forward; it never goes back. */
    public synchronized void advance(Duration by) {
        if (by.isNegative()) throw new IllegalArgumentException("a clock only moves forward");
        offset = offset.plus(by);
    }

    @Override
    public Instant instant() {
        return base.instant().plus(offset);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        if (zone.equals(ZoneOffset.UTC)) return this;
        throw new UnsupportedOperationException("TestClock is UTC only");
    }
}
