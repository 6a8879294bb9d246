package dev.rotor.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotor.oauth.Client;
import dev.rotor.oauth.ClientStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link ClientStore} must have, run by one subclass per backend on a fresh, empty store. */
public abstract class ClientStoreContract {
    private static final Instant NOW = Instant.parse("2026-11-28T09:14:37.716Z");
    protected ClientStore store;

    protected abstract ClientStore openStore() throws Exception;

    protected void closeStore() throws Exception {}

    /**
     * Gives the client {@code clientId} (already added) a session of a new user that ends at {@code expiresAt},
     * revoked or not, and, where the backend stores them, a refresh token, an authorization code and a consent of it.
     */
    protected abstract void givenSession(String clientId, Instant expiresAt, boolean revoked) throws Exception;

    /** How many of what {@link #givenSession} stores for {@code clientId} the backend still holds. */
    protected abstract long belongings(String clientId) throws Exception;

    @BeforeEach
    void openFreshStore() throws Exception {
        store = openStore();
    }

    @AfterEach
    void close() throws Exception {
        closeStore();
    }

    private static Client spa(String id) {
        return new Client(id, Client.Type.PUBLIC, null, List.of(), Set.of("refresh_token"), Set.of(), false, "openid profile", NOW, Set.of());
    }

    @Test
    void addThenFindWithEveryField() {
        Client backend = new Client("backend", Client.Type.CONFIDENTIAL, "c2VjcmV0LWhhc2g", List.of("https://b.example.test/cb", "https://a.example.test/cb"),
                Set.of("client_credentials", "password", "refresh_token"), Set.of("https://app.example.test", "http://localhost:3000"),
                true, "openid profile email offline_access", NOW, Set.of("email", "name", "preferred_username"),
                List.of("https://b.example.test/bye", "https://a.example.test/bye"), "https://b.example.test/backchannel", true,
                "cHJldmlvdXMtaGFzaA", NOW.plusSeconds(3600));
        Client plain = spa("spa");
        store.add(backend);
        store.add(plain);

        assertThat(store.find("backend")).contains(backend);
        assertThat(store.find("backend")).hasValueSatisfying(c -> assertThat(c.redirectUris()).as("in the order given")
                .containsExactly("https://b.example.test/cb", "https://a.example.test/cb"));
        assertThat(store.find("spa")).contains(plain);
        assertThat(store.find("spa")).hasValueSatisfying(c -> {
            assertThat(c.backchannelLogoutUri()).isNull();
            assertThat(c.previousSecretHash()).isNull();
            assertThat(c.consentRequired()).isTrue();
        });
    }

    @Test
    void findWhenUnknownThenEmpty() {
        store.add(spa("spa"));

        assertThat(store.find("SPA")).isEmpty();
        assertThat(store.find("other")).isEmpty();
    }

    @Test
    void addWhenIdTakenThenRefusedAndTheFirstKept() {
        Client first = spa("spa");
        store.add(first);

        assertThatThrownBy(() -> store.add(new Client("spa", Client.Type.CONFIDENTIAL, "aGFzaA", List.of(), Set.of("client_credentials"),
                Set.of(), true, "openid", NOW, Set.of())))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("client 'spa' exists");
        assertThat(store.find("spa")).contains(first);
        assertThat(store.list()).hasSize(1);
    }

    @Test
    void addWhenManyAddTheSameIdAtOnceThenExactlyOneSucceedsAndTheOthersAreToldItExists() throws Exception {
        int n = 16;
        // Several rounds: a check-then-insert store loses this race only now and then.
        for (int round = 0; round < 20; round++) {
            String id = "app-" + round;
            CyclicBarrier start = new CyclicBarrier(n);
            List<Future<Client>> results = new ArrayList<>();
            try (ExecutorService callers = Executors.newFixedThreadPool(n)) {
                for (int i = 0; i < n; i++) {
                    results.add(callers.submit(() -> {
                        Client c = spa(id);
                        start.await(10, TimeUnit.SECONDS);
                        store.add(c);
                        return c;
                    }));
                }
            }

            int added = 0;
            List<Throwable> refused = new ArrayList<>();
            for (Future<Client> r : results) {
                try {
                    r.get();
                    added++;
                } catch (ExecutionException e) {
                    refused.add(e.getCause());
                }
            }
            assertThat(added).isEqualTo(1);
            assertThat(refused).hasSize(n - 1).allSatisfy(e -> assertThat(e)
                    .isExactlyInstanceOf(IllegalArgumentException.class).hasMessage("client '" + id + "' exists"));
        }
    }

    @Test
    void listIsOrderedByIdCodePointByCodePoint() {
        for (String id : List.of("web", "Mobile", "backend", "_cli", "a.b", "a-b")) store.add(spa(id));

        assertThat(store.list()).extracting(Client::id).containsExactly("Mobile", "_cli", "a-b", "a.b", "backend", "web");
    }

    private static Client confidential(String id, String secretHash) {
        return new Client(id, Client.Type.CONFIDENTIAL, secretHash, List.of("https://b.example.test/cb"), Set.of("authorization_code", "refresh_token"),
                Set.of(), false, "openid", NOW, Set.of());
    }

    @Test
    void replaceWhenTheSecretHashIsAsExpectedThenEveryFieldIsReplaced() {
        store.add(confidential("backend", "aGFzaC0x"));
        Client rotated = new Client("backend", Client.Type.CONFIDENTIAL, "aGFzaC0y", List.of("https://c.example.test/cb", "https://a.example.test/cb"),
                Set.of("client_credentials"), Set.of(), true, "openid email", NOW, Set.of("email"), List.of("https://c.example.test/bye"),
                "https://c.example.test/backchannel", false, "aGFzaC0x", NOW.plusSeconds(86_400));

        assertThat(store.replace(rotated, "aGFzaC0x")).isTrue();

        assertThat(store.find("backend")).contains(rotated);
        assertThat(store.list()).containsExactly(rotated);
    }

