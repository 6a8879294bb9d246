package dev.rotor.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotor.audit.RequestInfo;
import dev.rotor.session.InMemoryRefreshTokenStore;
import dev.rotor.session.MutableClock;
import dev.rotor.session.RefreshTokenCodec;
import dev.rotor.session.RefreshTokenFamily;
import dev.rotor.session.Sessions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The checks of the cookie API that come before anything is signed in, rotated or issued: the Origin (CSRF) checks
 * and the sessions whose client is gone. Sign-in, rotation and issuance are null here, so a request that got past
 * a check would fail with a NullPointerException; they run for real, over HTTP, in {@code http/BrowserApiIT}.
 */
class BrowserFlowTest {
    private static final String SPA_ORIGIN = "https://app.example.test";
    private static final String OTHER_ORIGIN = "https://other.example.test";
    private static final String EVIL_ORIGIN = "https://evil.example.test";
    private static final RequestInfo BROWSER = new RequestInfo("203.0.113.7", "Firefox/128");
    /** Stands for the cookie of a live session of the SPA client in the case tables. */
    private static final String LIVE = "<live session>";

    private final MutableClock clock = new MutableClock();
    private final InMemoryClientStore clientStore = new InMemoryClientStore();
    private final Sessions sessions = new Sessions(new InMemoryRefreshTokenStore(), new RefreshTokenCodec(new byte[32]), clock,
            Duration.ofDays(7), Duration.ofDays(7), Duration.ofHours(1));
    private final BrowserFlow flow = new BrowserFlow(new ClientRegistry(clientStore, clock, Set.of()), null, sessions, null, null);

    BrowserFlowTest() {
        clientStore.add(publicClient("spa", SPA_ORIGIN));
        clientStore.add(publicClient("other-spa", OTHER_ORIGIN));
        clientStore.add(new Client("backend", Client.Type.CONFIDENTIAL, ClientRegistry.hashSecret("x".repeat(32)), List.of(),
                Set.of("client_credentials"), Set.of(SPA_ORIGIN), false, "openid", MutableClock.T0, Set.of()));
    }

    private static Client publicClient(String id, String origin) {
        return new Client(id, Client.Type.PUBLIC, null, List.of(), Set.of("refresh_token"), Set.of(origin), false, "openid",
                MutableClock.T0, Set.of());
    }

    private Sessions.Started cookieSession(String clientId) {
        return sessions.start("user-1", clientId, "openid", List.of("pwd"), "1", RefreshTokenFamily.Channel.COOKIE, BROWSER);
    }

