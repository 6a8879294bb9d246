package dev.rotor.oauth.authorize;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** PKCE, S256 only (RFC 7636). */
class PkceTest {
    // RFC 7636 Appendix B.
    private static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    @Test
    void s256MatchesTheRfc7636AppendixBVector() {
        assertThat(Pkce.s256(VERIFIER)).isEqualTo(CHALLENGE);
        assertThat(Pkce.verifies(VERIFIER, CHALLENGE)).isTrue();
    }

    @Test
    void verifiesAcceptsTheShortestAndLongestVerifiersAndEveryUnreservedCharacter() {
        String shortest = "a".repeat(43);
        String longest = "A-._~" + "z".repeat(123);
        assertThat(Pkce.verifies(shortest, Pkce.s256(shortest))).isTrue();
        assertThat(Pkce.verifies(longest, Pkce.s256(longest))).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "42 characters            | aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "a character not allowed  | dBjftJeZ4CVP+mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
            "a space                  | dBjftJeZ4CVP mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
    })
    void verifiesRefusesAMalformedVerifierEvenWhenItsHashMatches(String why, String verifier) {
        assertThat(Pkce.verifies(verifier, Pkce.s256(verifier))).isFalse();
    }

    @Test
    void verifiesRefuses129Characters() {
        String v = "a".repeat(129);
        assertThat(Pkce.verifies(v, Pkce.s256(v))).isFalse();
    }

    @Test
    void verifiesRefusesAnotherVerifierTheChallengeItselfAndNulls() {
        assertThat(Pkce.verifies("a".repeat(43), CHALLENGE)).isFalse();
        assertThat(Pkce.verifies(CHALLENGE, CHALLENGE)).as("plain: the challenge as verifier").isFalse();
        assertThat(Pkce.verifies(VERIFIER, CHALLENGE.toLowerCase())).isFalse();
        assertThat(Pkce.verifies(null, CHALLENGE)).isFalse();
        assertThat(Pkce.verifies(VERIFIER, null)).isFalse();
    }

    @Test
    void isChallengeAcceptsExactly43Base64UrlCharacters() {
        assertThat(Pkce.isChallenge(CHALLENGE)).isTrue();
        assertThat(Pkce.isChallenge("_-" + "A".repeat(41))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-c", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cMM",
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw+cM", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-c=", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw.cM"})
    void isChallengeRefusesAnythingElse(String challenge) {
        assertThat(Pkce.isChallenge(challenge)).isFalse();
        assertThat(Pkce.isChallenge(null)).isFalse();
    }
}