    @Test
    void replaceWhenTheSecretHashChangedMeanwhileThenFalseAndNothingWritten() {
        Client stored = confidential("backend", "aGFzaC0x");
        store.add(stored);
        Client spa = spa("spa");
        store.add(spa);

        assertThat(store.replace(confidential("backend", "aGFzaC0y"), "c3RhbGU")).isFalse();
        assertThat(store.replace(confidential("backend", "aGFzaC0y"), null)).as("null expects no secret").isFalse();
        assertThat(store.replace(confidential("spa", "aGFzaC0y"), "aGFzaC0x")).as("spa has no secret").isFalse();

        assertThat(store.find("backend")).contains(stored);
        assertThat(store.find("spa")).contains(spa);
    }

    @Test
    void replaceWhenTheClientHasNoSecretAndNullIsExpectedThenReplaced() {
        store.add(spa("spa"));
        Client changed = new Client("spa", Client.Type.PUBLIC, null, List.of(), Set.of("refresh_token"), Set.of("https://app.example.test"), false,
                "openid", NOW, Set.of());

        assertThat(store.replace(changed, null)).isTrue();
        assertThat(store.find("spa")).contains(changed);
    }

    @Test
    void replaceWhenNoSuchClientThenFalseAndNothingAdded() {
        assertThat(store.replace(confidential("ghost", "aGFzaC0y"), "aGFzaC0x")).isFalse();
        assertThat(store.replace(spa("ghost"), null)).isFalse();
        assertThat(store.find("ghost")).isEmpty();
        assertThat(store.list()).isEmpty();
    }

    @Test
    void replaceWhenManyRotateAtOnceFromTheSameSecretThenExactlyOneWins() throws Exception {
        int n = 16;
        for (int round = 0; round < 10; round++) {
            String id = "backend-" + round;
            store.add(confidential(id, "b3JpZ2luYWw"));
            CyclicBarrier start = new CyclicBarrier(n);
            List<Future<Boolean>> results = new ArrayList<>();
            try (ExecutorService callers = Executors.newFixedThreadPool(n)) {
                for (int i = 0; i < n; i++) {
                    Client next = confidential(id, "bmV3LQ" + i);
                    results.add(callers.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        return store.replace(next, "b3JpZ2luYWw");
                    }));
                }
            }
            List<Integer> winners = new ArrayList<>();
            for (int i = 0; i < n; i++) if (results.get(i).get()) winners.add(i);

            assertThat(winners).hasSize(1);
            assertThat(store.find(id)).hasValueSatisfying(c -> assertThat(c.secretHash()).isEqualTo("bmV3LQ" + winners.get(0)));
        }
    }

    @Test
    void liveSessionsCountsThoseNeitherRevokedNorPastTheirExpiry() throws Exception {
        store.add(spa("cli"));
        store.add(spa("other"));
        givenSession("cli", NOW.plusSeconds(3600), false);
        givenSession("cli", NOW.plusSeconds(7200), false);
        givenSession("cli", NOW.plusSeconds(3600), true);
        givenSession("cli", NOW.minusSeconds(1), false);
        givenSession("cli", NOW, false); // ends at this instant: no longer live
        givenSession("other", NOW.plusSeconds(3600), false);

        assertThat(store.liveSessions("cli", NOW)).isEqualTo(2);
        assertThat(store.liveSessions("cli", NOW.plusSeconds(3600))).isEqualTo(1);
        assertThat(store.liveSessions("cli", NOW.plusSeconds(7200))).isZero();
        assertThat(store.liveSessions("other", NOW)).isEqualTo(1);
        assertThat(store.liveSessions("spa", NOW)).as("a client without sessions").isZero();
        assertThat(store.liveSessions("ghost", NOW)).as("no such client").isZero();
    }

    @Test
    void removeDeletesTheClientWithAllItsSessionsAndLeavesOtherClientsAlone() throws Exception {
        store.add(spa("cli"));
        store.add(spa("other"));
        givenSession("cli", NOW.plusSeconds(3600), false);
        givenSession("cli", NOW.plusSeconds(3600), true);
        givenSession("cli", NOW.minusSeconds(60), false);
        givenSession("other", NOW.plusSeconds(3600), false);
        long others = belongings("other");
        assertThat(belongings("cli")).isPositive();

        assertThat(store.remove("cli")).as("sessions deleted, live or not").isEqualTo(3);

        assertThat(store.find("cli")).isEmpty();
        assertThat(store.list()).extracting(Client::id).containsExactly("other");
        assertThat(belongings("cli")).isZero();
        assertThat(store.liveSessions("cli", NOW)).isZero();
        assertThat(belongings("other")).isEqualTo(others);
        assertThat(store.liveSessions("other", NOW)).isEqualTo(1);

        // A client registered later under the same id inherits nothing.
        store.add(spa("cli"));
        assertThat(store.liveSessions("cli", NOW)).isZero();
        assertThat(belongings("cli")).isZero();
    }

    @Test
    void removeWhenNoSuchClientThenMinusOne() {
        store.add(spa("spa"));

        assertThat(store.remove("ghost")).isEqualTo(-1);
        assertThat(store.remove("spa")).as("no sessions").isZero();
        assertThat(store.remove("spa")).as("already removed").isEqualTo(-1);
        assertThat(store.list()).isEmpty();
    }
}
