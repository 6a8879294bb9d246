package dev.rotor.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.oauth.authorize.AuthorizationCode;
import dev.rotor.oauth.authorize.AuthorizationCodeStore;
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

/** The behaviour every {@link AuthorizationCodeStore} must have, run by one subclass per backend on a fresh, empty store. */
public abstract class AuthorizationCodeStoreContract {
    protected static final Instant NOW = Instant.parse("2026-11-28T09:14:37.716Z");
    private static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    protected AuthorizationCodeStore store;

    protected abstract AuthorizationCodeStore openStore() throws Exception;

    protected void closeStore() throws Exception {}

    @BeforeEach
    void openFreshStore() throws Exception {
        store = openStore();
    }

    @AfterEach
    void close() throws Exception {
        closeStore();
    }

    private static AuthorizationCode code(Instant createdAt) {
        return new AuthorizationCode("web", "alice", "https://app.example.test/cb", "openid profile", CHALLENGE, "n-0S6_WzA2Mj", "sso-1",
                createdAt.minusSeconds(300), List.of("pwd"), "1", createdAt, createdAt.plus(Duration.ofSeconds(60)), null, null);
    }

    @Test
    void createThenFindWithEveryField() {
        AuthorizationCode full = new AuthorizationCode("web", "alice", "http://127.0.0.1:8123/cb?x=1", "openid profile offline_access", CHALLENGE,
                "n-0S6_WzA2Mj", "sso-1", NOW.minusSeconds(300), List.of("pwd", "otp"), "2", NOW, NOW.plusSeconds(60), null, null);
        AuthorizationCode bare = new AuthorizationCode("backend", "bob", "https://b.example.test/cb", "profile", null, null, "sso-2", NOW,
                List.of(), "1", NOW, NOW.plusSeconds(60), null, null);
        store.create("hash-1", full);
        store.create("hash-2", bare);

        assertThat(store.find("hash-1")).contains(full);
        assertThat(store.find("hash-2")).contains(bare);
        assertThat(store.find("HASH-1")).isEmpty();
        assertThat(store.find("unknown")).isEmpty();
    }

    @Test
    void redeemMarksTheCodeOnceAndTheSecondRedemptionIsRefused() {
        store.create("hash-1", code(NOW));
        store.create("hash-2", code(NOW));

        assertThat(store.redeem("hash-1", NOW.plusSeconds(3))).isTrue();
        assertThat(store.redeem("hash-1", NOW.plusSeconds(4))).isFalse();
        assertThat(store.redeem("unknown", NOW)).isFalse();

        assertThat(store.find("hash-1")).hasValueSatisfying(c -> assertThat(c.redeemedAt()).isEqualTo(NOW.plusSeconds(3)));
        assertThat(store.find("hash-2")).as("other codes untouched").hasValueSatisfying(c -> assertThat(c.redeemedAt()).isNull());
    }

    @Test
    void redeemWhenManyRedeemOneCodeAtOnceThenExactlyOneSucceeds() throws Exception {
        int n = 16;
        for (int round = 0; round < 10; round++) {
            String hash = "hash-" + round;
            store.create(hash, code(NOW));
            CyclicBarrier start = new CyclicBarrier(n);
            List<Future<Boolean>> results = new ArrayList<>();
            try (ExecutorService callers = Executors.newFixedThreadPool(n)) {
                for (int i = 0; i < n; i++) {
                    Instant at = NOW.plusMillis(i);
                    results.add(callers.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        return store.redeem(hash, at);
                    }));
                }
            }
            int redeemed = 0;
            for (Future<Boolean> r : results) redeemed += r.get() ? 1 : 0;
            assertThat(redeemed).as("round %d", round).isEqualTo(1);
        }
    }

    @Test
    void recordFamilyNamesWhatTheRedemptionStartedAndKeepsTheRest() {
        store.create("hash-1", code(NOW));
        store.create("hash-2", code(NOW));
        store.redeem("hash-1", NOW.plusSeconds(1));

        store.recordFamily("hash-1", "fam-1");
        store.recordFamily("unknown", "fam-2"); // nothing to record on

        assertThat(store.find("hash-1")).hasValueSatisfying(c -> {
            assertThat(c.familyId()).isEqualTo("fam-1");
            assertThat(c.redeemedAt()).isEqualTo(NOW.plusSeconds(1));
            assertThat(c).isEqualTo(new AuthorizationCode(c.clientId(), c.userId(), c.redirectUri(), c.scope(), c.codeChallenge(), c.nonce(),
                    c.ssoSessionId(), c.authTime(), c.amr(), c.acr(), NOW, NOW.plusSeconds(60), NOW.plusSeconds(1), "fam-1"));
        });
        assertThat(store.find("hash-2")).hasValueSatisfying(c -> assertThat(c.familyId()).isNull());
        assertThat(store.find("unknown")).isEmpty();
    }

    @Test
    void deleteExpiredRemovesCodesExpiredBeforeTheGivenTimeRedeemedOrNot() {
        Instant before = NOW.plusSeconds(60);
        store.create("expired", code(NOW.minusMillis(1)));
        store.create("expired-redeemed", code(NOW.minusSeconds(30)));
        store.redeem("expired-redeemed", NOW.minusSeconds(29));
        store.create("at-boundary", code(NOW)); // expires exactly at `before`
        store.create("live", code(NOW.plusSeconds(1)));

        assertThat(store.deleteExpired(before)).isEqualTo(2);

        assertThat(store.find("expired")).isEmpty();
        assertThat(store.find("expired-redeemed")).isEmpty();
        assertThat(store.find("at-boundary")).isPresent();
        assertThat(store.find("live")).isPresent();
        assertThat(store.deleteExpired(before)).isZero();
    }
}
