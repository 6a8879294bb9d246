package dev.rotor.throttle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotor.session.MutableClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The throttling rules over the in-memory store, under a clock the test moves. */
class ThrottleTest {
    private static final Throttle.Policy POLICY = new Throttle.Policy(Duration.ofMinutes(15), 3, 6, Duration.ofSeconds(1), Duration.ofSeconds(60));
    private static final String ATTACKER = "198.51.100.9";
    private static final String OWNER = "203.0.113.20";

    private final MutableClock clock = new MutableClock();
    private final InMemoryThrottleStore store = new InMemoryThrottleStore();
    private final Throttle throttle = new Throttle(store, POLICY, clock);

    private void fail(String username, String ip, int times) {
        for (int i = 0; i < times; i++) throttle.failed(username, ip);
    }

    @Test
    void aFewMistakesNeverWait() {
        fail("alice", OWNER, 3);

        assertThat(throttle.check("alice", OWNER, false)).as("and the failures are counted for the risk engine")
                .isEqualTo(new Throttle.Allowed(3, 3));
    }

    @Test
    void aSourcePastItsFreeFailuresWaitsAndTheWaitDoubles() {
        fail("alice", ATTACKER, 4);
        assertThat(throttle.check("alice", ATTACKER, false)).isEqualTo(new Throttle.Throttled(Duration.ofSeconds(1)));

        clock.advance(Duration.ofSeconds(1));
        assertThat(throttle.check("alice", ATTACKER, false)).as("the wait is over").isEqualTo(new Throttle.Allowed(4, 4));

        fail("alice", ATTACKER, 1);
        assertThat(throttle.check("alice", ATTACKER, false)).isEqualTo(new Throttle.Throttled(Duration.ofSeconds(2)));
        fail("alice", ATTACKER, 1);
        assertThat(throttle.check("alice", ATTACKER, false)).isEqualTo(new Throttle.Throttled(Duration.ofSeconds(4)));
    }

    @Test
    void aSourceIsThrottledForEveryAccountItTries() {
        for (String user : List.of("u1", "u2", "u3", "u4")) fail(user, ATTACKER, 1);

        assertThat(throttle.check("u5", ATTACKER, false)).as("credential stuffing: many accounts, one address")
                .isInstanceOf(Throttle.Throttled.class);
        assertThat(throttle.check("u5", OWNER, false)).as("another address is not").isEqualTo(new Throttle.Allowed(0, 0));
    }

    @Test
    void anAccountSprayedFromManyAddressesWaitsForUnknownDevicesButNotForItsOwnersKnownOne() {
        for (int i = 0; i < 7; i++) fail("alice", "198.51.100." + i, 1);

        assertThat(throttle.check("alice", "198.51.100.200", false)).as("a new address on an unknown device waits")
                .isInstanceOf(Throttle.Throttled.class);
        assertThat(throttle.check("alice", OWNER, true)).as("the owner's known device").isEqualTo(new Throttle.Allowed(0, 7));
        assertThat(throttle.check("bob", "198.51.100.200", false)).as("another account").isEqualTo(new Throttle.Allowed(0, 0));
    }

    @Test
    void aKnownDeviceStillWaitsWhenItsOwnAddressIsThrottled() {
        fail("alice", ATTACKER, 4);

        assertThat(throttle.check("alice", ATTACKER, true)).isInstanceOf(Throttle.Throttled.class);
    }

    @Test
    void theWaitIsTheLongerOfSourceAndAccountRoundedUpToWholeSeconds() {
        for (int i = 0; i < 9; i++) fail("alice", "198.51.100." + i, 1);      // account: 3 past free -> 4 s
        fail("carol", ATTACKER, 4);                                           // source: 1 past free -> 1 s
        clock.advance(Duration.ofMillis(300));

        assertThat(throttle.check("alice", ATTACKER, false)).isEqualTo(new Throttle.Throttled(Duration.ofSeconds(4)));
        assertThat(throttle.check("carol", ATTACKER, false)).as("0.7 s left: one second").isEqualTo(new Throttle.Throttled(Duration.ofSeconds(1)));
    }

    @Test
    void usernamesCountTogetherWhateverTheirCase() {
        for (int i = 0; i < 7; i++) fail(i % 2 == 0 ? "Alice" : "ALICE", "198.51.100." + i, 1);

        assertThat(throttle.check("alice", "198.51.100.200", false)).isInstanceOf(Throttle.Throttled.class);
    }

    @Test
    void anIpv6HostCountsByItsSlash64() {
        fail("alice", "2001:db8:1:2::1", 2);
        fail("alice", "2001:db8:1:2:ffff::9", 2);

        assertThat(throttle.check("bob", "2001:db8:1:2:abcd::1", false)).as("the same /64").isInstanceOf(Throttle.Throttled.class);
        assertThat(throttle.check("bob", "2001:db8:1:3::1", false)).as("the next /64").isEqualTo(new Throttle.Allowed(0, 0));
    }

    @Test
    void aRightPasswordForgetsTheSourceButNotTheAccount() {
        for (int i = 0; i < 7; i++) fail("alice", "198.51.100." + i, 1);
        fail("alice", OWNER, 3);

        throttle.succeeded(OWNER);

        assertThat(store.find(Throttle.sourceKey(OWNER))).isEmpty();
        assertThat(store.find(Throttle.accountKey("alice"))).isPresent();
    }

    @Test
    void aCounterWhoseWindowIsOverReportsNoFailures() {
        fail("alice", ATTACKER, 3);
        clock.advance(Duration.ofMinutes(15).plusMillis(1));

        assertThat(throttle.check("alice", ATTACKER, false)).as("not yet restarted, but no longer recent").isEqualTo(new Throttle.Allowed(0, 0));
    }

    @Test
    void failuresOlderThanTheWindowNoLongerCount() {
        fail("alice", ATTACKER, 3);
        clock.advance(Duration.ofMinutes(15).plusMillis(1));
        fail("alice", ATTACKER, 3);

        assertThat(throttle.check("alice", ATTACKER, false)).as("a counter restarted: only the window's failures").isEqualTo(new Throttle.Allowed(3, 3));
    }

    @ParameterizedTest
    @CsvSource({"3,0", "4,1", "5,2", "6,4", "9,32", "10,60", "40,60"})
    void theWaitAfterNFailuresDoublesFromTheFirstToTheLongest(int failures, long seconds) {
        assertThat(throttle.blockAfter(failures, 3)).isEqualTo(Duration.ofSeconds(seconds));
    }

    @Test
    void staleCountersAreDeletedByHousekeeping() {
        fail("alice", ATTACKER, 1);
        clock.advance(Duration.ofMinutes(16));

        assertThat(throttle.deleteStale()).isEqualTo(2);
    }

    @Test
    void aPolicyThatCannotWorkIsRefused() {
        Duration s = Duration.ofSeconds(1);
        assertThatThrownBy(() -> new Throttle.Policy(Duration.ZERO, 1, 1, s, s)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Throttle.Policy(s, -1, 1, s, s)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Throttle.Policy(s, 1, -1, s, s)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Throttle.Policy(s, 1, 1, Duration.ZERO, s)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Throttle.Policy(s, 1, 1, s.multipliedBy(2), s)).isInstanceOf(IllegalArgumentException.class);
    }
}
