package dev.rotor.oauth.authorize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.crypto.Base64Url;
import dev.rotor.crypto.Sealer;
import dev.rotor.session.MutableClock;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Sealed page handles: what the sign-in and consent pages carry, for their own step, for 15 minutes, under the server's key. */
class InteractionsTest {
    private static final Map<String, String> PARAMS = Map.of("client_id", "web", "redirect_uri", "https://app.example.test/cb?a=1&b=2",
            "state", "x=y&z", "nonce", "", "login_hint", "zoë+müller@example.test");

    private final MutableClock clock = new MutableClock();
    private final byte[] key = new byte[32];
    private final Interactions interactions;

    InteractionsTest() {
        new SecureRandom().nextBytes(key);
        interactions = new Interactions(new Sealer(key, new SecureRandom()), clock);
    }

    @Test
    void openGivesBackTheParametersStepAndSessionAsSealed() {
        String signIn = interactions.seal(PARAMS, Interactions.Step.SIGN_IN, null);
        String consent = interactions.seal(PARAMS, Interactions.Step.CONSENT, "sso-1");

        assertThat(interactions.open(signIn, Interactions.Step.SIGN_IN)).contains(new Interactions.Opened(PARAMS, Interactions.Step.SIGN_IN, null));
        assertThat(interactions.open(consent, Interactions.Step.CONSENT)).contains(new Interactions.Opened(PARAMS, Interactions.Step.CONSENT, "sso-1"));
    }

    @Test
    void openWhenMadeForTheOtherStepThenEmpty() {
        assertThat(interactions.open(interactions.seal(PARAMS, Interactions.Step.SIGN_IN, null), Interactions.Step.CONSENT)).isEmpty();
        assertThat(interactions.open(interactions.seal(PARAMS, Interactions.Step.CONSENT, "sso-1"), Interactions.Step.SIGN_IN)).isEmpty();
    }

    @Test
    void openAtExactly15MinutesThenOpensAndOneMillisecondLaterEmpty() {
        String handle = interactions.seal(PARAMS, Interactions.Step.SIGN_IN, null);

        clock.advance(Interactions.LIFETIME);
        assertThat(interactions.open(handle, Interactions.Step.SIGN_IN)).isPresent();
        clock.advance(Duration.ofMillis(1));
        assertThat(interactions.open(handle, Interactions.Step.SIGN_IN)).isEmpty();
    }

    @Test
    void openWhenMadeMoreThanAMinuteInTheFutureThenEmpty() {
        // Another node's clock may be a little ahead; a handle from far ahead would outlive its 15 minutes.
        clock.advance(Duration.ofSeconds(60));
        String aheadByAMinute = interactions.seal(PARAMS, Interactions.Step.SIGN_IN, null);
        clock.advance(Duration.ofMillis(1));
        String aheadByMore = interactions.seal(PARAMS, Interactions.Step.SIGN_IN, null);
        clock.set(MutableClock.T0);

        assertThat(interactions.open(aheadByAMinute, Interactions.Step.SIGN_IN)).isPresent();
        assertThat(interactions.open(aheadByMore, Interactions.Step.SIGN_IN)).isEmpty();
    }

    @Test
    void openWhenAnyByteIsChangedThenEmpty() {
        byte[] sealed = Base64Url.decodeCanonical(interactions.seal(PARAMS, Interactions.Step.SIGN_IN, null));
        for (int i = 0; i < sealed.length; i++) {
            byte[] tampered = sealed.clone();
            tampered[i] ^= 0x01;
            assertThat(interactions.open(Base64Url.encode(tampered), Interactions.Step.SIGN_IN)).as("byte %d", i).isEmpty();
        }
    }

    @Test
    void openWhenSealedUnderAnotherServersSecretThenEmpty() {
        byte[] other = key.clone();
        other[0] ^= 0x01;
        String foreign = new Interactions(new Sealer(other, new SecureRandom()), clock).seal(PARAMS, Interactions.Step.SIGN_IN, null);

        assertThat(interactions.open(foreign, Interactions.Step.SIGN_IN)).isEmpty();
    }

    @Test
    void openWhenSealedUnderTheSameKeyForAnotherPurposeThenEmpty() {
        Sealer sameKey = new Sealer(key, new SecureRandom());
        String other = Base64Url.encode(sameKey.seal(new byte[40], "rotor-something-else".getBytes()));

        assertThat(interactions.open(other, Interactions.Step.SIGN_IN)).isEmpty();
    }

    @Test
    void openWhenMissingMalformedOrOversizedThenEmpty() {
        String handle = interactions.seal(PARAMS, Interactions.Step.SIGN_IN, null);

        assertThat(interactions.open(null, Interactions.Step.SIGN_IN)).isEmpty();
        assertThat(interactions.open("", Interactions.Step.SIGN_IN)).isEmpty();
        assertThat(interactions.open("!!!!", Interactions.Step.SIGN_IN)).isEmpty();
        assertThat(interactions.open(handle + "=", Interactions.Step.SIGN_IN)).as("not canonical base64url").isEmpty();
        assertThat(interactions.open(handle.substring(0, handle.length() - 4), Interactions.Step.SIGN_IN)).as("truncated").isEmpty();
        assertThat(interactions.open("A".repeat(Interactions.MAX_LENGTH + 1), Interactions.Step.SIGN_IN)).isEmpty();
    }

    @Test
    void handlesOfEqualContentDifferSoNoneCanBeRecognised() {
        assertThat(interactions.seal(PARAMS, Interactions.Step.SIGN_IN, null)).isNotEqualTo(interactions.seal(PARAMS, Interactions.Step.SIGN_IN, null));
    }
}
