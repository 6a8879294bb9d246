package dev.rotor.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotor.account.User;
import dev.rotor.account.UserStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link UserStore} must have, run by one subclass per backend on a fresh, empty store. */
public abstract class UserStoreContract {
    private static final Instant NOW = Instant.parse("2026-11-28T09:14:37.716Z");
    protected UserStore store;

    protected abstract UserStore openStore() throws Exception;

    protected void closeStore() throws Exception {}

    @BeforeEach
    void openFreshStore() throws Exception {
        store = openStore();
    }

    @AfterEach
    void close() throws Exception {
        closeStore();
    }

    private static User user(String username) {
        return new User(UUID.randomUUID().toString(), username, username + "@example.test", "Name " + username,
                "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA", false, NOW);
    }

    @Test
    void addThenFindByUsernameAndByIdWithEveryField() {
        User alice = user("alice");
        User bare = new User(UUID.randomUUID().toString(), "bare", null, null, null, false, NOW.plusMillis(1));
        store.add(alice);
        store.add(bare);

        assertThat(store.findByUsername("alice")).contains(alice);
        assertThat(store.findById(alice.id())).contains(alice);
        assertThat(store.findByUsername("bare")).contains(bare);
    }

    @Test
    void findWhenUnknownThenEmpty() {
        store.add(user("alice"));

        assertThat(store.findByUsername("bob")).isEmpty();
        assertThat(store.findById(UUID.randomUUID().toString())).isEmpty();
    }

    @Test
    void findByUsernameMatchesTheRfc8265Form() {
        User alice = user("alice");
        store.add(alice);

        assertThat(store.findByUsername("Alice")).contains(alice);
        assertThat(store.findByUsername("ALICE")).contains(alice);
        assertThat(store.findByUsername("\uff41\uff4c\uff49\uff43\uff45")).contains(alice);
        assertThat(store.findByUsername("alice ")).isEmpty();
        assertThat(store.findByUsername("\u0430lice")).isEmpty();
    }

    @Test
    void addWhenSameFormOrLookAlikeThenRefused() {
        store.add(user("alice"));

        assertThatThrownBy(() -> store.add(user("ALICE"))).hasMessage("username 'ALICE' is taken");
        assertThatThrownBy(() -> store.add(user("\u0430lice"))).hasMessage("username '\u0430lice' looks like an existing user");
        assertThatThrownBy(() -> store.add(user("a1ice"))).hasMessage("username 'a1ice' looks like an existing user");
        assertThat(store.list()).hasSize(1);
    }

    @Test
    void addWhenManyAddLookAlikesAtOnceThenExactlyOneSucceeds() throws Exception {
        for (int round = 0; round < 10; round++) {
            List<String> names = List.of("dave" + round, "DAVE" + round, "d\u0430ve" + round, "\uff44ave" + round);
            CyclicBarrier start = new CyclicBarrier(names.size());
            List<Future<User>> results = new ArrayList<>();
            try (ExecutorService callers = Executors.newFixedThreadPool(names.size())) {
                for (String name : names) {
                    results.add(callers.submit(() -> {
                        User u = user(name);
                        start.await(10, TimeUnit.SECONDS);
                        store.add(u);
                        return u;
                    }));
                }
            }
            int added = 0;
            for (Future<User> r : results) {
                try {
                    r.get();
                    added++;
                } catch (ExecutionException e) {
                    assertThat(e.getCause()).isExactlyInstanceOf(IllegalArgumentException.class);
                }
            }
            assertThat(added).isEqualTo(1);
        }
    }

    @Test
    void addWhenUsernameTakenThenRefusedAndTheFirstKept() {
        User first = user("alice");
        store.add(first);

        assertThatThrownBy(() -> store.add(user("alice")))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("username 'alice' is taken");
        assertThat(store.findByUsername("alice")).contains(first);
        assertThat(store.list()).hasSize(1);
    }

    @Test
    void addWhenManyAddTheSameUsernameAtOnceThenExactlyOneSucceedsAndTheOthersAreToldItIsTaken() throws Exception {
        int n = 16;
        // Several rounds: a check-then-insert store loses this race only now and then.
        for (int round = 0; round < 20; round++) {
            String username = "carol-" + round;
            CyclicBarrier start = new CyclicBarrier(n);
            List<Future<User>> results = new ArrayList<>();
            try (ExecutorService callers = Executors.newFixedThreadPool(n)) {
                for (int i = 0; i < n; i++) {
                    results.add(callers.submit(() -> {
                        User u = user(username);
                        start.await(10, TimeUnit.SECONDS);
                        store.add(u);
                        return u;
                    }));
                }
            }

            List<User> added = new ArrayList<>();
            List<Throwable> refused = new ArrayList<>();
            for (Future<User> r : results) {
                try {
                    added.add(r.get());
                } catch (ExecutionException e) {
                    refused.add(e.getCause());
                }
            }
            assertThat(added).hasSize(1);
            assertThat(refused).hasSize(n - 1).allSatisfy(e -> assertThat(e)
                    .isExactlyInstanceOf(IllegalArgumentException.class).hasMessage("username '" + username + "' is taken"));
            assertThat(store.findByUsername(username)).contains(added.getFirst());
        }
    }

    @Test
    void listIsOrderedByUsernameCodePointByCodePoint() {
        for (String name : List.of("bob", "Zed", "émile", "alice", "Éva", "_x")) store.add(user(name));

        // Byte order of UTF-8, as SQLite sorts and as PostgreSQL does under COLLATE "C" (not a linguistic order).
        assertThat(store.list()).extracting(User::username).containsExactly("Zed", "_x", "alice", "bob", "Éva", "émile");
    }

    @Test
    void disableWhenKnownThenTrueAndTheUserIsDisabled() {
        User alice = user("alice");
        store.add(alice);
        store.add(user("bob"));

        assertThat(store.disable("alice")).isTrue();
        assertThat(store.disable("nobody")).isFalse();

        assertThat(store.findByUsername("alice")).hasValueSatisfying(u -> assertThat(u.disabled()).isTrue());
        assertThat(store.findByUsername("bob")).hasValueSatisfying(u -> assertThat(u.disabled()).isFalse());
    }

    @Test
    void updatePasswordHashReplacesOnlyThatUsersHash() {
        User alice = user("alice");
        User bob = user("bob");
        store.add(alice);
        store.add(bob);

        store.updatePasswordHash(alice.id(), "$argon2id$v=19$m=65536,t=3,p=1$bmV3$bmV3");
        store.updatePasswordHash(UUID.randomUUID().toString(), "ignored");

        assertThat(store.findById(alice.id())).hasValueSatisfying(u -> assertThat(u.passwordHash()).isEqualTo("$argon2id$v=19$m=65536,t=3,p=1$bmV3$bmV3"));
        assertThat(store.findById(bob.id())).contains(bob);
    }
}
