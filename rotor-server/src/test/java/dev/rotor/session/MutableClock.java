package dev.rotor.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A test clock that stands still until a test moves it. Shared by the session, store and token tests. */
public final class MutableClock extends Clock {
    public static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    private volatile Instant now;

    public MutableClock(Instant start) {
        this.now = start;
    }

    public MutableClock() {
        this(T0);
    }

    public MutableClock advance(Duration d) {
        now = now.plus(d);
        return this;
    }

    public MutableClock set(Instant instant) {
        now = instant;
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
