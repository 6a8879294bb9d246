package dev.rotor.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.token.SigningKey;
import dev.rotor.token.SigningKey.State;
import dev.rotor.token.SigningKeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link SigningKeyStore} must have, run by one subclass per backend on a fresh, empty store.
 * Several nodes share one store: initialising and rotating are decided once however many call at the same time.
 */
public abstract class SigningKeyStoreContract {
    private static final Instant T0 = Instant.parse("2026-11-28T09:14:37.716Z");
    protected SigningKeyStore store;
    private int serial;

    protected abstract SigningKeyStore openStore() throws Exception;

    protected void closeStore() throws Exception {}

    @BeforeEach
    void openFreshStore() throws Exception {
        store = openStore();
    }

    @AfterEach
    void close() throws Exception {
        closeStore();
    }

    private synchronized SigningKey key(State state, Instant createdAt) {
        serial++;
        return new SigningKey(UUID.randomUUID().toString(), "ES256", state, "{\"kty\":\"EC\",\"n\":" + serial + "}",
                new byte[] {1, 2, 3, (byte) serial}, createdAt, state == State.ACTIVE ? createdAt : null, null);
    }

    private Map<State, List<SigningKey>> byState() {
        return store.list().stream().collect(Collectors.groupingBy(SigningKey::state));
    }

    private SigningKey only(State state) {
        List<SigningKey> keys = byState().getOrDefault(state, List.of());
        assertThat(keys).as("%s keys", state).hasSize(1);
        return keys.getFirst();
    }

    private static void assertSameKey(SigningKey actual, SigningKey expected) {
        assertThat(actual).usingRecursiveComparison().isEqualTo(expected);
    }

    @Test
    void listWhenEmptyThenNothing() {
        assertThat(store.list()).isEmpty();
    }

    @Test
    void initializeStoresTheActiveAndNextKeysWithEveryField() {
        SigningKey active = key(State.ACTIVE, T0);
        SigningKey next = key(State.NEXT, T0);

        assertThat(store.initialize(active, next)).isTrue();

        assertSameKey(only(State.ACTIVE), active);
        assertSameKey(only(State.NEXT), next);
    }

    @Test
    void initializeWhenKeysExistThenFalseAndNothingAdded() {
        store.initialize(key(State.ACTIVE, T0), key(State.NEXT, T0));

        assertThat(store.initialize(key(State.ACTIVE, T0.plusSeconds(1)), key(State.NEXT, T0.plusSeconds(1)))).isFalse();

        assertThat(store.list()).hasSize(2);
    }

    @Test
    void initializeWhenManyNodesStartAtOnceThenOnePairIsCreated() throws Exception {
        List<Boolean> results = race(16, i -> store.initialize(key(State.ACTIVE, T0), key(State.NEXT, T0)));

        assertThat(results).containsOnlyOnce(true);
        assertThat(store.list()).hasSize(2);
        only(State.ACTIVE);
        only(State.NEXT);
    }

    @Test
    void rotatePromotesNextRetiresActiveWithoutItsPrivatePartAndAddsTheNewNext() {
        SigningKey active = key(State.ACTIVE, T0);
        SigningKey next = key(State.NEXT, T0);
        store.initialize(active, next);
        Instant now = T0.plus(Duration.ofDays(30));
        SigningKey newNext = key(State.NEXT, now);

        assertThat(store.rotate(active.kid(), newNext, now, now.plus(Duration.ofMinutes(17)))).isTrue();

        SigningKey retiring = only(State.RETIRING);
        assertThat(retiring.kid()).isEqualTo(active.kid());
        assertThat(retiring.privateSealed()).isNull();
        assertThat(retiring.retireAt()).isEqualTo(now.plus(Duration.ofMinutes(17)));
        SigningKey promoted = only(State.ACTIVE);
        assertThat(promoted.kid()).isEqualTo(next.kid());
        assertThat(promoted.activatedAt()).isEqualTo(now);
        assertThat(promoted.privateSealed()).isEqualTo(next.privateSealed());
        assertSameKey(only(State.NEXT), newNext);
    }

    @Test
    void rotateWhenAnotherKeyIsActiveThenFalseAndNothingChanges() {
        SigningKey active = key(State.ACTIVE, T0);
        store.initialize(active, key(State.NEXT, T0));
        List<SigningKey> before = store.list();

        assertThat(store.rotate(UUID.randomUUID().toString(), key(State.NEXT, T0), T0.plusSeconds(60), T0.plusSeconds(600))).isFalse();

        assertThat(store.list()).usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(before);
    }

