package dev.rotor.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.mfa.MfaStore;
import dev.rotor.mfa.MfaStore.Enrolment;
import dev.rotor.mfa.MfaStore.Spend;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link MfaStore} must have, run by one subclass per backend on a fresh, empty store. */
public abstract class MfaStoreContract {
    protected static final Instant NOW = Instant.parse("2026-12-03T14:00:00.123Z");
    private static final byte[] SEALED = {1, 2, 3, 4, 5, 6, 7, 8, 9, 0, -1, -128, 127};
    private static final byte[] OTHER_SEALED = {9, 9, 9, 9};
    private static final List<String> HASHES = List.of("h0", "h1", "h2");
    protected MfaStore store;

    protected abstract MfaStore openStore() throws Exception;

    /** Makes the user exist where the backend has foreign keys; a no-op elsewhere. */
    protected abstract void ensureUser(String userId);

    /** The same data through another node's connections (another pool, another database handle); this store by default. */
    protected MfaStore openOtherNode() throws Exception {
        return store;
    }

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

    @Test
    void findWhenNothingStoredThenEmptyAndNoCodes() {
        assertThat(store.find("alice")).isEmpty();
        assertThat(store.unusedRecoveryCodes("alice")).isZero();
        assertThat(store.acceptStep("alice", 1)).isFalse();
        assertThat(store.spendRecoveryCode("alice", "h0", NOW)).isEqualTo(Spend.UNKNOWN);
        assertThat(store.remove("alice")).isFalse();
        store.recordFailure("alice", NOW);
        assertThat(store.find("alice")).isEmpty();
    }

    @Test
    void savePendingThenFindReturnsEveryFieldWithTheBytesAsStored() {
        assertThat(store.savePending("alice", SEALED, NOW)).isTrue();

        Enrolment e = store.find("alice").orElseThrow();
        assertThat(e.userId()).isEqualTo("alice");
        assertThat(e.sealedSecret()).containsExactly(SEALED);
        assertThat(e.createdAt()).isEqualTo(NOW);
        assertThat(e.confirmed()).isFalse();
        assertThat(e.confirmedAt()).isNull();
        assertThat(e.lastStep()).isNull();
        assertThat(e.failures()).isZero();
        assertThat(e.failedAt()).isNull();
        assertThat(e.toString()).doesNotContain("[1, 2").doesNotContain("sealed");
        assertThat(store.find("bob")).isEmpty();
    }

    @Test
    void savePendingReplacesAPendingSecretAndForgetsItsFailures() {
        store.savePending("alice", SEALED, NOW);
        store.recordFailure("alice", NOW.plusSeconds(1));

        assertThat(store.savePending("alice", OTHER_SEALED, NOW.plusSeconds(2))).isTrue();

        Enrolment e = store.find("alice").orElseThrow();
        assertThat(e.sealedSecret()).containsExactly(OTHER_SEALED);
        assertThat(e.createdAt()).isEqualTo(NOW.plusSeconds(2));
        assertThat(e.failures()).isZero();
        assertThat(e.failedAt()).isNull();
    }

    @Test
    void confirmSetsTheStepAndIssuesUnusedCodesOnlyForThePendingSecretItWasGiven() {
        store.savePending("alice", SEALED, NOW);

        assertThat(store.confirm("alice", OTHER_SEALED, 100, HASHES, NOW)).as("another secret than the pending one").isFalse();
        assertThat(store.find("alice").orElseThrow().confirmed()).isFalse();
        assertThat(store.unusedRecoveryCodes("alice")).isZero();

        assertThat(store.confirm("alice", SEALED, 100, HASHES, NOW.plusSeconds(5))).isTrue();
        Enrolment e = store.find("alice").orElseThrow();
        assertThat(e.confirmedAt()).isEqualTo(NOW.plusSeconds(5));
        assertThat(e.lastStep()).isEqualTo(100L);
        assertThat(store.unusedRecoveryCodes("alice")).isEqualTo(3);
        assertThat(store.unusedRecoveryCodes("bob")).isZero();

        assertThat(store.confirm("alice", SEALED, 101, List.of("x"), NOW)).as("confirmed already").isFalse();
        assertThat(store.unusedRecoveryCodes("alice")).isEqualTo(3);
        assertThat(store.confirm("bob", SEALED, 100, HASHES, NOW)).as("nothing pending").isFalse();
    }

    @Test
    void savePendingWhenConfirmedThenRefusedAndNothingChanges() {
        store.savePending("alice", SEALED, NOW);
        store.confirm("alice", SEALED, 100, HASHES, NOW);

        assertThat(store.savePending("alice", OTHER_SEALED, NOW.plusSeconds(1))).isFalse();

        Enrolment e = store.find("alice").orElseThrow();
        assertThat(e.sealedSecret()).containsExactly(SEALED);
        assertThat(e.confirmed()).isTrue();
        assertThat(e.lastStep()).isEqualTo(100L);
    }

