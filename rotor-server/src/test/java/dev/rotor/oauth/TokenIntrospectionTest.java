package dev.rotor.oauth;

import static dev.rotor.oauth.PresentedTokenFixture.AUDIENCE;
import static dev.rotor.oauth.PresentedTokenFixture.ISSUER;
import static dev.rotor.oauth.PresentedTokenFixture.LAPTOP;
import static dev.rotor.oauth.PresentedTokenFixture.SCOPE;
import static dev.rotor.oauth.PresentedTokenFixture.backend;
import static dev.rotor.oauth.PresentedTokenFixture.publicClientId;
import static dev.rotor.oauth.PresentedTokenFixture.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotor.session.RefreshTokenCodec;
import dev.rotor.session.RefreshTokenFamily;
import dev.rotor.session.Sessions;
import dev.rotor.token.AccessTokenRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;

/** {@link TokenIntrospection} on the in-memory stores: what is active now, and everything that is not. */
class TokenIntrospectionTest {
    private final PresentedTokenFixture fx = new PresentedTokenFixture();
    private final TokenIntrospection introspection = new TokenIntrospection(new ClientAuthentication(fx.clients), fx.lookup, fx.sessions,
            fx.clients, fx.users, ISSUER, fx.clock);

    private Introspection introspect(String token, TokenType hint, ClientCredentials creds) {
        return introspection.introspect(new IntrospectionRequest(token, hint, creds));
    }

    @ParameterizedTest
    @EnumSource(TokenType.class)
    void introspectWhenAUsersAccessTokenIsValidThenActiveWithItsClaimsWhateverTheHint(TokenType hint) {
        Sessions.Started s = fx.session("user-alice", "native");
        Instant issued = fx.clock.instant();
        String token = fx.accessToken(s);
        fx.clock.advance(Duration.ofMinutes(5));

        Introspection i = introspect(token, hint, resource());

        assertThat(i.active()).isTrue();
        assertThat(i.type()).isEqualTo(TokenType.ACCESS_TOKEN);
        assertThat(i.scope()).isEqualTo(SCOPE);
        assertThat(i.clientId()).isEqualTo("native");
        assertThat(i.username()).isEqualTo("alice");
        assertThat(i.subject()).isEqualTo("user-alice");
        assertThat(i.issuedAt()).isEqualTo(issued);
        assertThat(i.expiresAt()).isEqualTo(issued.plus(PresentedTokenFixture.ACCESS_TTL));
        assertThat(i.notBefore()).as("the token has no nbf").isNull();
        assertThat(i.audience()).containsExactly(AUDIENCE);
        assertThat(i.issuer()).isEqualTo(ISSUER);
        assertThat(i.jti()).isNotBlank();
        assertThat(i.sessionId()).isEqualTo(s.family().id());
    }

    @Test
    void introspectWhenAClientCredentialsTokenThenActiveWithoutUserOrSession() {
        Introspection i = introspect(fx.clientToken("backend"), null, resource());

        assertThat(i.active()).isTrue();
        assertThat(i.subject()).isEqualTo("backend");
        assertThat(i.clientId()).isEqualTo("backend");
        assertThat(i.username()).isNull();
        assertThat(i.sessionId()).isNull();
        assertThat(i.scope()).isEqualTo("orders:read");
    }

    @ParameterizedTest
    @EnumSource(TokenType.class)
    void introspectWhenTheClientsCurrentRefreshTokenThenActiveAndNothingChanges(TokenType hint) {
        Sessions.Started s = fx.session("user-bob", "backend");
        fx.clock.advance(Duration.ofMinutes(2));
        String t1 = fx.rotate(s, s.refreshToken());
        RefreshTokenFamily before = fx.family(s);
        int reads = fx.refreshStore.familyReads();
        fx.clock.advance(Duration.ofHours(2)); // past the retry window of t0: a rotation would now treat t0 as reuse

        Introspection i = introspect(t1, hint, backend());
        int readsDuring = fx.refreshStore.familyReads() - reads;

        assertThat(i.active()).isTrue();
        assertThat(i.type()).isEqualTo(TokenType.REFRESH_TOKEN);
        assertThat(i.clientId()).isEqualTo("backend");
        assertThat(i.username()).isEqualTo("bob");
        assertThat(i.subject()).isEqualTo("user-bob");
        assertThat(i.scope()).isEqualTo(SCOPE);
        assertThat(i.sessionId()).isEqualTo(s.family().id());
        assertThat(i.issuer()).isEqualTo(ISSUER);
        assertThat(i.issuedAt()).as("issued by the rotation").isEqualTo(before.rotatedAt());
        assertThat(i.expiresAt()).isEqualTo(before.expiresAt());
        assertThat(i.jti()).isNull();
        assertThat(i.audience()).isEmpty();
        assertThat(fx.family(s)).as("not rotated, not touched").isEqualTo(before);
        assertThat(readsDuring).as("one read of the family").isEqualTo(1);
        assertThat(fx.sessions.refresh(t1, "backend", RefreshTokenFamily.Channel.TOKEN_ENDPOINT, LAPTOP))
                .as("the token is still current").isInstanceOf(dev.rotor.session.RotationOutcome.Rotated.class);
    }

