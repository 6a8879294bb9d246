package dev.rotor.oauth;

import static dev.rotor.oauth.PresentedTokenFixture.LAPTOP;
import static dev.rotor.oauth.PresentedTokenFixture.backend;
import static dev.rotor.oauth.PresentedTokenFixture.publicClientId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotor.audit.AuditEvent;
import dev.rotor.session.RefreshTokenCodec;
import dev.rotor.session.RefreshTokenFamily;
import dev.rotor.session.Sessions;
import java.time.Duration;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;

/** {@link TokenRevocation} on the in-memory stores: what ends a session, and everything that ends nothing. */
class TokenRevocationTest {
    private final PresentedTokenFixture fx = new PresentedTokenFixture();
    private final TokenRevocation revocation = new TokenRevocation(new ClientAuthentication(fx.clients), fx.lookup, fx.sessions, fx.audit,
            fx.clock);

    private void revoke(String token, TokenType hint, ClientCredentials creds) {
        revocation.revoke(new RevocationRequest(token, hint, creds, LAPTOP));
    }

    private void assertRevokedByClient(Sessions.Started s) {
        RefreshTokenFamily f = fx.family(s);
        assertThat(f.isRevoked()).isTrue();
        assertThat(f.revokeReason()).isEqualTo(TokenRevocation.REASON);
        assertThat(fx.sessionRevocations()).singleElement().satisfies(e -> {
            assertThat(e.sessionId()).isEqualTo(f.id());
            assertThat(e.clientId()).isEqualTo(f.clientId());
            assertThat(e.detail()).containsEntry("reason", TokenRevocation.REASON);
        });
    }

