package dev.rotor.http;

import static dev.rotor.testing.OAuthAssertions.assertNoSecrets;
import static dev.rotor.testing.OAuthAssertions.assertOAuthError;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import dev.rotor.audit.AuditEvent;
import dev.rotor.audit.RequestInfo;
import dev.rotor.session.RefreshTokenFamily;
import dev.rotor.testing.ForgedTokens;
import dev.rotor.testing.Forms;
import dev.rotor.testing.Jsons;
import dev.rotor.testing.TestClock;
import dev.rotor.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code POST /oauth2/revoke} (RFC 7009) over real HTTP: what a revocation ends (the whole family, at the token
 * endpoint and at introspection), the silent {@code 200} for everything it does not end, and the bad-input matrix.
 */
class RevocationIT {
    private static final TestClock CLOCK = new TestClock();
    private static final String FULL_SCOPE = "openid profile email offline_access";
    private static final String WRONG_SECRET = "wrong-secret-wrong-secret-0123456789abcdef";
    private static final String FORM = "application/x-www-form-urlencoded";

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of(), CLOCK);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    // ---------------------------------------------------------------- what a revocation ends

    @ParameterizedTest
    @ValueSource(strings = {"", "refresh_token", "access_token", "id_token"})
    void revokeWhenTheClientsRefreshTokenThen200EmptyAndTheFamilyIsDeadEverywhere(String hint) {
        Map<String, Object> signedIn = server.passwordLogin("native");
        String t0 = (String) signedIn.get("refresh_token");
        Map<String, Object> rotated = Jsons.parse(refresh("native", t0).body());
        String t1 = (String) rotated.get("refresh_token");
        String access = (String) rotated.get("access_token");

        HttpResponse<String> r = revoke(hint.isEmpty() ? Forms.of("token", t1, "client_id", "native")
                : Forms.of("token", t1, "token_type_hint", hint, "client_id", "native"), null);

        assertRevoked(r);
        assertNoSecrets(r, t0, t1);
        HttpResponse<String> refused = refresh("native", t1);
        assertOAuthError(refused, 400, "invalid_grant");
        assertOAuthError(refresh("native", t0), 400, "invalid_grant");
        assertThat(introspect(access)).as("its access token").isEqualTo(Map.of("active", false));
        assertThat(introspect(t1)).isEqualTo(Map.of("active", false));
        assertThat(bearer(access).statusCode()).as("Rotor's own bearer endpoints refuse it too").isEqualTo(401);
    }

    @Test
    void revokeWhenTheClientsAccessTokenThenItsSessionEnds() {
        Map<String, Object> signedIn = server.passwordLogin("native");
        String access = (String) signedIn.get("access_token");
        String refreshToken = (String) signedIn.get("refresh_token");
        assertThat(introspect(access)).containsEntry("active", true);

        assertRevoked(revoke(Forms.of("token", access, "token_type_hint", "access_token", "client_id", "native"), null));

        assertThat(introspect(access)).isEqualTo(Map.of("active", false));
        assertOAuthError(refresh("native", refreshToken), 400, "invalid_grant");
        assertThat(family(refreshToken).revokeReason()).isEqualTo("client_revoked");
    }

    static Stream<Arguments> confidentialAuthentication() {
        return Stream.of(
                Arguments.of("client_secret_basic", (Function<String, String>) t -> Forms.of("token", t),
                        Forms.basic("backend", TestServer.CONFIDENTIAL_SECRET)),
                Arguments.of("client_secret_post", (Function<String, String>) t -> Forms.of("token", t, "client_id", "backend", "client_secret",
                        TestServer.CONFIDENTIAL_SECRET), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("confidentialAuthentication")
    void revokeWhenAConfidentialClientAuthenticatesThenItsTokenIsRevoked(String method, Function<String, String> form, String authorization) {
        String live = liveSession("backend");

        HttpResponse<String> r = revoke(form.apply(live), authorization);

        assertRevoked(r);
        assertNoSecrets(r, live, TestServer.CONFIDENTIAL_SECRET);
        assertThat(family(live).isRevoked()).isTrue();
    }

    @Test
    void revokeWhenReplayedThenStill200AndTheSessionStaysRevokedOnce() {
        String live = liveSession("native");
        String access = accessTokenOf(live);
        assertRevoked(revoke(Forms.of("token", live, "client_id", "native"), null));
        var first = family(live).revokedAt();
        CLOCK.advance(Duration.ofMinutes(1));

        assertRevoked(revoke(Forms.of("token", live, "client_id", "native"), null));
        assertRevoked(revoke(Forms.of("token", access, "client_id", "native"), null));

        assertThat(family(live).isRevoked()).isTrue();
        assertThat(family(live).revokedAt()).isEqualTo(first);
        assertThat(revocationsOf(live)).as("one session.revoked event").hasSize(1);
        assertOAuthError(refresh("native", live), 400, "invalid_grant");
    }

    // ---------------------------------------------------------------- 200 that ends nothing

    /** A presented value that must end nothing; built from a live native session of alice. */
    record Silent(String name, Function<String, String> token, String clientId) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Another client's tokens, the shared forgeries of an access token ({@link ForgedTokens#forgeries()}), broken refresh tokens. */
    static Stream<Silent> silentCases() {
        Stream<Silent> forged = ForgedTokens.forgeries().map(f -> new Silent(f.name(), t -> f.make().apply(
                new ForgedTokens.Genuine(server, CLOCK, accessTokenOf(t), alice(), "native", family(t).id())), "native"));
        return Stream.concat(Stream.of(
                new Silent("another client's refresh token", t -> t, "other-native"),
                new Silent("another client's access token", RevocationIT::accessTokenOf, "other-native")), Stream.concat(forged, Stream.of(
                new Silent("the refresh token with its MAC altered", t -> t.substring(0, t.length() - 1) + (t.endsWith("A") ? "Q" : "A"), "native"),
                new Silent("an unknown refresh token", t -> "A".repeat(71), "native"),
                new Silent("a malformed token", t -> "not a token!", "native"),
                new Silent("a 10 KiB token", t -> "A".repeat(10 * 1024), "native"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("silentCases")
    void revokeWhenTheTokenIsNotTheClientsLiveTokenThen200EmptyAndNothingEnds(Silent c) {
        String live = liveSession("native");
        String token = c.token().apply(live);

        for (String hint : new String[] {null, "access_token", "refresh_token"}) {
            HttpResponse<String> r = revoke(hint == null ? Forms.of("token", token, "client_id", c.clientId())
                    : Forms.of("token", token, "token_type_hint", hint, "client_id", c.clientId()), null);
            assertRevoked(r);
            assertNoSecrets(r, live, token);
        }

        assertStillCurrent(live);
    }

    @Test
    void revokeWhenAnotherClientsTokenThenTheLeakIsAuditedWithoutTheToken() {
        String live = liveSession("native");

        assertRevoked(revoke(Forms.of("token", live), Forms.basic("backend", TestServer.CONFIDENTIAL_SECRET)));

        List<AuditEvent> events = server.rotor().audit().tail(50).stream()
                .filter(e -> e.type().equals("revocation.wrong_client") && family(live).id().equals(e.sessionId())).toList();
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.clientId()).isEqualTo("backend");
            assertThat(e.detail()).containsEntry("token_client_id", "native").doesNotContainValue(live);
        });
        assertStillCurrent(live);
    }

    // ---------------------------------------------------------------- bad input

    /** One bad request; {@code {RT}} in the form is a live native refresh token that must come out unrevoked. */
    record Bad(String name, String contentType, String form, String authorization, int status, String error) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Bad> badRequests() {
        String ok = "client_id=native&token={RT}";
        return Stream.of(
                new Bad("content type text/plain", "text/plain", ok, null, 400, "invalid_request"),
                new Bad("content type JSON", "application/json", "{\"token\":\"{RT}\",\"client_id\":\"native\"}", null, 400, "invalid_request"),
                new Bad("no content type", null, ok, null, 400, "invalid_request"),
                new Bad("content type multipart", "multipart/form-data; boundary=x", ok, null, 400, "invalid_request"),
                new Bad("content type charset iso-8859-1", FORM + "; charset=iso-8859-1", ok, null, 400, "invalid_request"),
                new Bad("missing token", FORM, "client_id=native", null, 400, "invalid_request"),
                new Bad("empty token", FORM, "client_id=native&token=", null, 400, "invalid_request"),
                new Bad("token only in another parameter", FORM, "client_id=native&refresh_token={RT}", null, 400, "invalid_request"),
                new Bad("repeated token", FORM, ok + "&token={RT}", null, 400, "invalid_request"),
                new Bad("repeated token, once empty", FORM, ok + "&token=", null, 400, "invalid_request"),
                new Bad("repeated token_type_hint", FORM, ok + "&token_type_hint=refresh_token&token_type_hint=access_token", null, 400,
                        "invalid_request"),
                new Bad("repeated client_id", FORM, ok + "&client_id=native", null, 400, "invalid_request"),
                new Bad("malformed percent-encoding", FORM, "client_id=native&token=%zz{RT}", null, 400, "invalid_request"),
                new Bad("no client authentication", FORM, "token={RT}", null, 401, "invalid_client"),
                new Bad("unknown client", FORM, "client_id=nobody&token={RT}", null, 401, "invalid_client"),
                new Bad("public client sending a secret", FORM, ok + "&client_secret=" + WRONG_SECRET, null, 401, "invalid_client"),
                new Bad("confidential client without its secret", FORM, "client_id=backend&token={RT}", null, 401, "invalid_client"),
                new Bad("confidential client, wrong secret (post)", FORM, "client_id=backend&client_secret=" + WRONG_SECRET + "&token={RT}", null,
                        401, "invalid_client"),
                new Bad("confidential client, wrong secret (basic)", FORM, "token={RT}", Forms.basic("backend", WRONG_SECRET), 401, "invalid_client"),
                new Bad("Basic that is not base64", FORM, "token={RT}", "Basic %%%", 401, "invalid_client"),
                new Bad("Bearer instead of client authentication", FORM, "token={RT}", "Bearer {RT}", 401, "invalid_client"),
                new Bad("Basic and client_secret both", FORM, "client_secret=" + TestServer.CONFIDENTIAL_SECRET + "&token={RT}",
                        Forms.basic("backend", TestServer.CONFIDENTIAL_SECRET), 400, "invalid_request"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badRevocationRequestGetsRfc6749ErrorAndRevokesNothing(Bad bad) {
        String live = liveSession("native");
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri("/oauth2/revoke"))
                .POST(HttpRequest.BodyPublishers.ofString(bad.form().replace("{RT}", live)));
        if (bad.contentType() != null) request.header("Content-Type", bad.contentType());
        if (bad.authorization() != null) request.header("Authorization", bad.authorization().replace("{RT}", live));

        HttpResponse<String> r = server.send(request);

        assertOAuthError(r, bad.status(), bad.error());
        if (bad.status() == 401 && bad.authorization() != null) {
            assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
        }
        assertNoSecrets(r, live, TestServer.CONFIDENTIAL_SECRET, WRONG_SECRET);
        assertStillCurrent(live);
    }

    static Stream<Arguments> oversizedBodies() {
        byte[] body = Forms.of("client_id", "native", "token", "A".repeat(17 * 1024)).getBytes(StandardCharsets.US_ASCII);
        return Stream.of(
                Arguments.of("with Content-Length", HttpRequest.BodyPublishers.ofByteArray(body)),
                Arguments.of("chunked", HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oversizedBodies")
    void revokeWhenBodyOver16KiBThenRequestTooLarge(String how, HttpRequest.BodyPublisher body) {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("/oauth2/revoke")).header("Content-Type", FORM).POST(body));

        assertOAuthError(r, 413, "request_too_large");
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "PUT", "DELETE"})
    void revokeWhenMethodNotPostThenMethodNotAllowedAndNothingEnds(String method) {
        String live = liveSession("native");

        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("/oauth2/revoke?" + Forms.of("client_id", "native", "token", live)))
                .method(method, HttpRequest.BodyPublishers.noBody()));

        assertOAuthError(r, 405, "method_not_allowed");
        assertNoSecrets(r, live);
        assertStillCurrent(live);
    }

    @Test
    void revokeWhenTheTokenIsOnlyInTheQueryStringThenInvalidRequestAndNothingEnds() {
        String live = liveSession("native");

        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("/oauth2/revoke?" + Forms.of("token", live)))
                .header("Content-Type", FORM).POST(HttpRequest.BodyPublishers.ofString("client_id=native")));

        assertOAuthError(r, 400, "invalid_request");
        assertStillCurrent(live);
    }

    // ---------------------------------------------------------------- helpers

    private static HttpResponse<String> revoke(String form, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri("/oauth2/revoke")).header("Content-Type", FORM)
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (authorization != null) b.header("Authorization", authorization);
        return server.send(b);
    }

    /** RFC 7009 §2.2: 200, an empty body, and not cacheable. */
    private static void assertRevoked(HttpResponse<String> r) {
        assertThat(r.statusCode()).as("revocation answer: %s", r.body()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    private static HttpResponse<String> refresh(String clientId, String token) {
        return server.token(Forms.of("grant_type", "refresh_token", "client_id", clientId, "refresh_token", token));
    }

    private static Map<String, Object> introspect(String token) {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("/oauth2/introspect")).header("Content-Type", FORM)
                .header("Authorization", Forms.basic("backend", TestServer.CONFIDENTIAL_SECRET))
                .POST(HttpRequest.BodyPublishers.ofString(Forms.of("token", token))));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Jsons.parse(r.body());
    }

    private static HttpResponse<String> bearer(String access) {
        return server.send(HttpRequest.newBuilder(server.uri("/auth/sessions")).header("Authorization", "Bearer " + access).GET());
    }

    private static String alice() {
        return server.rotor().users().findByUsername("alice").orElseThrow().id();
    }

    /**
     * A fresh session of alice at {@code clientId}, started in-process (fixture set-up, without an Argon2id sign-in per
     * row); returns its refresh token.
     */
    private static String liveSession(String clientId) {
        return server.rotor().sessions().start(alice(), clientId, FULL_SCOPE, List.of("pwd"), "1", RefreshTokenFamily.Channel.TOKEN_ENDPOINT,
                new RequestInfo("127.0.0.1", "fixture")).refreshToken();
    }

    /** A genuine access token of the session the refresh token belongs to, as the server signs them. */
    private static String accessTokenOf(String refreshToken) {
        RefreshTokenFamily f = family(refreshToken);
        String token = ForgedTokens.signedByTheServer(server.rotor(), CLOCK, server.rotor().config().issuer(), server.rotor().config().audience(),
                f.userId(), f.clientId(), f.id());
        try {
            assertThat(SignedJWT.parse(token).getJWTClaimsSet().getStringClaim("sid")).isEqualTo(f.id());
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
        return token;
    }

    private static RefreshTokenFamily family(String refreshToken) {
        return server.rotor().sessions().findByToken(refreshToken).orElseThrow();
    }

    private static List<AuditEvent> revocationsOf(String refreshToken) {
        String id = family(refreshToken).id();
        return server.rotor().audit().tail(200).stream().filter(e -> e.type().equals("session.revoked") && id.equals(e.sessionId())).toList();
    }

    /** The refused request revoked and rotated nothing: the family is live at generation 0. */
    private static void assertStillCurrent(String refreshToken) {
        RefreshTokenFamily f = family(refreshToken);
        assertThat(f.isRevoked()).as("family not revoked").isFalse();
        assertThat(f.generation()).as("token not rotated").isZero();
        assertThat(server.rotor().sessions().isActive(f)).isTrue();
    }
}
