package dev.rotor.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.risk.RiskHistory;
import dev.rotor.risk.RiskHistory.LastSignIn;
import dev.rotor.risk.RiskHistoryStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link RiskHistoryStore} must have, run by one subclass per backend on a fresh, empty store. */
public abstract class RiskHistoryStoreContract {
    protected static final Instant NOW = Instant.parse("2026-12-03T09:14:37.716Z");
    protected RiskHistoryStore store;

    protected abstract RiskHistoryStore openStore() throws Exception;

    /** Makes the user exist where the backend has foreign keys; a no-op elsewhere. */
    protected abstract void ensureUser(String userId);

    protected void closeStore() throws Exception {}

    @BeforeEach
    void openFreshStore() throws Exception {
        store = openStore();
        ensureUser("alice");
        ensureUser("bob");
    }

    @AfterEach
    void close() throws Exception {
        closeStore();
    }

    private static LastSignIn lisbon(Instant at) {
        return new LastSignIn(at, "PT", "Lisbon", 38.716667, -9.139444);
    }

    @Test
    void aUserWithNoHistoryHasTheEmptyOne() {
        assertThat(store.find("alice")).isEqualTo(RiskHistory.EMPTY);
        assertThat(store.find("nobody")).isEqualTo(RiskHistory.EMPTY);
    }

    @Test
    void aRecordedSignInIsFoundWithEveryValueAndTheLastPlaceToTheMicrodegree() {
        store.recordSignIn("alice", "dev-1", List.of("203.0.113.0/24", "AS64500"), "PT", lisbon(NOW), 20);

        RiskHistory h = store.find("alice");
        assertThat(h.devices()).containsExactly("dev-1");
        assertThat(h.networks()).containsExactlyInAnyOrder("203.0.113.0/24", "AS64500");
        assertThat(h.countries()).containsExactly("PT");
        assertThat(h.last()).isEqualTo(lisbon(NOW));
        assertThat(store.find("bob")).as("another user's history is apart").isEqualTo(RiskHistory.EMPTY);
    }

    @Test
    void aSignInWithoutDeviceCountryOrCoordinatesRecordsWhatItHas() {
        store.recordSignIn("alice", null, List.of("2001:db8:1:0:0:0:0:0/48"), null, new LastSignIn(NOW, null, null, null, null), 20);

        RiskHistory h = store.find("alice");
        assertThat(h.devices()).isEmpty();
        assertThat(h.countries()).isEmpty();
        assertThat(h.networks()).containsExactly("2001:db8:1:0:0:0:0:0/48");
        assertThat(h.last()).isEqualTo(new LastSignIn(NOW, null, null, null, null));
    }

    @Test
    void eachKindKeepsOnlyTheMostRecentlySeenValuesDroppingTheOldest() {
        for (int i = 0; i < 5; i++) {
            store.recordSignIn("alice", "dev-" + i, List.of("net-" + i), "C" + i, lisbon(NOW.plusSeconds(i)), 3);
        }
        // dev-0 seen again: now the most recent, so dev-1 and dev-2 are the ones dropped.
        store.recordSignIn("alice", "dev-0", List.of(), null, lisbon(NOW.plusSeconds(10)), 3);

        RiskHistory h = store.find("alice");
        assertThat(h.devices()).containsExactlyInAnyOrder("dev-0", "dev-4", "dev-3");
        assertThat(h.networks()).containsExactlyInAnyOrder("net-4", "net-3", "net-2");
        assertThat(h.countries()).containsExactlyInAnyOrder("C4", "C3", "C2");
    }

    @Test
    void anOlderSignInRecordedLateNeitherReplacesTheLastOneNorMovesALastSeenTimeBack() {
        store.recordSignIn("alice", "dev-new", List.of("net-new"), "PT", lisbon(NOW), 2);
        store.recordSignIn("alice", "dev-new", List.of(), null, new LastSignIn(NOW.minusSeconds(3600), "DE", "Berlin", 52.52, 13.405), 2);
        store.recordSignIn("alice", "dev-other", List.of(), null, lisbon(NOW.minusSeconds(60)), 2);
        store.recordSignIn("alice", "dev-third", List.of(), null, lisbon(NOW.minusSeconds(30)), 2);

        RiskHistory h = store.find("alice");
        assertThat(h.last()).isEqualTo(lisbon(NOW));
        assertThat(h.devices()).as("dev-new is still the most recently seen").containsExactlyInAnyOrder("dev-new", "dev-third");
    }

    @Test
    void concurrentSignInsOfOneUserAllCountAndTheBoundHolds() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int n = t;
                done.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    for (int i = 0; i < 5; i++) {
                        store.recordSignIn("alice", "dev-" + n + "-" + i, List.of("net-" + n + "-" + i), "C" + n, lisbon(NOW.plusMillis(10L * i + n)), 3);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }

        RiskHistory h = store.find("alice");
        assertThat(h.devices()).hasSize(3);
        assertThat(h.networks()).hasSize(3);
        assertThat(h.countries()).hasSize(3);
        assertThat(h.last().at()).isEqualTo(NOW.plusMillis(10L * 4 + 7));
    }

    @Test
    void forgetRemovesOneUsersHistoryOnly() {
        store.recordSignIn("alice", "dev-1", List.of("net-1"), "PT", lisbon(NOW), 20);
        store.recordSignIn("bob", "dev-2", List.of("net-2"), "DE", lisbon(NOW), 20);

        store.forget("alice");
        store.forget("nobody");

        assertThat(store.find("alice")).isEqualTo(RiskHistory.EMPTY);
        assertThat(store.find("bob").devices()).isEqualTo(Set.of("dev-2"));
    }
}
