package dev.rotor.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.sso.SsoSession;
import dev.rotor.sso.SsoSessionStore;
import dev.rotor.sso.SsoSessionStore.Link;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link SsoSessionStore} must have, run by one subclass per backend on a fresh, empty store. */
public abstract class SsoSessionStoreContract {
    protected static final Instant NOW = Instant.parse("2026-11-28T09:14:37.716Z");
    private static final Duration LIFETIME = Duration.ofDays(7);
    protected SsoSessionStore store;

    protected abstract SsoSessionStore openStore() throws Exception;

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

    private static SsoSession session(String id, String userId, Instant createdAt) {
        return new SsoSession(id, userId, createdAt, List.of("pwd"), "1", createdAt, createdAt.plus(LIFETIME), createdAt, "203.0.113.7",
                "Firefox/128", null, null);
    }

    @Test
    void createThenFindByIdAndBySecretHashWithEveryField() {
        SsoSession full = new SsoSession("s-1", "alice", NOW.minusSeconds(30), List.of("pwd", "otp"), "2", NOW, NOW.plus(LIFETIME),
                NOW.plusMillis(5), "2001:db8::1", "Mobile Safari/604.1", null, null);
        SsoSession bare = new SsoSession("s-2", "bob", NOW, List.of(), "1", NOW, NOW.plus(LIFETIME), NOW, null, null, null, null);
        store.create(full, "hash-1");
        store.create(bare, "hash-2");

        assertThat(store.find("s-1")).contains(full);
        assertThat(store.findBySecretHash("hash-1")).contains(full);
        assertThat(store.find("s-2")).contains(bare);
        assertThat(store.findBySecretHash("hash-2")).contains(bare);
    }

    @Test
    void findWhenUnknownThenEmpty() {
        store.create(session("s-1", "alice", NOW), "hash-1");

        assertThat(store.find("S-1")).isEmpty();
        assertThat(store.find("hash-1")).as("a secret hash is not an id").isEmpty();
        assertThat(store.findBySecretHash("HASH-1")).isEmpty();
        assertThat(store.findBySecretHash("s-1")).as("an id is not a secret hash").isEmpty();
    }

    @Test
    void endRecordsWhenAndWhyOnceAndTheSecondCallChangesNothing() {
        store.create(session("s-1", "alice", NOW), "hash-1");

        assertThat(store.end("s-1", "logout", NOW.plusSeconds(60))).isTrue();
        assertThat(store.end("s-1", "replaced", NOW.plusSeconds(120))).isFalse();
        assertThat(store.end("unknown", "logout", NOW)).isFalse();

        assertThat(store.findBySecretHash("hash-1")).as("an ended session is still found, so it can be told apart from none")
                .hasValueSatisfying(s -> {
                    assertThat(s.endedAt()).isEqualTo(NOW.plusSeconds(60));
                    assertThat(s.endReason()).isEqualTo("logout");
                    assertThat(s.isActive(NOW.plusSeconds(61))).isFalse();
                });
    }

