package dev.rotor.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AccountsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final String PASSWORD = PasswordHasherTest.PASSWORD;

    private final SecureRandom random = new SecureRandom();
    private final InMemoryUserStore users = new InMemoryUserStore();
    private final PasswordHasher owasp = new PasswordHasher(PasswordHasherTest.OWASP, 4, 10_000, random);
    private final Accounts accounts = new Accounts(users, owasp, CLOCK);

    @Test
    void registerStoresArgon2idHashNotThePassword() {
        User u = accounts.register("alice", "alice@example.com", "Alice", PASSWORD);

        assertThat(u.createdAt()).isEqualTo(CLOCK.instant());
        assertThat(users.findByUsername("alice")).contains(u);
        assertThat(u.passwordHash()).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").doesNotContain(PASSWORD);
        assertThat(u.toString()).doesNotContain(u.passwordHash());
    }

    @Test
    void authenticateWhenPasswordRightThenUser() {
        User u = accounts.register("alice", null, null, PASSWORD);

        assertThat(accounts.authenticate("alice", PASSWORD)).contains(u);
        assertThat(users.hashUpdates()).as("no rehash when the parameters are current").isZero();
    }

    @Test
    void theDummyHashIsMadeOnFirstNeedOnceEvenWhenManySignInAtOnce() throws Exception {
        Accounts fresh = new Accounts(users, owasp, CLOCK);
        fresh.register("alice", null, null, PASSWORD);
        assertThat(fresh.dummyHashes()).as("constructing and registering hash no dummy").isZero();
        assertThat(fresh.authenticate("alice", PASSWORD)).as("a known user with a password needs none").isPresent();
        assertThat(fresh.dummyHashes()).isZero();

        int n = 8;
        CyclicBarrier start = new CyclicBarrier(n);
        List<Future<Accounts.Check>> checks = new ArrayList<>();
        try (ExecutorService callers = Executors.newFixedThreadPool(n)) {
            for (int i = 0; i < n; i++) {
                String username = "nobody-" + i;
                checks.add(callers.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return fresh.check(username, PASSWORD);
                }));
            }
        }
        for (Future<Accounts.Check> c : checks) assertThat(c.get()).isInstanceOf(Accounts.Invalid.class);
        assertThat(fresh.dummyHashes()).isEqualTo(1);
        fresh.prepareSignIn();
        assertThat(fresh.dummyHashes()).isEqualTo(1);
    }

    @Test
    void prepareSignInMakesTheDummyHashBeforeTheFirstUnknownUser() {
        Accounts fresh = new Accounts(users, owasp, CLOCK);
        fresh.prepareSignIn();
        assertThat(fresh.dummyHashes()).isEqualTo(1);
        assertThat(fresh.authenticate("nobody", PASSWORD)).isEmpty();
        assertThat(fresh.dummyHashes()).isEqualTo(1);
    }

    @Test
    void authenticateWhenUnknownUserThenEmpty() {
        accounts.register("alice", null, null, PASSWORD);

        assertThat(accounts.authenticate("bob", PASSWORD)).isEmpty();
        assertThat(accounts.authenticate("\u0430lice", PASSWORD)).as("a look-alike is another name").isEmpty();
    }

    @Test
    void authenticateByTheRfc8265FormThenTheUserAsRegistered() {
        User alice = accounts.register("alice", null, null, PASSWORD);

        assertThat(accounts.authenticate("ALICE", PASSWORD)).contains(alice);
        assertThat(accounts.authenticate("\uff41\uff4c\uff49\uff43\uff45", PASSWORD)).contains(alice);
    }

    @Test
    void registerWhenBrokenOrLookAlikeThenRefused() {
        accounts.register("alice", null, null, PASSWORD);

        assertThatThrownBy(() -> accounts.register("al ice", null, null, PASSWORD)).hasMessageStartingWith("username is not allowed");
        assertThatThrownBy(() -> accounts.register("Alice", null, null, PASSWORD)).hasMessage("username 'Alice' is taken");
        assertThatThrownBy(() -> accounts.register("\u0430lice", null, null, PASSWORD)).hasMessage("username '\u0430lice' looks like an existing user");
    }

    @Test
    void authenticateWhenWrongPasswordThenEmpty() {
        accounts.register("alice", null, null, PASSWORD);

        assertThat(accounts.authenticate("alice", "wrong password")).isEmpty();
    }

    @Test
    void authenticateWhenDisabledThenEmptyEvenWithTheRightPassword() {
        accounts.register("alice", null, null, PASSWORD);
        users.disable("alice");

        assertThat(accounts.authenticate("alice", PASSWORD)).isEmpty();
    }

    @Test
    void authenticateWhenUserHasNoPasswordThenEmpty() {
        accounts.register("svc", null, null, null);

        assertThat(accounts.authenticate("svc", PASSWORD)).isEmpty();
        assertThat(accounts.authenticate("svc", "")).isEmpty();
    }

    @Test
    void authenticateWhenParametersChangedThenRehashesWithTheNewOnes() {
        User u = accounts.register("alice", null, null, PASSWORD);
        PasswordHasher stronger = new PasswordHasher(new PasswordHasher.Params(19456, 3, 1), 4, 10_000, random);
        Accounts upgraded = new Accounts(users, stronger, CLOCK);

        assertThat(upgraded.authenticate("alice", PASSWORD)).isPresent();

        String rehashed = users.findById(u.id()).orElseThrow().passwordHash();
        assertThat(rehashed).startsWith("$argon2id$v=19$m=19456,t=3,p=1$");
        assertThat(stronger.needsRehash(rehashed)).isFalse();
        assertThat(users.hashUpdates()).isEqualTo(1);
        // The new hash works, and a second login does not rehash again.
        assertThat(upgraded.authenticate("alice", PASSWORD)).isPresent();
        assertThat(users.hashUpdates()).isEqualTo(1);
    }

    @Test
    void authenticateWhenParametersChangedButPasswordWrongThenNoRehash() {
        accounts.register("alice", null, null, PASSWORD);
        Accounts upgraded = new Accounts(users, new PasswordHasher(new PasswordHasher.Params(19456, 3, 1), 4, 10_000, random), CLOCK);

        assertThat(upgraded.authenticate("alice", "wrong password")).isEmpty();
        assertThat(users.hashUpdates()).isZero();
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", "with space", "semi;colon", "slash/name", "<script>"})
    void registerWhenUsernameInvalidThenRefused(String username) {
        assertThatThrownBy(() -> accounts.register(username, null, null, PASSWORD)).isInstanceOf(IllegalArgumentException.class);
        assertThat(users.list()).isEmpty();
    }

    @Test
    void registerWhenPasswordTooShortOrUsernameTakenThenRefused() {
        assertThatThrownBy(() -> accounts.register("alice", null, null, "short")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("8");
        accounts.register("alice", null, null, PASSWORD);
        assertThatThrownBy(() -> accounts.register("alice", null, null, PASSWORD)).isInstanceOf(IllegalArgumentException.class);
    }
}
