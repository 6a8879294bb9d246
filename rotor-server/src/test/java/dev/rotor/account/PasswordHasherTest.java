package dev.rotor.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordHasherTest {
    /** The OWASP minimum for Argon2id, which is also Rotor's default. */
    static final PasswordHasher.Params OWASP = new PasswordHasher.Params(19456, 2, 1);
    static final String PASSWORD = "correct horse battery staple";
    private static final String PHC = "\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}";

    private final SecureRandom random = new SecureRandom();
    private final PasswordHasher hasher = new PasswordHasher(OWASP, 4, 10_000, random);

    @Test
    void hashProducesArgon2idPhcStringWithFreshSalt() {
        String a = hasher.hash(PASSWORD);
        String b = hasher.hash(PASSWORD);

        assertThat(a).matches(PHC);
        assertThat(b).matches(PHC).isNotEqualTo(a);
        assertThat(a).doesNotContain(PASSWORD);
    }

    @Test
    void verifyWhenPasswordMatchesThenTrueElseFalse() {
        String phc = hasher.hash(PASSWORD);

        assertThat(hasher.verify(PASSWORD, phc)).isTrue();
        assertThat(hasher.verify(PASSWORD + " ", phc)).isFalse();
        assertThat(hasher.verify("Correct horse battery staple", phc)).isFalse();
        assertThat(hasher.verify("", phc)).isFalse();
    }

    /**
     * Hashes made by another implementation (hash-wasm 4.13, the reference C code compiled to WebAssembly), so a
     * wrong Argon2 here cannot hide behind agreeing with itself. Run several times on one hasher, from several
     * threads, with two memory sizes, so that hashes run on memory pooled from earlier ones. (Argon2's first pass
     * overwrites every block, so this checks the results, not that pooled blocks were zeroed: Bouncy Castle does
     * that.)
     */
    @Test
    void verifyAcceptsHashesMadeByAnIndependentImplementation() throws Exception {
        String salt = "AwoRGB8mLTQ7QklQV15lbA"; // bytes 3, 10, 17, ... (i * 7 + 3)
        Map<String, String> known = Map.of(
                "$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$ATWq5hX3EV3IEPumTK8jyET1MbpqgD34jSahJqI6gIE", PASSWORD,
                "$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$jlt2f3i1unL2nSdmdxkkXaMWRZE34nAVQfuGzo2YD1s", "p\u00e4ssw\u00f6rd \u00fcber",
                "$argon2id$v=19$m=64,t=3,p=4$" + salt + "$zeR4RiQrzz0D9BZpsS5eB8Mo0/Wr8wuA7AfjTkPR/iA", "x");
        PasswordHasher shared = new PasswordHasher(OWASP, 2, 60_000, random);
        List<Future<Boolean>> results = new ArrayList<>();
        try (ExecutorService callers = Executors.newFixedThreadPool(3)) {
            for (int round = 0; round < 3; round++) {
                known.forEach((phc, password) -> {
                    results.add(callers.submit(() -> shared.verify(password, phc)));
                    results.add(callers.submit(() -> !shared.verify(password + "!", phc)));
                });
            }
        }

        for (Future<Boolean> r : results) assertThat(r.get()).isTrue();
    }

    @Test
    void verifyNormalizesNfkcSoEquivalentSpellingsMatch() {
        // U+FF50.. fullwidth letters and U+FB01 (the "fi" ligature) are NFKC-equivalent to their ASCII spelling.
        String phc = hasher.hash("password fixed");

        assertThat(hasher.verify("\uFF50\uFF41\uFF53\uFF53\uFF57\uFF4F\uFF52\uFF44 \uFB01xed", phc)).isTrue();
    }

    @Test
    void verifyUsesTheParametersStoredInTheHash() {
        PasswordHasher stronger = new PasswordHasher(new PasswordHasher.Params(19456, 3, 1), 1, 10_000, random);

        assertThat(hasher.verify(PASSWORD, stronger.hash(PASSWORD))).isTrue();
        assertThat(stronger.verify(PASSWORD, hasher.hash(PASSWORD))).isTrue();
    }

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @NullAndEmptySource
    @ValueSource(strings = {
            "plaintext",
            "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW",                                   // bcrypt
            "$argon2i$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$6o0yM3c2Zm1vQ2Q4bW1pTXhHZkR2bG1pTXhHZkR2bG0", // argon2i
            "$argon2id$v=16$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$6o0yM3c2Zm1vQ2Q4bW1pTXhHZkR2bG1pTXhHZkR2bG0", // old version
            "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$6o0yM3c2Zm1vQ2Q4bW1pTXhHZkR2bG1pTXhHZkR2bG0=", // padding
            "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA"})
    void verifyWhenStoredHashMalformedThenFalse(String phc) {
        assertThat(hasher.verify(PASSWORD, phc)).isFalse();
    }
    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("malformedButRegexShaped")
    void verifyWhenStoredHashShapedRightButInvalidThenFalse(String phc) {
        assertThat(hasher.verify(PASSWORD, phc)).isFalse();
    }

    static Stream<String> malformedButRegexShaped() {
        String salt = "c29tZXNhbHRzb21lc2FsdA";
        String hash = "6o0yM3c2Zm1vQ2Q4bW1pTXhHZkR2bG1pTXhHZkR2bG0";
        return Stream.of(
                "$argon2id$v=19$m=19456,t=2,p=1$abcde$" + hash,          // base64 of impossible length
                "$argon2id$v=19$m=19456,t=0,p=1$" + salt + "$" + hash,   // zero iterations
                "$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$AAA",       // 2-byte hash
                "$argon2id$v=19$m=99999999999,t=2,p=1$" + salt + "$" + hash);
    }

    @Test
    void needsRehashWhenParametersDifferThenTrue() {
        String phc = hasher.hash(PASSWORD);

        assertThat(hasher.needsRehash(phc)).isFalse();
        assertThat(new PasswordHasher(new PasswordHasher.Params(19456, 3, 1), 1, 1000, random).needsRehash(phc)).isTrue();
        assertThat(new PasswordHasher(new PasswordHasher.Params(47104, 2, 1), 1, 1000, random).needsRehash(phc)).isTrue();
        assertThat(new PasswordHasher(new PasswordHasher.Params(19456, 2, 2), 1, 1000, random).needsRehash(phc)).isTrue();
        assertThat(hasher.needsRehash("$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW")).isTrue();
    }

    @Test
    void hashWhenPoolSaturatedBeyondMaxWaitThenHashingBusy() throws Exception {
        PasswordHasher single = new PasswordHasher(OWASP, 1, 20, random);
        // A stored hash with many iterations keeps the only permit busy for a while (verify uses the stored cost).
        String slow = "$argon2id$v=19$m=19456,t=40,p=1$c29tZXNhbHRzb21lc2FsdA$6o0yM3c2Zm1vQ2Q4bW1pTXhHZkR2bG1pTXhHZkR2bG0";
        CountDownLatch started = new CountDownLatch(1);
        Thread holder = Thread.ofPlatform().name("hash-holder").start(() -> {
            started.countDown();
            while (true) {
                try {
                    single.verify(PASSWORD, slow);
                    return;
                } catch (HashingBusyException busy) {
                    // the test thread held the permit for a moment; try again
                }
            }
        });
        started.await();

        AtomicReference<HashingBusyException> refused = new AtomicReference<>();
        while (holder.isAlive() && refused.get() == null) {
            try {
                single.hash("another password");
            } catch (HashingBusyException e) {
                refused.set(e);
            }
        }
        holder.join();

        assertThat(refused.get()).as("a second hash while the only permit is held").isNotNull();
        assertThat(refused.get().getMessage()).doesNotContain(PASSWORD);
        // The pool recovers once the first hash is done.
        assertThat(single.verify(PASSWORD, single.hash(PASSWORD))).isTrue();
    }

    @Test
    void hashWhenCallerInterruptedThenHashingBusyAndInterruptKept() throws Exception {
        PasswordHasher single = new PasswordHasher(OWASP, 1, 10_000, random);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            Thread.currentThread().interrupt();
            try {
                single.hash(PASSWORD);
            } catch (Throwable e) {
                thrown.set(e);
            }
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        });
        t.join();

        assertThat(thrown.get()).isInstanceOf(HashingBusyException.class);
        assertThat(stillInterrupted.get()).isTrue();
    }
}