    @Test
    void introspectWhenTheFirstRefreshTokenThenIssuedAtTheSignIn() {
        Sessions.Started s = fx.session("user-bob", "backend");

        Introspection i = introspect(s.refreshToken(), null, backend());

        assertThat(i.issuedAt()).isEqualTo(s.family().createdAt());
    }

    @Test
    void introspectWhenTheIdleTimeoutComesFirstThenExpIsTheIdleExpiry() {
        Sessions idle = new Sessions(fx.refreshStore, fx.codec, fx.clock, Duration.ofDays(7), Duration.ofHours(8), PresentedTokenFixture.RETRY);
        TokenIntrospection withIdle = new TokenIntrospection(new ClientAuthentication(fx.clients), new TokenLookup(idle, fx.accessTokens), idle,
                fx.clients, fx.users, ISSUER, fx.clock);
        Sessions.Started s = idle.start("user-bob", "backend", SCOPE, List.of("pwd"), "1", RefreshTokenFamily.Channel.TOKEN_ENDPOINT, LAPTOP);

        Introspection i = withIdle.introspect(new IntrospectionRequest(s.refreshToken(), null, backend()));

        assertThat(i.expiresAt()).isEqualTo(s.family().createdAt().plus(Duration.ofHours(8)));
    }

    /** A value that is not active now, made from live sessions of alice at {@code native} and of bob at {@code backend}. */
    record Case(String name, BiFunction<PresentedTokenFixture, Sessions, String> token) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> inactive() {
        return Stream.of(
                new Case("a malformed value", (fx, s) -> "not a token!"),
                new Case("a 10 KiB value", (fx, s) -> "A".repeat(10 * 1024)),
                new Case("a refresh token of a family that does not exist", (fx, s) -> fx.codec.issue(UUID.randomUUID().toString(), 0)),
                new Case("a refresh token under another MAC key", (fx, s) -> new RefreshTokenCodec(new byte[32]).issue(bob(fx).family().id(), 0)),
                new Case("a generation the family never reached", (fx, s) -> fx.codec.issue(bob(fx).family().id(), 1)),
                new Case("a used refresh token, inside the retry window", (fx, s) -> {
                    Sessions.Started b = bob(fx);
                    fx.rotate(b, b.refreshToken());
                    return b.refreshToken();
                }),
                new Case("a refresh token of a revoked session", (fx, s) -> {
                    Sessions.Started b = bob(fx);
                    fx.sessions.revoke(b.family(), "logout", LAPTOP);
                    return b.refreshToken();
                }),
                new Case("a refresh token past its session's lifetime", (fx, s) -> {
                    Sessions.Started b = bob(fx);
                    fx.clock.advance(Duration.ofDays(7));
                    return b.refreshToken();
                }),
                new Case("a refresh token of another client", (fx, s) -> fx.session("user-alice", "native").refreshToken()),
                new Case("a refresh token of a disabled user", (fx, s) -> {
                    Sessions.Started b = bob(fx);
                    fx.users.disable("bob");
                    return b.refreshToken();
                }),
                new Case("a refresh token of a user who is gone", (fx, s) -> fx.session("user-gone", "backend").refreshToken()),
                new Case("an access token signed by another key", (fx, s) -> fx.accessToken(fx.foreignKey, alice(fx))),
                new Case("an access token for another audience", (fx, s) -> fx.accessToken(fx.otherAudience, alice(fx))),
                new Case("an access token of another issuer", (fx, s) -> fx.accessToken(fx.otherIssuer, alice(fx))),
                new Case("an access token at its exp", (fx, s) -> {
                    String token = fx.accessToken(alice(fx));
                    fx.clock.advance(PresentedTokenFixture.ACCESS_TTL);
                    return token;
                }),
                new Case("an access token long expired", (fx, s) -> {
                    String token = fx.accessToken(alice(fx));
                    fx.clock.advance(Duration.ofHours(1));
                    return token;
                }),
                new Case("an access token of a revoked session", (fx, s) -> {
                    Sessions.Started a = alice(fx);
                    fx.sessions.revoke(a.family(), "logout", LAPTOP);
                    return fx.accessToken(a);
                }),
                new Case("an access token of a session past its lifetime", (fx, s) -> {
                    Sessions.Started a = alice(fx);
                    fx.clock.advance(Duration.ofDays(7));
                    return fx.accessToken(a); // signed now, so only the session says no
                }),
                new Case("an access token of a disabled user", (fx, s) -> {
                    String token = fx.accessToken(alice(fx));
                    fx.users.disable("alice");
                    return token;
                }),
                new Case("an access token of a user who is gone", (fx, s) -> fx.accessToken(fx.session("user-gone", "native"))),
                new Case("an access token whose session is another user's", (fx, s) -> fx.accessTokens.issue(new AccessTokenRequest("user-bob",
                        "native", SCOPE, alice(fx).family().id(), null, null, null, Map.of())).value()),
                new Case("an access token whose session is another client's", (fx, s) -> fx.accessTokens.issue(new AccessTokenRequest(
                        "user-alice", "other-native", SCOPE, alice(fx).family().id(), null, null, null, Map.of())).value()),
                new Case("an access token of a session that does not exist", (fx, s) -> fx.accessTokens.issue(new AccessTokenRequest(
                        "user-alice", "native", SCOPE, UUID.randomUUID().toString(), null, null, null, Map.of())).value()),
                new Case("an access token of a client that is not registered", (fx, s) -> fx.clientToken("gone-client")),
                new Case("a user's access token without a session", (fx, s) -> fx.accessTokens.issue(new AccessTokenRequest("user-alice",
                        "native", SCOPE, null, null, null, null, Map.of())).value()));
    }