    @Test
    void endWhenManyEndOneSessionAtOnceThenExactlyOneCallEndsIt() throws Exception {
        int n = 12;
        for (int round = 0; round < 10; round++) {
            String id = "s-" + round;
            store.create(session(id, "alice", NOW), "hash-" + round);
            CyclicBarrier start = new CyclicBarrier(n);
            List<Future<Boolean>> results = new ArrayList<>();
            try (ExecutorService callers = Executors.newFixedThreadPool(n)) {
                for (int i = 0; i < n; i++) {
                    String reason = "reason-" + i;
                    results.add(callers.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        return store.end(id, reason, NOW.plusSeconds(1));
                    }));
                }
            }
            int ended = 0;
            for (Future<Boolean> r : results) ended += r.get() ? 1 : 0;
            assertThat(ended).as("round %d", round).isEqualTo(1);
            assertThat(store.find(id)).hasValueSatisfying(s -> assertThat(s.endReason()).startsWith("reason-"));
        }
    }

    @Test
    void endAllForUserEndsOnlyThatUsersLiveSessionsAndNamesThem() {
        Instant now = NOW.plus(Duration.ofDays(3));
        store.create(session("a-live", "alice", NOW), "h1");
        store.create(session("a-live-2", "alice", NOW.plusSeconds(1)), "h2");
        store.create(session("a-ended", "alice", NOW), "h3");
        store.end("a-ended", "logout", NOW.plusSeconds(5));
        // Expires exactly now: already not active (SsoSession.isActive), so not counted as ended by this call.
        store.create(session("a-expiring-now", "alice", now.minus(LIFETIME)), "h4");
        store.create(session("b-live", "bob", NOW), "h5");

        assertThat(store.endAllForUser("alice", "password_changed", now)).containsExactlyInAnyOrder("a-live", "a-live-2");

        assertThat(store.find("a-live")).hasValueSatisfying(s -> {
            assertThat(s.endedAt()).isEqualTo(now);
            assertThat(s.endReason()).isEqualTo("password_changed");
        });
        assertThat(store.find("a-live-2")).hasValueSatisfying(s -> assertThat(s.endReason()).isEqualTo("password_changed"));
        assertThat(store.find("a-ended")).as("ended before: keeps its own end").hasValueSatisfying(s -> {
            assertThat(s.endedAt()).isEqualTo(NOW.plusSeconds(5));
            assertThat(s.endReason()).isEqualTo("logout");
        });
        assertThat(store.find("a-expiring-now")).hasValueSatisfying(s -> assertThat(s.endedAt()).isNull());
        assertThat(store.find("b-live")).hasValueSatisfying(s -> assertThat(s.endedAt()).isNull());
        assertThat(store.endAllForUser("alice", "again", now)).isEmpty();
    }

    @Test
    void linkedFamiliesComeBackOldestFirstOnceEachAndNameTheirSession() {
        store.create(session("s-1", "alice", NOW), "h1");
        store.create(session("s-2", "alice", NOW), "h2");
        store.linkFamily("s-1", "fam-b", "web", NOW.plusSeconds(2));
        store.linkFamily("s-1", "fam-c", "mobile", NOW.plusSeconds(1));
        store.linkFamily("s-1", "fam-a", "web", NOW.plusSeconds(2));
        store.linkFamily("s-1", "fam-c", "mobile", NOW.plusSeconds(9)); // again: ignored
        store.linkFamily("s-2", "fam-d", "cli", NOW);

        assertThat(store.families("s-1")).as("by time, then by family id")
                .containsExactly(new Link("fam-c", "mobile"), new Link("fam-a", "web"), new Link("fam-b", "web"));
        assertThat(store.families("s-2")).containsExactly(new Link("fam-d", "cli"));
        assertThat(store.families("unknown")).isEmpty();
        assertThat(store.sessionOfFamily("fam-a")).contains("s-1");
        assertThat(store.sessionOfFamily("fam-d")).contains("s-2");
        assertThat(store.sessionOfFamily("fam-x")).isEmpty();
    }

    @Test
    void deleteExpiredRemovesSessionsExpiredOrEndedBeforeTheGivenTimeWithTheirLinksAndKeepsTheRest() {
        Instant before = NOW.plus(LIFETIME);
        store.create(session("expired", "alice", NOW.minusMillis(1)), "h1"); // expires 1 ms before
        store.create(session("expires-at-boundary", "alice", NOW), "h2"); // expires exactly at `before`
        store.create(session("ended-before", "alice", NOW.plusSeconds(10)), "h3");
        store.end("ended-before", "logout", before.minusMillis(1));
        store.create(session("ended-at-boundary", "alice", NOW.plusSeconds(10)), "h4");
        store.end("ended-at-boundary", "logout", before);
        store.create(session("live", "bob", NOW.plusSeconds(10)), "h5");
        store.linkFamily("expired", "fam-1", "web", NOW);
        store.linkFamily("ended-before", "fam-2", "web", NOW);
        store.linkFamily("live", "fam-3", "web", NOW);

        assertThat(store.deleteExpired(before)).isEqualTo(2);

        assertThat(store.find("expired")).isEmpty();
        assertThat(store.findBySecretHash("h1")).isEmpty();
        assertThat(store.find("ended-before")).isEmpty();
        assertThat(store.find("expires-at-boundary")).isPresent();
        assertThat(store.find("ended-at-boundary")).isPresent();
        assertThat(store.find("live")).isPresent();
        assertThat(store.families("expired")).isEmpty();
        assertThat(store.sessionOfFamily("fam-2")).isEmpty();
        assertThat(store.families("live")).containsExactly(new Link("fam-3", "web"));
        assertThat(store.deleteExpired(before)).isZero();
    }
}
