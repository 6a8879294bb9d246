package dev.rotor.mfa;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GuessThrottleTest {
    private static final Instant LAST = Instant.parse("2026-12-03T14:00:00Z");

    @ParameterizedTest(name = "{0} failures: waits {1} s")
    @CsvSource({"0, 0", "4, 0", "5, 60", "6, 120", "7, 240", "10, 1920", "11, 3600", "12, 3600", "40, 3600", "2147483647, 3600"})
    void theWaitDoublesFromOneMinuteAfterFiveFailuresAndStopsAtAnHour(int failures, long seconds) {
        if (seconds > 0) assertThat(GuessThrottle.isThrottled(failures, LAST, LAST.plusSeconds(seconds - 1))).isTrue();
        assertThat(GuessThrottle.isThrottled(failures, LAST, LAST.plusSeconds(seconds))).isFalse();
    }

    @ParameterizedTest(name = "{0} failures")
    @CsvSource({"5", "40"})
    void withoutATimeOfTheLastFailureNothingWaits(int failures) {
        assertThat(GuessThrottle.isThrottled(failures, null, LAST)).isFalse();
    }
}
