package dev.rotor.oauth.authorize;

import static dev.rotor.oauth.authorize.AuthorizeFixtures.CHALLENGE;
import static dev.rotor.oauth.authorize.AuthorizeFixtures.REDIRECT;
import static dev.rotor.oauth.authorize.AuthorizeFixtures.WEB;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.crypto.Digests;
import dev.rotor.session.MutableClock;
import dev.rotor.sso.SsoSession;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Codes: 256 random bits stored by hash, 60 seconds, single use, a replay names what the first use started. */
class AuthorizationCodesTest {
    private final MutableClock clock = new MutableClock();
    private final InMemoryAuthorizationCodeStore store = new InMemoryAuthorizationCodeStore();
    private final AuthorizationCodes codes = new AuthorizationCodes(store, clock, new SecureRandom());
    private final SsoSession session = AuthorizeFixtures.session("sso-1", "alice", clock);

    private String issue() {
        return codes.issue(AuthorizeFixtures.request(WEB, REDIRECT, "openid profile"), session);
    }

    @Test
    void issueStoresTheCodeOnlyByItsHashBoundToClientRedirectUriChallengeAndSession() {
        String code = issue();

        assertThat(code).matches("[A-Za-z0-9_-]{43}");
        assertThat(store.find(code)).as("not stored in the clear").isEmpty();
        assertThat(store.find(Digests.sha256(code))).contains(new AuthorizationCode("web", "alice", REDIRECT, "openid profile", CHALLENGE,
                "n-0S6", "sso-1", session.authTime(), List.of("pwd"), "1", clock.instant(), clock.instant().plusSeconds(60), null, null));
    }

    @Test
    void issueGivesADifferentCodeEachTime() {
        assertThat(List.of(issue(), issue(), issue())).doesNotHaveDuplicates();
        assertThat(store.size()).isEqualTo(3);
    }

    @Test
    void redeemWhenJustBefore60SecondsThenRedeemed() {
        String code = issue();
        clock.advance(Duration.ofSeconds(60).minusMillis(1));

        assertThat(codes.redeem(code)).isInstanceOfSatisfying(AuthorizationCodes.Redeemed.class, r -> {
            assertThat(r.hash()).isEqualTo(Digests.sha256(code));
            assertThat(r.code().clientId()).isEqualTo("web");
        });
        assertThat(store.find(Digests.sha256(code))).hasValueSatisfying(c -> assertThat(c.redeemedAt()).isEqualTo(clock.instant()));
    }

    @Test
    void redeemWhenExactly60SecondsOldThenExpiredAndNotMarkedRedeemed() {
        String code = issue();
        clock.advance(AuthorizationCodes.LIFETIME);

        assertThat(codes.redeem(code)).isEqualTo(new AuthorizationCodes.Invalid("expired"));
        assertThat(store.find(Digests.sha256(code))).hasValueSatisfying(c -> assertThat(c.redeemedAt()).isNull());
    }

    @Test
    void redeemTwiceThenTheSecondIsAReplayNamingTheFamilyTheFirstStarted() {
        String code = issue();
        AuthorizationCodes.Redeemed first = (AuthorizationCodes.Redeemed) codes.redeem(code);
        codes.recordFamily(first, "fam-1");

        assertThat(codes.redeem(code)).isInstanceOfSatisfying(AuthorizationCodes.Replayed.class,
                r -> assertThat(r.code().familyId()).isEqualTo("fam-1"));
    }

    @Test
    void redeemWhenReplayedAfterExpiryThenStillAReplaySoWhatItStartedIsRevoked() {
        String code = issue();
        codes.recordFamily((AuthorizationCodes.Redeemed) codes.redeem(code), "fam-1");
        clock.advance(Duration.ofHours(1));

        assertThat(codes.redeem(code)).isInstanceOf(AuthorizationCodes.Replayed.class);
    }

    @Test
    void redeemWhenAConcurrentRedemptionWinsTheCompareAndSetThenAReplayOfTheWinnersRow() {
        // The store answers "not redeemed" to the read, then loses the conditional update to another node.
        AuthorizationCodeStore racing = new AuthorizationCodeStore() {
            private boolean first = true;

            @Override
            public void create(String hash, AuthorizationCode code) {
                store.create(hash, code);
            }

            @Override
            public Optional<AuthorizationCode> find(String hash) {
                Optional<AuthorizationCode> c = store.find(hash);
                if (first) {
                    first = false;
                    store.redeem(hash, clock.instant());
                    store.recordFamily(hash, "winner");
                }
                return c;
            }

            @Override
            public boolean redeem(String hash, Instant now) {
                return store.redeem(hash, now);
            }

            @Override
            public void recordFamily(String hash, String familyId) {
                store.recordFamily(hash, familyId);
            }

            @Override
            public int deleteExpired(Instant before) {
                return store.deleteExpired(before);
            }
        };
        AuthorizationCodes onRacingStore = new AuthorizationCodes(racing, clock, new SecureRandom());
        String code = onRacingStore.issue(AuthorizeFixtures.request(WEB, REDIRECT, "openid"), session);

        assertThat(onRacingStore.redeem(code)).isInstanceOfSatisfying(AuthorizationCodes.Replayed.class,
                r -> assertThat(r.code().familyId()).as("read again after losing").isEqualTo("winner"));
    }

    @Test
    void redeemWhenUnknownOrMalformedThenInvalidWithoutTouchingTheStore() {
        List<String> looked = new ArrayList<>();
        AuthorizationCodes counting = new AuthorizationCodes(new AuthorizationCodeStore() {
            @Override
            public void create(String hash, AuthorizationCode code) {}

            @Override
            public Optional<AuthorizationCode> find(String hash) {
                looked.add(hash);
                return Optional.empty();
            }

            @Override
            public boolean redeem(String hash, Instant now) {
                throw new AssertionError("no redemption of an unknown code");
            }

            @Override
            public void recordFamily(String hash, String familyId) {}

            @Override
            public int deleteExpired(Instant before) {
                return 0;
            }
        }, clock, new SecureRandom());

        assertThat(counting.redeem(null)).isEqualTo(new AuthorizationCodes.Invalid("malformed"));
        assertThat(counting.redeem("a".repeat(AuthorizationCodes.MAX_LENGTH + 1))).isEqualTo(new AuthorizationCodes.Invalid("malformed"));
        assertThat(looked).isEmpty();
        assertThat(counting.redeem("a".repeat(AuthorizationCodes.MAX_LENGTH))).isEqualTo(new AuthorizationCodes.Invalid("unknown"));
        assertThat(looked).containsExactly(Digests.sha256("a".repeat(AuthorizationCodes.MAX_LENGTH)));
    }

    @Test
    void deleteExpiredKeepsCodesForADayAfterExpirySoALateReplayIsStillRecognised() {
        String code = issue();
        clock.advance(AuthorizationCodes.LIFETIME.plus(Duration.ofDays(1)));
        assertThat(codes.deleteExpired()).as("expired exactly a day ago: kept").isZero();

        clock.advance(Duration.ofMillis(1));
        assertThat(codes.deleteExpired()).isEqualTo(1);
        assertThat(codes.redeem(code)).isEqualTo(new AuthorizationCodes.Invalid("unknown"));
    }
}