    @Test
    void acceptStepOnlyMovesForwardAndClearsFailures() {
        store.savePending("alice", SEALED, NOW);
        assertThat(store.acceptStep("alice", 5)).as("pending: nothing is accepted").isFalse();
        store.confirm("alice", SEALED, 100, HASHES, NOW);
        store.recordFailure("alice", NOW);

        assertThat(store.acceptStep("alice", 100)).as("the confirming step").isFalse();
        assertThat(store.acceptStep("alice", 99)).isFalse();
        assertThat(store.find("alice").orElseThrow().failures()).isEqualTo(1);
        assertThat(store.acceptStep("alice", 101)).isTrue();
        assertThat(store.acceptStep("alice", 101)).as("the same step twice").isFalse();
        assertThat(store.acceptStep("alice", 103)).isTrue();
        assertThat(store.acceptStep("alice", 102)).as("an earlier step after a later one").isFalse();

        Enrolment e = store.find("alice").orElseThrow();
        assertThat(e.lastStep()).isEqualTo(103L);
        assertThat(e.failures()).isZero();
        assertThat(e.failedAt()).isNull();
    }

    @Test
    void recordFailureCountsAndRemembersTheLast() {
        store.savePending("alice", SEALED, NOW);

        store.recordFailure("alice", NOW.plusSeconds(1));
        store.recordFailure("alice", NOW.plusSeconds(2));

        Enrolment e = store.find("alice").orElseThrow();
        assertThat(e.failures()).isEqualTo(2);
        assertThat(e.failedAt()).isEqualTo(NOW.plusSeconds(2));
    }

    @Test
    void aRecoveryCodeIsSpentOnceAndOnlyByItsUser() {
        store.savePending("alice", SEALED, NOW);
        store.confirm("alice", SEALED, 100, HASHES, NOW);
        store.savePending("bob", OTHER_SEALED, NOW);
        store.confirm("bob", OTHER_SEALED, 100, List.of("b0"), NOW);
        store.recordFailure("alice", NOW);

        assertThat(store.spendRecoveryCode("bob", "h1", NOW)).as("alice's code").isEqualTo(Spend.UNKNOWN);
        assertThat(store.spendRecoveryCode("alice", "H1", NOW)).as("hashes compare exactly").isEqualTo(Spend.UNKNOWN);
        assertThat(store.spendRecoveryCode("alice", "h1", NOW)).isEqualTo(Spend.SPENT);
        assertThat(store.spendRecoveryCode("alice", "h1", NOW.plusSeconds(1))).isEqualTo(Spend.ALREADY_USED);

        assertThat(store.unusedRecoveryCodes("alice")).isEqualTo(2);
        assertThat(store.unusedRecoveryCodes("bob")).isEqualTo(1);
        assertThat(store.find("alice").orElseThrow().failures()).as("a right code clears the failures").isZero();
    }

    @Test
    void confirmingAgainAfterRemovalReplacesEveryOldCode() {
        store.savePending("alice", SEALED, NOW);
        store.confirm("alice", SEALED, 100, HASHES, NOW);

        assertThat(store.remove("alice")).isTrue();
        assertThat(store.find("alice")).isEmpty();
        assertThat(store.unusedRecoveryCodes("alice")).isZero();
        assertThat(store.spendRecoveryCode("alice", "h0", NOW)).isEqualTo(Spend.UNKNOWN);
        assertThat(store.remove("alice")).isFalse();

        store.savePending("alice", OTHER_SEALED, NOW);
        store.confirm("alice", OTHER_SEALED, 200, List.of("n0", "n1"), NOW);
        assertThat(store.unusedRecoveryCodes("alice")).isEqualTo(2);
        assertThat(store.spendRecoveryCode("alice", "h0", NOW)).as("a code of the earlier confirmation").isEqualTo(Spend.UNKNOWN);
        assertThat(store.find("alice").orElseThrow().lastStep()).isEqualTo(200L);
    }

    @Test
    void twoNodesAcceptingTheSameStepThenExactlyOneWins() throws Exception {
        store.savePending("alice", SEALED, NOW);
        store.confirm("alice", SEALED, 100, HASHES, NOW);
        MfaStore other = openOtherNode();

        for (long step = 101; step <= 110; step++) {
            long s = step;
            List<Boolean> won = race(() -> store.acceptStep("alice", s), () -> other.acceptStep("alice", s));
            assertThat(won).as("step " + s).containsExactlyInAnyOrder(true, false);
        }
        assertThat(store.find("alice").orElseThrow().lastStep()).isEqualTo(110L);
    }

    @Test
    void twoNodesSpendingTheSameRecoveryCodeThenExactlyOneWins() throws Exception {
        store.savePending("alice", SEALED, NOW);
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i < 10; i++) hashes.add("r" + i);
        store.confirm("alice", SEALED, 100, hashes, NOW);
        MfaStore other = openOtherNode();

        for (String hash : hashes) {
            List<Spend> won = race(() -> store.spendRecoveryCode("alice", hash, NOW), () -> other.spendRecoveryCode("alice", hash, NOW));
            assertThat(won).as(hash).containsExactlyInAnyOrder(Spend.SPENT, Spend.ALREADY_USED);
        }
        assertThat(store.unusedRecoveryCodes("alice")).isZero();
    }

    /** Runs both at once (released together by a barrier) and returns what each answered. */
    private static <T> List<T> race(Callable<T> a, Callable<T> b) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CyclicBarrier start = new CyclicBarrier(2);
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> c : List.of(a, b)) {
                futures.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return c.call();
                }));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) out.add(f.get(30, TimeUnit.SECONDS));
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