    private void assertStillLive(Sessions.Started s) {
        RefreshTokenFamily f = fx.family(s);
        assertThat(fx.sessions.isActive(f)).as("session %s still live", f.id()).isTrue();
        assertThat(f.generation()).as("nothing rotated").isEqualTo(s.family().generation());
        assertThat(fx.sessionRevocations()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(TokenType.class)
    void revokeWhenTheClientsCurrentRefreshTokenThenItsFamilyEndsWhateverTheHint(TokenType hint) {
        Sessions.Started s = fx.session("user-alice", "native");

        revoke(s.refreshToken(), hint, publicClientId("native"));

        assertRevokedByClient(s);
        assertThat(fx.sessionRevocations().getFirst().detail()).containsEntry("token_type", "refresh_token").containsEntry("generation", "0");
    }

    @Test
    void revokeWhenWithoutHintThenTheRefreshTokenIsFoundToo() {
        Sessions.Started s = fx.session("user-alice", "native");

        revoke(s.refreshToken(), null, publicClientId("native"));

        assertRevokedByClient(s);
    }

    @Test
    void revokeWhenAnEarlierTokenOfTheFamilyThenTheFamilyEnds() {
        Sessions.Started s = fx.session("user-alice", "native");
        String t1 = fx.rotate(s, s.refreshToken());

        revoke(s.refreshToken(), TokenType.REFRESH_TOKEN, publicClientId("native"));

        assertRevokedByClient(s);
        assertThat(fx.sessions.present(t1)).hasValueSatisfying(p -> assertThat(p.family().isRevoked()).isTrue());
    }

    @ParameterizedTest
    @EnumSource(TokenType.class)
    void revokeWhenTheClientsAccessTokenThenItsSessionEndsWhateverTheHint(TokenType hint) {
        Sessions.Started s = fx.session("user-alice", "native");

        revoke(fx.accessToken(s), hint, publicClientId("native"));

        assertRevokedByClient(s);
        assertThat(fx.sessionRevocations().getFirst().detail()).containsEntry("token_type", "access_token").containsKey("jti");
    }

    @Test
    void revokeWhenAConfidentialClientAuthenticatesThenItsTokenIsRevoked() {
        Sessions.Started s = fx.session("user-bob", "backend");

        revoke(s.refreshToken(), null, backend());

        assertRevokedByClient(s);
    }

    /** A token that ends nothing, made from a live session of alice at {@code native}. */
    record Case(String name, BiFunction<PresentedTokenFixture, Sessions.Started, String> token) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> tokensThatEndNothing() {
        return Stream.of(
                new Case("a malformed value", (fx, s) -> "not a token!"),
                new Case("a 10 KiB value", (fx, s) -> "A".repeat(10 * 1024)),
                new Case("a refresh token of a family that does not exist", (fx, s) -> fx.codec.issue(UUID.randomUUID().toString(), 0)),
                new Case("a refresh token under another MAC key", (fx, s) -> new RefreshTokenCodec(new byte[32]).issue(s.family().id(), 0)),
                new Case("a refresh token with its MAC altered", (fx, s) -> flipLast(s.refreshToken())),
                new Case("a generation the family never reached", (fx, s) -> fx.codec.issue(s.family().id(), 1)),
                new Case("an unknown token of the old format", (fx, s) -> "A".repeat(RefreshTokenCodec.LEGACY_LENGTH)),
                new Case("an access token signed by another key", (fx, s) -> fx.accessToken(fx.foreignKey, s)),
                new Case("an access token for another audience", (fx, s) -> fx.accessToken(fx.otherAudience, s)),
                new Case("an access token of another issuer", (fx, s) -> fx.accessToken(fx.otherIssuer, s)),
                new Case("an access token with its signature altered", (fx, s) -> flipLast(fx.accessToken(s))),
                new Case("an expired access token", (fx, s) -> {
                    String token = fx.accessToken(s);
                    fx.clock.advance(PresentedTokenFixture.ACCESS_TTL.plusMinutes(1));
                    return token;
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tokensThatEndNothing")
    void revokeWhenTheTokenIsNoneOfThisServersThenSucceedsAndEndsNothing(Case c) {
        Sessions.Started s = fx.session("user-alice", "native");
        String token = c.token().apply(fx, s);

        for (TokenType hint : new TokenType[] {null, TokenType.ACCESS_TOKEN, TokenType.REFRESH_TOKEN}) {
            revoke(token, hint, publicClientId("native"));
        }

        assertStillLive(s);
        assertThat(fx.audited).as("nothing to audit").isEmpty();
    }

    static Stream<Arguments> anotherClientsTokens() {
        return Stream.of(
                Arguments.of("refresh token", (BiFunction<PresentedTokenFixture, Sessions.Started, String>) (fx, s) -> s.refreshToken(),
                        "refresh_token"),
                Arguments.of("access token", (BiFunction<PresentedTokenFixture, Sessions.Started, String>) (fx, s) -> fx.accessToken(s),
                        "access_token"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("anotherClientsTokens")
    void revokeWhenAnotherClientsTokenThenSucceedsSilentlyEndsNothingAndAuditsTheLeak(String kind,
            BiFunction<PresentedTokenFixture, Sessions.Started, String> tokenOf, String tokenType) {
        Sessions.Started s = fx.session("user-alice", "native");
        String token = tokenOf.apply(fx, s);

        revoke(token, null, publicClientId("other-native"));
        revoke(token, null, backend());

        assertStillLive(s);
        assertThat(fx.audited).hasSize(2).allSatisfy(e -> {
            assertThat(e.type()).isEqualTo("revocation.wrong_client");
            assertThat(e.sessionId()).isEqualTo(s.family().id());
            assertThat(e.userId()).isEqualTo("user-alice");
            assertThat(e.detail()).containsEntry("token_client_id", "native").containsEntry("token_type", tokenType)
                    .doesNotContainValue(token);
        });
        assertThat(fx.audited).extracting(AuditEvent::clientId).containsExactly("other-native", "backend");
    }

    @Test
    void revokeWhenAnAccessTokenNamesASessionOfAnotherUserThenEndsNothing() {
        Sessions.Started alice = fx.session("user-alice", "native");
        Sessions.Started bob = fx.session("user-bob", "native");
        // A token of ours whose sid is bob's session but whose subject is alice: no grant issues one; it must not end bob's.
        String mixed = fx.accessTokens.issue(new dev.rotor.token.AccessTokenRequest("user-alice", "native", "openid", bob.family().id(),
                null, null, null, java.util.Map.of())).value();

        revoke(mixed, TokenType.ACCESS_TOKEN, publicClientId("native"));

        assertStillLive(alice);
        assertStillLive(bob);
    }

    @Test
    void revokeWhenAClientCredentialsAccessTokenThenSucceedsAndEndsNothing() {
        Sessions.Started s = fx.session("user-bob", "backend");

        revoke(fx.clientToken("backend"), TokenType.ACCESS_TOKEN, backend());

        assertStillLive(s);
    }

    @Test
    void revokeWhenReplayedThenStillSucceedsAndTheSessionIsRevokedOnce() {
        Sessions.Started s = fx.session("user-alice", "native");
        String access = fx.accessToken(s);
        revoke(s.refreshToken(), null, publicClientId("native"));
        fx.clock.advance(Duration.ofMinutes(1));

        revoke(s.refreshToken(), null, publicClientId("native"));
        revoke(access, null, publicClientId("native"));

        assertRevokedByClient(s);
        assertThat(fx.family(s).revokedAt()).as("the first revocation stands").isEqualTo(fx.clock.instant().minus(Duration.ofMinutes(1)));
    }

    @Test
    void revokeWhenTheSessionIsPastItsLifetimeThenSucceedsAndWritesNothing() {
        Sessions.Started s = fx.session("user-alice", "native");
        fx.clock.advance(Duration.ofDays(7));

        revoke(s.refreshToken(), null, publicClientId("native"));

        assertThat(fx.family(s).isRevoked()).isFalse();
        assertThat(fx.sessionRevocations()).isEmpty();
    }

    @Test
    void revokeWhenTheSessionWasRevokedForReuseThenTheReasonStays() {
        Sessions.Started s = fx.session("user-alice", "native");
        fx.rotate(s, s.refreshToken());
        fx.clock.advance(PresentedTokenFixture.RETRY.plusSeconds(1));
        fx.sessions.refresh(s.refreshToken(), "native", RefreshTokenFamily.Channel.TOKEN_ENDPOINT, LAPTOP); // reuse: revoked

        revoke(s.refreshToken(), null, publicClientId("native"));

        assertThat(fx.family(s).revokeReason()).isEqualTo("refresh_token_reuse");
        assertThat(fx.sessionRevocations()).isEmpty();
    }

    static Stream<Arguments> failedAuthentication() {
        return Stream.of(
                Arguments.of("no client_id", new ClientCredentials(null, null, false)),
                Arguments.of("an unknown client", publicClientId("nobody")),
                Arguments.of("a confidential client without its secret", publicClientId("backend")),
                Arguments.of("a confidential client with a wrong secret", new ClientCredentials("backend", "wrong-secret-wrong-secret-0123456789", true)),
                Arguments.of("a public client that sends a secret", new ClientCredentials("native", "a-secret", false)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failedAuthentication")
    void revokeWhenClientAuthenticationFailsThenInvalidClientAndNothingEnds(String why, ClientCredentials creds) {
        Sessions.Started s = fx.session("user-alice", "native");
        Sessions.Started confidential = fx.session("user-bob", "backend");

        for (String token : new String[] {s.refreshToken(), fx.accessToken(s), confidential.refreshToken()}) {
            assertThatThrownBy(() -> revoke(token, null, creds)).isInstanceOfSatisfying(OAuthException.class,
                    e -> assertThat(e.error().code()).isEqualTo(ErrorCode.INVALID_CLIENT));
        }

        assertStillLive(s);
        assertStillLive(confidential);
    }

    @ParameterizedTest
    @NullAndEmptySource
    void revokeWhenNoTokenThenInvalidRequest(String token) {
        assertThatThrownBy(() -> revoke(token, TokenType.REFRESH_TOKEN, publicClientId("native"))).isInstanceOfSatisfying(OAuthException.class,
                e -> {
                    assertThat(e.error().code()).isEqualTo(ErrorCode.INVALID_REQUEST);
                    assertThat(e.error().description()).isEqualTo("missing parameter: token");
                });
    }

    private static String flipLast(String token) {
        char last = token.charAt(token.length() - 1);
        // A different character of the same 6-bit group's top bits, so that the value stays canonical base64url.
        return token.substring(0, token.length() - 1) + (last == 'A' ? 'Q' : 'A');
    }
}
