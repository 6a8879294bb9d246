package dev.rotor.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.oauth.authorize.ConsentStore;
import dev.rotor.oauth.authorize.ConsentStore.Consent;
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

/** The behaviour every {@link ConsentStore} must have, run by one subclass per backend on a fresh, empty store. */
public abstract class ConsentStoreContract {
    protected static final Instant NOW = Instant.parse("2026-11-28T09:14:37.716Z");
    protected ConsentStore store;

    protected abstract ConsentStore openStore() throws Exception;

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

    @Test
    void saveThenFindByUserAndClient() {
        Consent c = new Consent("alice", "web", "openid profile", NOW);
        store.save(c);
        store.save(new Consent("bob", "web", "openid", NOW));

        assertThat(store.find("alice", "web")).contains(c);
        assertThat(store.find("alice", "WEB")).isEmpty();
        assertThat(store.find("alice", "mobile")).isEmpty();
        assertThat(store.find("carol", "web")).isEmpty();
    }

    @Test
    void saveAgainReplacesScopeAndTimeRatherThanAddingARow() {
        store.save(new Consent("alice", "web", "openid profile email", NOW));
        Consent narrower = new Consent("alice", "web", "openid", NOW.plusSeconds(60));

        store.save(narrower);

        assertThat(store.find("alice", "web")).contains(narrower);
        assertThat(store.list("alice")).containsExactly(narrower);
    }

    @Test
    void saveWhenManyReplaceOneConsentAtOnceThenOneOfThemIsKeptWhole() throws Exception {
        int n = 12;
        CyclicBarrier start = new CyclicBarrier(n);
        List<Future<?>> results = new ArrayList<>();
        List<Consent> written = new ArrayList<>();
        for (int i = 0; i < n; i++) written.add(new Consent("alice", "web", "openid scope-" + i, NOW.plusSeconds(i)));
        try (ExecutorService callers = Executors.newFixedThreadPool(n)) {
            for (Consent c : written) {
                results.add(callers.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    store.save(c);
                    return null;
                }));
            }
        }
        for (Future<?> r : results) r.get();

        // No unique-key failure for the losers, one row, and its scope and time from the same save.
        assertThat(store.list("alice")).singleElement().isIn(written);
    }

    @Test
    void listIsTheUsersConsentsOrderedByClientIdCodePointByCodePoint() {
        for (String client : List.of("web", "Mobile", "backend", "_cli", "a.b", "a-b")) store.save(new Consent("alice", client, "openid", NOW));
        store.save(new Consent("bob", "zzz", "openid", NOW));

        assertThat(store.list("alice")).extracting(Consent::clientId).containsExactly("Mobile", "_cli", "a-b", "a.b", "backend", "web");
        assertThat(store.list("carol")).isEmpty();
    }

    @Test
    void deleteWithdrawsOnlyThatConsentAndSaysWhetherThereWasOne() {
        store.save(new Consent("alice", "web", "openid", NOW));
        store.save(new Consent("alice", "mobile", "openid", NOW));
        store.save(new Consent("bob", "web", "openid", NOW));

        assertThat(store.delete("alice", "web")).isTrue();
        assertThat(store.delete("alice", "web")).isFalse();
        assertThat(store.delete("carol", "web")).isFalse();

        assertThat(store.find("alice", "web")).isEmpty();
        assertThat(store.find("alice", "mobile")).isPresent();
        assertThat(store.find("bob", "web")).isPresent();
    }
}
