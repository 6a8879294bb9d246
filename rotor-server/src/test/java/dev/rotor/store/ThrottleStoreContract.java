package dev.rotor.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.throttle.ThrottleStore;
import dev.rotor.throttle.ThrottleStore.Counter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link ThrottleStore} must have, run by one subclass per backend on a fresh, empty store. */
public abstract class ThrottleStoreContract {
    protected static final Instant NOW = Instant.parse("2026-12-03T10:00:00.125Z");
    private static final Duration WINDOW = Duration.ofMinutes(15);

    protected ThrottleStore store;

    protected abstract ThrottleStore openStore() throws Exception;

    /** Another store on the same database, as another node opens it; the same store where there is no database. */
    protected abstract ThrottleStore openAnotherNode() throws Exception;

    protected void closeStore() throws Exception {}

    @BeforeEach
    void openFresh() throws Exception {
        store = openStore();
    }

    @AfterEach
    void close() throws Exception {
        closeStore();
    }

    @Test
    void theFirstFailureStartsACounterAtOneWithItsWindowNow() {
        Counter c = store.recordFailure("ip:203.0.113.7", NOW, NOW.minus(WINDOW));

        assertThat(c).isEqualTo(new Counter("ip:203.0.113.7", 1, NOW, null));
        assertThat(store.find("ip:203.0.113.7")).contains(c);
    }

    @Test
    void failuresInsideTheWindowCountUpAndKeepTheWindowsStart() {
        store.recordFailure("user:alice", NOW, NOW.minus(WINDOW));
        store.recordFailure("user:alice", NOW.plusSeconds(60), NOW.plusSeconds(60).minus(WINDOW));
        Counter third = store.recordFailure("user:alice", NOW.plus(WINDOW), NOW);

        assertThat(third.failures()).as("a window that started exactly at the cutoff still counts").isEqualTo(3);
        assertThat(third.windowStart()).isEqualTo(NOW);
    }

    @Test
    void aFailureAfterTheWindowStartsAgainAtOneAndKeepsABlockThatRunsOn() {
        store.recordFailure("user:alice", NOW, NOW.minus(WINDOW));
        store.blockUntil("user:alice", NOW.plus(Duration.ofHours(1)));
        Instant later = NOW.plus(WINDOW).plusMillis(1);

        Counter c = store.recordFailure("user:alice", later, later.minus(WINDOW));

        assertThat(c).isEqualTo(new Counter("user:alice", 1, later, NOW.plus(Duration.ofHours(1))));
    }

    @Test
    void aBlockIsOnlyEverExtended() {
        store.recordFailure("ip:a", NOW, NOW.minus(WINDOW));
        store.blockUntil("ip:a", NOW.plusSeconds(8));
        store.blockUntil("ip:a", NOW.plusSeconds(4));
        assertThat(store.find("ip:a").orElseThrow().blockedUntil()).isEqualTo(NOW.plusSeconds(8));

        store.blockUntil("ip:a", NOW.plusSeconds(16));
        assertThat(store.find("ip:a").orElseThrow().blockedUntil()).isEqualTo(NOW.plusSeconds(16));

        store.blockUntil("ip:nobody", NOW.plusSeconds(16));
        assertThat(store.find("ip:nobody")).as("no counter, nothing to block").isEmpty();
    }

    @Test
    void findReturnsTheCountersThatExistAmongTheKeys() {
        store.recordFailure("ip:a", NOW, NOW.minus(WINDOW));
        store.recordFailure("user:b", NOW, NOW.minus(WINDOW));

        assertThat(store.find(List.of("ip:a", "user:b", "user:c"))).extracting(Counter::key).containsExactlyInAnyOrder("ip:a", "user:b");
        assertThat(store.find(List.of())).isEmpty();
    }

    @Test
    void keysAreComparedExactly() {
        store.recordFailure("user:alice", NOW, NOW.minus(WINDOW));

        assertThat(store.find(List.of("user:Alice", "user:alice ", "user:alic"))).isEmpty();
    }

    @Test
    void clearForgetsOneCounter() {
        store.recordFailure("ip:a", NOW, NOW.minus(WINDOW));
        store.recordFailure("ip:b", NOW, NOW.minus(WINDOW));

        store.clear("ip:a");
        store.clear("ip:missing");

        assertThat(store.find(List.of("ip:a", "ip:b"))).extracting(Counter::key).containsExactly("ip:b");
    }

    @Test
    void deleteStaleDropsOnlyCountersWhoseWindowAndBlockAreOver() {
        store.recordFailure("old", NOW, NOW.minus(WINDOW));
        store.recordFailure("old-blocked", NOW, NOW.minus(WINDOW));
        store.blockUntil("old-blocked", NOW.plus(Duration.ofHours(1)));
        store.recordFailure("old-block-over", NOW, NOW.minus(WINDOW));
        store.blockUntil("old-block-over", NOW.plusSeconds(30));
        store.recordFailure("fresh", NOW.plus(WINDOW), NOW);
        Instant later = NOW.plus(WINDOW).plusSeconds(1);

        assertThat(store.deleteStale(later.minus(WINDOW), later)).isEqualTo(2);

        assertThat(store.find(List.of("old", "old-blocked", "old-block-over", "fresh"))).extracting(Counter::key)
                .containsExactlyInAnyOrder("old-blocked", "fresh");
    }

    @Test
    void concurrentFailuresOnTwoNodesAllCount() throws Exception {
        ThrottleStore other = openAnotherNode();
        int perThread = 25;
        List<ThrottleStore> nodes = List.of(store, other, store, other);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(nodes.size());
        try {
            List<Future<?>> done = new ArrayList<>();
            for (ThrottleStore node : nodes) {
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < perThread; i++) node.recordFailure("user:sprayed", NOW, NOW.minus(WINDOW));
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) f.get();
        } finally {
            pool.shutdownNow();
        }

        assertThat(store.find("user:sprayed").orElseThrow().failures()).isEqualTo(perThread * nodes.size());
    }
}
