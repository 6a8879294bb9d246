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
}
