package dev.rotor.http;

import static dev.rotor.testing.OAuthAssertions.assertNoSecrets;
import static dev.rotor.testing.OAuthAssertions.assertOAuthError;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.rotor.audit.RequestInfo;
import dev.rotor.oauth.Client;
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
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code POST /oauth2/introspect} (RFC 7662) over real HTTP: the members of an active token, {@code {"active":false}}
 * and nothing else for anything not valid now, that introspection changes nothing, and the refusals.
 */
class IntrospectionIT {
    private static final TestClock CLOCK = new TestClock();
    private static final String FULL_SCOPE = "openid profile email offline_access";
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String RESOURCE_SECRET = "resource-server-secret-0123456789abcdefgh";
    private static final String WRONG_SECRET = "wrong-secret-wrong-secret-0123456789abcdef";
    private static final Map<String, Object> INACTIVE = Map.of("active", false);
    private static final AtomicInteger USERS = new AtomicInteger();

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of(), CLOCK);
        // A resource server: a confidential client that only introspects.
        server.addClient("resource", Client.Type.CONFIDENTIAL, RESOURCE_SECRET, Set.of("client_credentials"), Set.of(), false);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    // ---------------------------------------------------------------- active

    @Test
    void introspectWhenAUsersAccessTokenIsValidThenActiveWithItsClaims() throws Exception {
        String access = (String) server.passwordLogin("native").get("access_token");
        JWTClaimsSet claims = SignedJWT.parse(access).getJWTClaimsSet();

        HttpResponse<String> r = introspect(Forms.of("token", access), resource());

        Map<String, Object> body = assertIntrospection(r);
        assertThat(body).containsOnlyKeys("active", "scope", "client_id", "username", "token_type", "exp", "iat", "sub", "aud", "iss", "jti", "sid");
        assertThat(body).containsEntry("active", true).containsEntry("scope", FULL_SCOPE).containsEntry("client_id", "native")
                .containsEntry("username", "alice").containsEntry("token_type", "Bearer").containsEntry("sub", claims.getSubject())
                .containsEntry("iss", server.rotor().config().issuer()).containsEntry("aud", server.rotor().config().audience())
                .containsEntry("jti", claims.getJWTID()).containsEntry("sid", claims.getStringClaim("sid"));
        assertThat(((Number) body.get("exp")).longValue()).isEqualTo(claims.getExpirationTime().toInstant().getEpochSecond());
        assertThat(((Number) body.get("iat")).longValue()).isEqualTo(claims.getIssueTime().toInstant().getEpochSecond());
    }

    @Test
    void introspectWhenAClientCredentialsTokenThenActiveWithoutUserOrSession() {
        String access = clientCredentialsToken();

        Map<String, Object> body = assertIntrospection(introspect(Forms.of("token", access, "token_type_hint", "access_token"), resource()));

        assertThat(body).containsEntry("active", true).containsEntry("client_id", "backend").containsEntry("sub", "backend")
                .doesNotContainKeys("username", "sid");
    }

    static Stream<Arguments> confidentialAuthentication() {
        return Stream.of(
                Arguments.of("client_secret_basic", null, Forms.basic("backend", TestServer.CONFIDENTIAL_SECRET)),
                Arguments.of("client_secret_post", Forms.of("client_id", "backend", "client_secret", TestServer.CONFIDENTIAL_SECRET), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("confidentialAuthentication")
    void introspectWhenTheClientsOwnRefreshTokenThenActiveAndItIsNeitherRotatedNorTouched(String method, String credentialsForm,
                                                                                           String authorization) {
        String live = liveSession("backend");
        RefreshTokenFamily before = family(live);
        CLOCK.advance(Duration.ofMinutes(1));

        for (String hint : new String[] {null, "refresh_token", "access_token"}) {
            String form = Forms.of("token", live) + (hint == null ? "" : "&token_type_hint=" + hint)
                    + (credentialsForm == null ? "" : "&" + credentialsForm);
            Map<String, Object> body = assertIntrospection(introspect(form, authorization));
            assertThat(body).containsOnlyKeys("active", "scope", "client_id", "username", "exp", "iat", "sub", "iss", "sid")
                    .containsEntry("active", true).containsEntry("client_id", "backend").containsEntry("username", "alice")
                    .containsEntry("sid", before.id()).containsEntry("scope", FULL_SCOPE);
            assertThat(((Number) body.get("exp")).longValue()).isEqualTo(before.expiresAt().getEpochSecond());
            assertThat(((Number) body.get("iat")).longValue()).isEqualTo(before.createdAt().getEpochSecond());
        }

        assertThat(family(live)).as("not rotated, last use not touched").isEqualTo(before);
        HttpResponse<String> rotated = server.token(Forms.of("grant_type", "refresh_token", "refresh_token", live, "client_id", "backend",
                "client_secret", TestServer.CONFIDENTIAL_SECRET));
        assertThat(rotated.statusCode()).as("still the current token: %s", rotated.body()).isEqualTo(200);
    }

    @Test
    void introspectWhenAnotherClientsAccessTokenThenActiveForAnyConfidentialClient() {
        String access = (String) server.passwordLogin("native").get("access_token");

        assertThat(assertIntrospection(introspect(Forms.of("token", access), Forms.basic("backend", TestServer.CONFIDENTIAL_SECRET))))
                .containsEntry("active", true);
    }

    // ---------------------------------------------------------------- inactive

    record Inactive(String name, Supplier<String> token) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** The shared forgeries of an access token ({@link ForgedTokens#forgeries()}), then what else is not valid now. */
    static Stream<Inactive> inactiveTokens() {
        return Stream.concat(ForgedTokens.forgeries().map(f -> new Inactive(f.name(), () -> {
            ForgedTokens.Genuine genuine = ForgedTokens.genuine(server, CLOCK, "native");
            assertThat(assertIntrospection(introspect(Forms.of("token", genuine.accessToken()), resource()))).as("the genuine token")
                    .containsEntry("active", true);
            return f.make().apply(genuine);
        })), Stream.of(
                new Inactive("a malformed value", () -> "not a token!"),
                new Inactive("an unknown refresh token", () -> "A".repeat(71)),
                new Inactive("an unknown refresh token of the old format", () -> "A".repeat(43)),
                new Inactive("a 10 KiB value", () -> "A".repeat(10 * 1024)),
                new Inactive("an access token whose session was revoked", () -> {
                    String live = liveSession("native");
                    String access = accessTokenOf(live);
                    revoke(live, "native");
                    return access;
                }),
                new Inactive("an access token whose user is disabled", () -> {
                    String username = "carol-" + USERS.incrementAndGet();
                    String userId = server.rotor().accounts().register(username, null, null, TestServer.PASSWORD).id();
                    RefreshTokenFamily f = server.rotor().sessions().start(userId, "native", FULL_SCOPE, List.of("pwd"), "1",
                            RefreshTokenFamily.Channel.TOKEN_ENDPOINT, RequestInfo.NONE).family();
                    String access = ForgedTokens.signedByTheServer(server.rotor(), CLOCK, server.rotor().config().issuer(),
                            server.rotor().config().audience(), userId, "native", f.id());
                    server.rotor().users().disable(username); // without revoking the session: only the user says no
                    return access;
                }),
                new Inactive("a used refresh token, inside the retry window", () -> {
                    String live = liveSession("backend");
                    HttpResponse<String> r = server.token(Forms.of("grant_type", "refresh_token", "refresh_token", live, "client_id", "backend",
                            "client_secret", TestServer.CONFIDENTIAL_SECRET));
                    assertThat(r.statusCode()).isEqualTo(200);
                    return live;
                }),
                new Inactive("a revoked refresh token", () -> {
                    String live = liveSession("backend");
                    server.rotor().sessions().revoke(family(live), "logout", RequestInfo.NONE);
                    return live;
                }),
                new Inactive("a refresh token past its session's lifetime", () -> {
                    String live = liveSession("backend");
                    CLOCK.advance(Duration.ofDays(7));
                    return live;
                }),
                new Inactive("another client's refresh token", () -> liveSession("native"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inactiveTokens")
    void introspectWhenTheTokenIsNotValidNowThenActiveFalseAndNothingElse(Inactive c) {
        String token = c.token().get();

        for (String hint : new String[] {null, "access_token", "refresh_token", "id_token"}) {
            HttpResponse<String> r = introspect(Forms.of("token", token) + (hint == null ? "" : "&token_type_hint=" + hint),
                    Forms.basic("backend", TestServer.CONFIDENTIAL_SECRET));
            assertThat(assertIntrospection(r)).as("hint %s", hint).isEqualTo(INACTIVE);
            assertThat(r.body()).isEqualTo("{\"active\":false}");
            assertNoSecrets(r, token, TestServer.CONFIDENTIAL_SECRET);
        }
    }

    // ---------------------------------------------------------------- refusals

    record Bad(String name, String contentType, String form, String authorization, int status, String error) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Bad> badRequests() {
        String basic = Forms.basic("resource", RESOURCE_SECRET);
        return Stream.of(
                new Bad("a public client", FORM, "client_id=native&token={AT}", null, 401, "invalid_client"),
                new Bad("a public client over Basic with an empty secret", FORM, "token={AT}", Forms.basic("native", ""), 401, "invalid_client"),
                new Bad("no client authentication", FORM, "token={AT}", null, 401, "invalid_client"),
                new Bad("an unknown client", FORM, "token={AT}", Forms.basic("nobody", WRONG_SECRET), 401, "invalid_client"),
                new Bad("a wrong secret (basic)", FORM, "token={AT}", Forms.basic("resource", WRONG_SECRET), 401, "invalid_client"),
                new Bad("a wrong secret (post)", FORM, "client_id=resource&client_secret=" + WRONG_SECRET + "&token={AT}", null, 401, "invalid_client"),
                new Bad("another client's secret", FORM, "token={AT}", Forms.basic("resource", TestServer.CONFIDENTIAL_SECRET), 401, "invalid_client"),
                new Bad("the access token as a Bearer credential", FORM, "token={AT}", "Bearer {AT}", 401, "invalid_client"),
                new Bad("missing token", FORM, "token_type_hint=access_token", basic, 400, "invalid_request"),
                new Bad("empty token", FORM, "token=", basic, 400, "invalid_request"),
                new Bad("repeated token", FORM, "token={AT}&token={AT}", basic, 400, "invalid_request"),
                new Bad("repeated token_type_hint", FORM, "token={AT}&token_type_hint=access_token&token_type_hint=access_token", basic, 400,
                        "invalid_request"),
                new Bad("content type text/plain", "text/plain", "token={AT}", basic, 400, "invalid_request"),
                new Bad("content type JSON", "application/json", "{\"token\":\"{AT}\"}", basic, 400, "invalid_request"),
                new Bad("no content type", null, "token={AT}", basic, 400, "invalid_request"),
                new Bad("Basic and client_secret both", FORM, "client_secret=" + RESOURCE_SECRET + "&token={AT}", basic, 400, "invalid_request"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badIntrospectionRequestGetsRfc6749ErrorWithoutTheTokensClaims(Bad bad) {
        String access = accessToken("native");
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri("/oauth2/introspect"))
                .POST(HttpRequest.BodyPublishers.ofString(bad.form().replace("{AT}", access)));
        if (bad.contentType() != null) request.header("Content-Type", bad.contentType());
        if (bad.authorization() != null) request.header("Authorization", bad.authorization().replace("{AT}", access));

        HttpResponse<String> r = server.send(request);

        assertOAuthError(r, bad.status(), bad.error());
        if (bad.status() == 401 && bad.authorization() != null) {
            assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
        }
        assertNoSecrets(r, access, RESOURCE_SECRET, WRONG_SECRET, TestServer.CONFIDENTIAL_SECRET);
        assertThat(r.body()).doesNotContain("alice");
    }

    @Test
    void introspectWhenBodyOver16KiBThenRequestTooLarge() {
        byte[] body = Forms.of("token", "A".repeat(17 * 1024)).getBytes(StandardCharsets.US_ASCII);

        for (HttpRequest.BodyPublisher publisher : List.of(HttpRequest.BodyPublishers.ofByteArray(body),
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))) {
            HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("/oauth2/introspect")).header("Content-Type", FORM)
                    .header("Authorization", Forms.basic("resource", RESOURCE_SECRET)).POST(publisher));
            assertOAuthError(r, 413, "request_too_large");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "PUT", "DELETE"})
    void introspectWhenMethodNotPostThenMethodNotAllowed(String method) {
        String access = accessToken("native");

        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("/oauth2/introspect?" + Forms.of("token", access)))
                .header("Authorization", Forms.basic("resource", RESOURCE_SECRET)).method(method, HttpRequest.BodyPublishers.noBody()));

        assertOAuthError(r, 405, "method_not_allowed");
        assertNoSecrets(r, access);
    }

    // ---------------------------------------------------------------- helpers

    private static String resource() {
        return Forms.basic("resource", RESOURCE_SECRET);
    }

    private static HttpResponse<String> introspect(String form, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri("/oauth2/introspect")).header("Content-Type", FORM)
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (authorization != null) b.header("Authorization", authorization);
        return server.send(b);
    }

    /** RFC 7662 §2.2: 200 JSON, not cacheable. */
    private static Map<String, Object> assertIntrospection(HttpResponse<String> r) {
        assertThat(r.statusCode()).as("introspection answer: %s", r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).as("no CORS").isEmpty();
        return Jsons.parse(r.body());
    }

    private static void revoke(String token, String clientId) {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("/oauth2/revoke")).header("Content-Type", FORM)
                .POST(HttpRequest.BodyPublishers.ofString(Forms.of("token", token, "client_id", clientId))));
        assertThat(r.statusCode()).isEqualTo(200);
    }

    private static String clientCredentialsToken() {
        HttpResponse<String> r = server.token(Forms.of("grant_type", "client_credentials", "client_id", "backend", "client_secret",
                TestServer.CONFIDENTIAL_SECRET));
        return (String) Jsons.parse(r.body()).get("access_token");
    }

    /** A session of alice at {@code clientId} started in-process (fixture set-up, no Argon2id per row); its refresh token. */
    private static String liveSession(String clientId) {
        String alice = server.rotor().users().findByUsername("alice").orElseThrow().id();
        return server.rotor().sessions().start(alice, clientId, FULL_SCOPE, List.of("pwd"), "1", RefreshTokenFamily.Channel.TOKEN_ENDPOINT,
                new RequestInfo("127.0.0.1", "fixture")).refreshToken();
    }

    private static String accessToken(String clientId) {
        return accessTokenOf(liveSession(clientId));
    }

    /** A genuine access token of the refresh token's session, signed by the server's key. */
    private static String accessTokenOf(String refreshToken) {
        RefreshTokenFamily f = family(refreshToken);
        return ForgedTokens.signedByTheServer(server.rotor(), CLOCK, server.rotor().config().issuer(), server.rotor().config().audience(),
                f.userId(), f.clientId(), f.id());
    }

    private static RefreshTokenFamily family(String refreshToken) {
        return server.rotor().sessions().findByToken(refreshToken).orElseThrow();
    }
}
