package dev.rotor.http;

import static dev.rotor.testing.OAuthAssertions.assertOAuthError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.oauth.Client;
import dev.rotor.testing.Forms;
import dev.rotor.testing.Jsons;
import dev.rotor.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CORS on the OAuth endpoints a SPA calls itself (token, revocation, discovery, JWKS) over real HTTP: the origins
 * public clients registered are echoed, without credentials; everything else gets no CORS headers; introspection has
 * none at all. The cookie API's credentialed CORS is in {@code BrowserApiIT}.
 */
class OAuthCorsIT {
    /** The origin of a public, first-party SPA that uses the token endpoint directly. */
    private static final String SPA = "https://code.example.test";
    private static final String CONFIDENTIAL_ORIGIN = "https://worker.example.test";
    private static final String EVIL = "https://evil.example.test";

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        server.addClient("code-spa", Client.Type.PUBLIC, null, Set.of("password", "refresh_token"), Set.of(SPA), true);
        // An origin listed only on a confidential client: no browser app may use it.
        server.addClient("worker", Client.Type.CONFIDENTIAL, "worker-secret-worker-secret-0123456789ab", Set.of("client_credentials"),
                Set.of(CONFIDENTIAL_ORIGIN), false);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    static Stream<Arguments> corsPaths() {
        return Stream.of(
                Arguments.of("/oauth2/token", "POST"),
                Arguments.of("/oauth2/revoke", "POST"),
                Arguments.of("/.well-known/openid-configuration", "GET"),
                Arguments.of("/.well-known/oauth-authorization-server", "GET"),
                Arguments.of("/oauth2/jwks", "GET"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corsPaths")
    void preflightWhenAPublicClientsOriginThen204WithoutCredentials(String path, String method) {
        for (String origin : new String[] {SPA, TestServer.SPA_ORIGIN}) {
            HttpResponse<String> r = preflight(path, origin, method);

            assertThat(r.statusCode()).as("%s from %s: %s", path, origin, r.body()).isEqualTo(204);
            assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue(origin);
            assertThat(r.headers().firstValue("Access-Control-Allow-Credentials")).as("no cookies here").isEmpty();
            assertThat(r.headers().firstValue("Access-Control-Allow-Methods")).hasValue(method);
            assertThat(r.headers().firstValue("Access-Control-Allow-Headers")).hasValue("Content-Type, Authorization");
            assertThat(r.headers().firstValue("Access-Control-Max-Age")).hasValue("600");
            assertThat(r.headers().allValues("Vary")).anySatisfy(v -> assertThat(v).contains("Origin"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {EVIL, CONFIDENTIAL_ORIGIN, "null", "https://code.example.test.evil.test", "https://code.example.test/",
            "HTTPS://CODE.EXAMPLE.TEST", "http://code.example.test"})
    void preflightWhenTheOriginIsNoPublicClientsThen403WithoutCorsHeaders(String origin) {
        for (String path : new String[] {"/oauth2/token", "/oauth2/revoke", "/oauth2/jwks"}) {
            HttpResponse<String> r = preflight(path, origin, "POST");

            assertOAuthError(r, 403, "invalid_origin");
            assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
            assertThat(r.headers().firstValue("Access-Control-Allow-Methods")).isEmpty();
        }
    }

    @Test
    void preflightWithoutOriginThen403() {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("/oauth2/token")).method("OPTIONS", HttpRequest.BodyPublishers.noBody()));

        assertOAuthError(r, 403, "invalid_origin");
    }

    @Test
    void tokenRequestFromTheSpasOriginThenItsAnswerIsReadableWithoutCredentials() {
        HttpResponse<String> r = post("/oauth2/token", SPA, Forms.of("grant_type", "password", "username", "alice", "password", TestServer.PASSWORD,
                "client_id", "code-spa"));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertCorsFor(r, SPA);
        String refreshToken = (String) Jsons.parse(r.body()).get("refresh_token");

        HttpResponse<String> revoked = post("/oauth2/revoke", SPA, Forms.of("token", refreshToken, "client_id", "code-spa"));
        assertThat(revoked.statusCode()).isEqualTo(200);
        assertCorsFor(revoked, SPA);
    }

    @Test
    void tokenErrorFromTheSpasOriginIsReadableToo() {
        HttpResponse<String> r = post("/oauth2/token", SPA, Forms.of("grant_type", "refresh_token", "refresh_token", "A".repeat(71),
                "client_id", "code-spa"));

        assertOAuthError(r, 400, "invalid_grant");
        assertCorsFor(r, SPA);
        HttpResponse<String> unauthenticated = post("/oauth2/revoke", SPA, Forms.of("token", "x"));
        assertOAuthError(unauthenticated, 401, "invalid_client");
        assertCorsFor(unauthenticated, SPA);
    }

    @ParameterizedTest
    @ValueSource(strings = {EVIL, CONFIDENTIAL_ORIGIN})
    void requestFromAnOriginNoPublicClientRegisteredGetsNoCorsHeaders(String origin) {
        HttpResponse<String> r = post("/oauth2/token", origin, Forms.of("grant_type", "client_credentials", "client_id", "backend",
                "client_secret", TestServer.CONFIDENTIAL_SECRET));

        // CORS is no access control: the request is served, the browser just may not read it.
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(r.headers().allValues("Vary")).anySatisfy(v -> assertThat(v).contains("Origin"));
        HttpResponse<String> discovery = server.send(HttpRequest.newBuilder(server.uri("/.well-known/openid-configuration")).header("Origin", origin).GET());
        assertThat(discovery.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void discoveryAndJwksFromTheSpasOriginAreReadable() {
        for (String path : new String[] {"/.well-known/openid-configuration", "/.well-known/oauth-authorization-server", "/oauth2/jwks"}) {
            HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri(path)).header("Origin", SPA).GET());

            assertThat(r.statusCode()).isEqualTo(200);
            assertCorsFor(r, SPA);
        }
    }

    @Test
    void introspectionHasNoCorsAtAll() {
        HttpResponse<String> preflight = preflight("/oauth2/introspect", SPA, "POST");
        HttpResponse<String> r = post("/oauth2/introspect", SPA, Forms.of("token", "x", "client_id", "backend", "client_secret",
                TestServer.CONFIDENTIAL_SECRET));

        assertOAuthError(preflight, 405, "method_not_allowed");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods")).isEmpty();
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void cookieApiKeepsItsCredentialedCors() {
        HttpResponse<String> r = preflight("/auth/refresh", TestServer.SPA_ORIGIN, "POST");

        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
        assertThat(r.headers().firstValue("Access-Control-Allow-Methods")).hasValue("GET, POST, DELETE");
        assertOAuthError(preflight("/auth/refresh", CONFIDENTIAL_ORIGIN, "POST"), 403, "invalid_origin");
    }

    private static void assertCorsFor(HttpResponse<String> r, String origin) {
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue(origin);
        assertThat(r.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
        assertThat(r.headers().firstValue("Access-Control-Expose-Headers")).hasValue("Retry-After, WWW-Authenticate");
        assertThat(r.headers().allValues("Vary")).anySatisfy(v -> assertThat(v).contains("Origin"));
    }

    private static HttpResponse<String> preflight(String path, String origin, String method) {
        return server.send(HttpRequest.newBuilder(server.uri(path)).header("Origin", origin).header("Access-Control-Request-Method", method)
                .header("Access-Control-Request-Headers", "content-type, authorization").method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
    }

    private static HttpResponse<String> post(String path, String origin, String form) {
        return server.send(HttpRequest.newBuilder(server.uri(path)).header("Content-Type", "application/x-www-form-urlencoded").header("Origin", origin)
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }
}