    @Test
    void rotateWhenManyNodesRotateAtOnceThenOneRotationHappens() throws Exception {
        store.initialize(key(State.ACTIVE, T0), key(State.NEXT, T0));
        // Several rounds: a store that reads the active key and then changes the rows loses this race only now and then.
        for (int round = 1; round <= 10; round++) {
            String active = only(State.ACTIVE).kid();
            Instant now = T0.plus(Duration.ofDays(30L * round));

            List<Boolean> results = race(16, i -> store.rotate(active, key(State.NEXT, now), now, now.plus(Duration.ofDays(1))));

            assertThat(results).containsOnlyOnce(true);
            assertThat(store.list()).hasSize(2 + round);
            assertThat(only(State.RETIRING).kid()).isEqualTo(active);
            only(State.ACTIVE);
            only(State.NEXT);
        }
    }

    @Test
    void rotateAlsoRetiresRetiringKeysWhoseTimeHasCome() {
        SigningKey first = key(State.ACTIVE, T0);
        store.initialize(first, key(State.NEXT, T0));
        Instant r1 = T0.plus(Duration.ofDays(30));
        store.rotate(first.kid(), key(State.NEXT, r1), r1, r1.plus(Duration.ofMinutes(17)));
        Instant r2 = r1.plus(Duration.ofDays(30));

        assertThat(store.rotate(only(State.ACTIVE).kid(), key(State.NEXT, r2), r2, r2.plus(Duration.ofMinutes(17)))).isTrue();

        SigningKey retired = only(State.RETIRED);
        assertThat(retired.kid()).isEqualTo(first.kid());
        assertThat(retired.privateSealed()).isNull();
        assertThat(store.list()).hasSize(4);
    }

    @Test
    void retireExpiredRetiresOnlyRetiringKeysPastTheirTime() {
        SigningKey first = key(State.ACTIVE, T0);
        store.initialize(first, key(State.NEXT, T0));
        Instant now = T0.plus(Duration.ofDays(30));
        Instant retireAt = now.plus(Duration.ofMinutes(17));
        store.rotate(first.kid(), key(State.NEXT, now), now, retireAt);

        assertThat(store.retireExpired(retireAt.minusMillis(1))).isZero();
        assertThat(only(State.RETIRING).kid()).isEqualTo(first.kid());

        assertThat(store.retireExpired(retireAt)).isEqualTo(1);
        assertThat(only(State.RETIRED).kid()).isEqualTo(first.kid());
        assertThat(store.retireExpired(retireAt.plusSeconds(60))).isZero();
        only(State.ACTIVE);
        only(State.NEXT);
    }

    @Test
    void retireNowRetiresARetiringKeyOnlyAndDropsItsPrivatePart() {
        SigningKey first = key(State.ACTIVE, T0);
        store.initialize(first, key(State.NEXT, T0));
        Instant now = T0.plus(Duration.ofDays(30));
        store.rotate(first.kid(), key(State.NEXT, now), now, now.plus(Duration.ofMinutes(17)));

        assertThat(store.retireNow(only(State.ACTIVE).kid(), now)).isFalse();
        assertThat(store.retireNow(only(State.NEXT).kid(), now)).isFalse();
        assertThat(store.retireNow(UUID.randomUUID().toString(), now)).isFalse();
        assertThat(store.retireNow(first.kid(), now.plusSeconds(30))).isTrue();
        assertThat(store.retireNow(first.kid(), now.plusSeconds(31))).as("only once").isFalse();

        SigningKey retired = only(State.RETIRED);
        assertThat(retired.privateSealed()).isNull();
        assertThat(retired.retireAt()).isEqualTo(now.plusSeconds(30));
    }

    @Test
    void listIsNewestFirstThenByKid() {
        SigningKey active = new SigningKey("kid-b", "ES256", State.ACTIVE, "{}", null, T0, T0, null);
        SigningKey next = new SigningKey("kid-A", "RS256", State.NEXT, "{}", new byte[0], T0, null, null);
        store.initialize(active, next);
        Instant later = T0.plusSeconds(1);
        store.rotate("kid-b", new SigningKey("kid-a", "EdDSA", State.NEXT, "{}", new byte[] {9}, later, null, null), later, later.plusSeconds(60));

        assertThat(store.list()).extracting(SigningKey::kid).containsExactly("kid-a", "kid-A", "kid-b");
    }

    /** Runs {@code call} on {@code n} threads released together; their results, in submission order. */
    private static <T> List<T> race(int n, Function<Integer, T> call) throws Exception {
        CyclicBarrier start = new CyclicBarrier(n);
        List<Future<T>> futures = new ArrayList<>();
        try (ExecutorService callers = Executors.newFixedThreadPool(n)) {
            for (int i = 0; i < n; i++) {
                int k = i;
                Callable<T> task = () -> {
                    start.await(10, TimeUnit.SECONDS);
                    return call.apply(k);
                };
                futures.add(callers.submit(task));
            }
        }
        List<T> out = new ArrayList<>();
        for (Future<T> f : futures) out.add(f.get());
        return out;
    }
}