    private static void assertRefused(Runnable call, ErrorCode code) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(OAuthException.class, e -> assertThat(e.error().code()).isEqualTo(code));
    }

    static Stream<Arguments> logoutRefusals() {
        return Stream.of(
                Arguments.of("no Origin, no cookie", null, null),
                Arguments.of("an unknown origin, no cookie", null, EVIL_ORIGIN),
                Arguments.of("an unknown origin, a cookie of no session", "A".repeat(RefreshTokenCodec.LENGTH), EVIL_ORIGIN),
                Arguments.of("no Origin, a live session's cookie", LIVE, null),
                Arguments.of("an unknown origin, a live session's cookie", LIVE, EVIL_ORIGIN),
                Arguments.of("another client's origin, a live session's cookie", LIVE, OTHER_ORIGIN));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("logoutRefusals")
    void logoutWhenOriginNotAllowedThenInvalidOriginAndTheSessionStaysLive(String why, String cookie, String origin) {
        Sessions.Started live = cookieSession("spa");
        String presented = LIVE.equals(cookie) ? live.refreshToken() : cookie;

        assertRefused(() -> flow.logout(presented, origin, BROWSER), ErrorCode.INVALID_ORIGIN);
        assertThat(sessions.isActive(sessions.find(live.family().id()).orElseThrow())).isTrue();
    }

    @Test
    void logoutFromTheSessionsOriginRevokesItAndReturnsIt() {
        Sessions.Started live = cookieSession("spa");

        assertThat(flow.logout(live.refreshToken(), SPA_ORIGIN, BROWSER)).hasValueSatisfying(f -> assertThat(f.id()).isEqualTo(live.family().id()));
        assertThat(sessions.find(live.family().id()).orElseThrow().revokeReason()).isEqualTo("logout");
    }

    @Test
    void logoutFromAKnownOriginWithoutASessionThenNothingToRevoke() {
        assertThat(flow.logout(null, SPA_ORIGIN, BROWSER)).isEmpty();
        assertThat(flow.logout("A".repeat(RefreshTokenCodec.LENGTH), OTHER_ORIGIN, BROWSER)).isEmpty();
    }

    @Test
    void logoutWhenTheSessionsClientIsGoneThenRevokesFromAnyKnownOrigin() {
        Sessions.Started orphan = cookieSession("deleted-spa");

        assertThat(flow.logout(orphan.refreshToken(), OTHER_ORIGIN, BROWSER)).isPresent();
        assertThat(sessions.find(orphan.family().id()).orElseThrow().isRevoked()).isTrue();
    }

    static Stream<Arguments> refreshRefusals() {
        return Stream.of(
                Arguments.of("no Origin", LIVE, null, ErrorCode.INVALID_ORIGIN),
                Arguments.of("an unknown origin", LIVE, EVIL_ORIGIN, ErrorCode.INVALID_ORIGIN),
                Arguments.of("another client's origin", LIVE, OTHER_ORIGIN, ErrorCode.INVALID_ORIGIN),
                Arguments.of("an unknown origin and no cookie", null, EVIL_ORIGIN, ErrorCode.INVALID_ORIGIN),
                Arguments.of("no cookie", null, SPA_ORIGIN, ErrorCode.INVALID_GRANT),
                Arguments.of("an empty cookie", "", SPA_ORIGIN, ErrorCode.INVALID_GRANT),
                Arguments.of("a cookie of no session", "A".repeat(RefreshTokenCodec.LENGTH), SPA_ORIGIN, ErrorCode.INVALID_GRANT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refreshRefusals")
    void refreshWhenOriginOrCookieWrongThenRefusedBeforeRotating(String why, String cookie, String origin, ErrorCode code) {
        Sessions.Started live = cookieSession("spa");
        String presented = LIVE.equals(cookie) ? live.refreshToken() : cookie;

        assertRefused(() -> flow.refresh(presented, origin, BROWSER), code);
        assertThat(sessions.find(live.family().id()).orElseThrow().generation()).as("not rotated").isZero();
    }

    @Test
    void refreshWhenTheSessionsClientIsGoneThenInvalidGrant() {
        Sessions.Started orphan = cookieSession("deleted-spa");

        assertRefused(() -> flow.refresh(orphan.refreshToken(), SPA_ORIGIN, BROWSER), ErrorCode.INVALID_GRANT);
    }

    static Stream<Arguments> loginRefusals() {
        return Stream.of(
                Arguments.of("no client_id", null, SPA_ORIGIN, ErrorCode.INVALID_REQUEST),
                Arguments.of("an empty client_id", "", SPA_ORIGIN, ErrorCode.INVALID_REQUEST),
                Arguments.of("an unknown client", "nobody", SPA_ORIGIN, ErrorCode.INVALID_CLIENT),
                Arguments.of("a confidential client from an origin it lists", "backend", SPA_ORIGIN, ErrorCode.UNAUTHORIZED_CLIENT),
                Arguments.of("no Origin", "spa", null, ErrorCode.INVALID_ORIGIN),
                Arguments.of("another client's origin", "spa", OTHER_ORIGIN, ErrorCode.INVALID_ORIGIN),
                Arguments.of("an unknown origin", "spa", EVIL_ORIGIN, ErrorCode.INVALID_ORIGIN));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("loginRefusals")
    void loginWhenClientOrOriginWrongThenRefusedBeforeCheckingThePassword(String why, String clientId, String origin, ErrorCode code) {
        assertRefused(() -> flow.login(clientId, origin, "alice", "correct horse battery staple", BROWSER), code);
    }
}