    private static Sessions.Started alice(PresentedTokenFixture fx) {
        return fx.session("user-alice", "native");
    }

    private static Sessions.Started bob(PresentedTokenFixture fx) {
        return fx.session("user-bob", "backend");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inactive")
    void introspectWhenTheTokenIsNotValidNowThenInactiveAndNothingElse(Case c) {
        String token = c.token().apply(fx, fx.sessions);

        for (TokenType hint : new TokenType[] {null, TokenType.ACCESS_TOKEN, TokenType.REFRESH_TOKEN}) {
            assertThat(introspect(token, hint, backend())).as("hint %s", hint).isSameAs(Introspection.INACTIVE);
        }
    }

    @Test
    void introspectWhenARefreshTokenIsPresentedByAnotherConfidentialClientThenInactive() {
        Sessions.Started s = fx.session("user-bob", "backend");

        assertThat(introspect(s.refreshToken(), null, resource())).isSameAs(Introspection.INACTIVE);
        assertThat(introspect(s.refreshToken(), null, backend()).active()).isTrue();
    }

    @Test
    void introspectWhenAnotherClientsAccessTokenThenActiveForAResourceServer() {
        Sessions.Started s = fx.session("user-alice", "native");

        assertThat(introspect(fx.accessToken(s), null, backend()).active()).isTrue();
    }

    static Stream<Arguments> refusedClients() {
        return Stream.of(
                Arguments.of("a public client", publicClientId("native")),
                Arguments.of("no client_id", new ClientCredentials(null, null, false)),
                Arguments.of("an unknown client", new ClientCredentials("nobody", "some-secret-some-secret-0123456789", true)),
                Arguments.of("a confidential client without its secret", publicClientId("backend")),
                Arguments.of("a confidential client with a wrong secret", new ClientCredentials("backend", "wrong-secret-wrong-secret-0123456789", true)),
                Arguments.of("a confidential client with another client's secret",
                        new ClientCredentials("backend", PresentedTokenFixture.RESOURCE_SECRET, true)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedClients")
    void introspectWhenTheClientIsNotAnAuthenticatedConfidentialClientThenInvalidClient(String why, ClientCredentials creds) {
        Sessions.Started s = fx.session("user-alice", "native");

        for (String token : new String[] {s.refreshToken(), fx.accessToken(s)}) {
            assertThatThrownBy(() -> introspect(token, null, creds)).isInstanceOfSatisfying(OAuthException.class,
                    e -> assertThat(e.error().code()).isEqualTo(ErrorCode.INVALID_CLIENT));
        }
    }

    @ParameterizedTest
    @NullAndEmptySource
    void introspectWhenNoTokenThenInvalidRequest(String token) {
        assertThatThrownBy(() -> introspect(token, null, backend())).isInstanceOfSatisfying(OAuthException.class, e -> {
            assertThat(e.error().code()).isEqualTo(ErrorCode.INVALID_REQUEST);
            assertThat(e.error().description()).isEqualTo("missing parameter: token");
        });
    }
}
