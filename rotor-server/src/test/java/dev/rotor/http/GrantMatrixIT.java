package dev.rotor.http;

import static dev.rotor.testing.OAuthAssertions.assertNoSecrets;
import static dev.rotor.testing.OAuthAssertions.assertOAuthError;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.AuthorizationErrorResponse;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.ParseException;
import dev.rotor.audit.RequestInfo;
import dev.rotor.config.Setting;
import dev.rotor.oauth.Client;
import dev.rotor.oauth.ClientRegistry;
import dev.rotor.oauth.authorize.Pkce;
import dev.rotor.session.RefreshTokenFamily;
import dev.rotor.testing.Forms;
import dev.rotor.testing.Jsons;
import dev.rotor.testing.SignInBrowser;
import dev.rotor.testing.TestClock;
import dev.rotor.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every grant under every client-authentication method, black-box: for {@code none} (a public client, with PKCE),
 * {@code client_secret_basic} and {@code client_secret_post}, each grant a client is registered for works and each
 * other one is {@code unauthorized_client} before any of the grant's own parameters is looked at. Two clients per
 * kind: one registered for every grant its kind may have, one for a single grant. A public client may never use
 * client_credentials. Then a confidential client's refresh narrows the scope, and widening it is {@code invalid_scope}
 * (the public client's case is in {@link TokenEndpointIT}).
 */
class GrantMatrixIT {
    private static final TestClock CLOCK = new TestClock();
    private static final String CALLBACK = "https://app.example.test/callback";
    private static final String SCOPE = "openid profile email offline_access";
    private static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private static final String SECRET = "grant-matrix-secret-0123456789abcdefghij";
    private static final List<String> GRANTS = List.of("authorization_code", "refresh_token", "password", "client_credentials");

    private static TestServer server;

    @BeforeAll
    static void start() {
        // Plain-http cookies: SignInBrowser, like a browser, sends the page's Secure CSRF cookie over https only.
        server = TestServer.start(Map.of(Setting.COOKIE_SECURE, "false"), CLOCK);
        client("public-every", Client.Type.PUBLIC, "authorization_code", "refresh_token", "password");
        client("public-code", Client.Type.PUBLIC, "authorization_code");
        client("secret-every", Client.Type.CONFIDENTIAL, "authorization_code", "refresh_token", "password", "client_credentials");
        client("secret-cc", Client.Type.CONFIDENTIAL, "client_credentials");
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static void client(String id, Client.Type type, String... grants) {
        server.rotor().clientStore().add(new Client(id, type, type == Client.Type.PUBLIC ? null : ClientRegistry.hashSecret(SECRET), List.of(CALLBACK),
                new LinkedHashSet<>(List.of(grants)), Set.of(), true, SCOPE, Instant.now(), Set.of()));
    }

    /** How the client proves who it is at the token endpoint (RFC 6749 §2.3.1, OIDC Core §9). */
    enum Method {
        NONE, CLIENT_SECRET_BASIC, CLIENT_SECRET_POST;

        /** The token request: {@code form} plus this method's credentials, in the body or the Authorization header. */
        HttpResponse<String> token(String clientId, String... form) {
            List<String> fields = new ArrayList<>(Arrays.asList(form));
            if (this != CLIENT_SECRET_BASIC) fields.addAll(List.of("client_id", clientId));
            if (this == CLIENT_SECRET_POST) fields.addAll(List.of("client_secret", SECRET));
            HttpRequest.Builder b = HttpRequest.newBuilder(server.uri("/oauth2/token")).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(Forms.of(fields.toArray(String[]::new))));
            if (this == CLIENT_SECRET_BASIC) b.header("Authorization", Forms.basic(clientId, SECRET));
            return server.send(b);
        }
    }

    record Row(Method method, String clientId, String grant, boolean allowed) {
        @Override
        public String toString() {
            return method.name().toLowerCase() + ", " + clientId + ", " + grant + (allowed ? ": works" : ": unauthorized_client");
        }
    }

    static Stream<Row> matrix() {
        Map<String, Set<String>> publicClients = Map.of("public-every", Set.of("authorization_code", "refresh_token", "password"),
                "public-code", Set.of("authorization_code"));
        Map<String, Set<String>> confidentialClients = Map.of("secret-every", Set.copyOf(GRANTS), "secret-cc", Set.of("client_credentials"));
        List<Row> rows = new ArrayList<>();
        for (Method method : Method.values()) {
            Map<String, Set<String>> clients = method == Method.NONE ? publicClients : confidentialClients;
            clients.forEach((client, allowed) -> GRANTS.forEach(grant -> rows.add(new Row(method, client, grant, allowed.contains(grant)))));
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matrix")
    void eachGrantWorksForAClientRegisteredForItAndIsUnauthorizedClientForAnyOther(Row row) {
        String refreshToken = session(row.clientId());
        HttpResponse<String> r = row.method().token(row.clientId(), grantForm(row, refreshToken));

        if (row.allowed()) {
            assertThat(r.statusCode()).as("%s: %s", row, r.body()).isEqualTo(200);
            Map<String, Object> body = Jsons.parse(r.body());
            assertThat(body).containsKey("access_token").containsEntry("token_type", "Bearer");
            // A refresh token only for a client that may use it, never for client credentials.
            boolean refreshable = !row.grant().equals("client_credentials") && !row.clientId().equals("public-code");
            assertThat(body.containsKey("refresh_token")).as("a refresh token in %s", r.body()).isEqualTo(refreshable);
        } else {
            assertOAuthError(r, 400, "unauthorized_client");
            assertThat(server.rotor().sessions().findByToken(refreshToken).orElseThrow().generation()).as("nothing rotated").isZero();
        }
        assertNoSecrets(r, SECRET, TestServer.PASSWORD, refreshToken);
    }

    @ParameterizedTest(name = "{0}: code grant {1}")
    @CsvSource({"public-every, true", "public-code, true", "secret-every, true", "secret-cc, false"})
    void theAuthorizationEndpointShowsTheSignInPageOnlyToAClientRegisteredForTheCodeGrant(String clientId, boolean allowed) throws ParseException {
        HttpResponse<String> r = new SignInBrowser().get(authorizationRequest(clientId));

        if (allowed) {
            assertThat(r.statusCode()).as("the sign-in page: %s", r.body()).isEqualTo(200);
        } else {
            assertThat(r.statusCode()).isEqualTo(303);
            AuthorizationErrorResponse error = AuthorizationResponse.parse(URI.create(r.headers().firstValue("Location").orElseThrow())).toErrorResponse();
            assertThat(error.getErrorObject().getCode()).isEqualTo("unauthorized_client");
            assertThat(error.getState().getValue()).isEqualTo("st");
        }
    }

    @ParameterizedTest
    @EnumSource(value = Method.class, names = {"CLIENT_SECRET_BASIC", "CLIENT_SECRET_POST"})
    void confidentialRefreshWhenScopeNarrowedThenGrantedAndWhenWidenedThenInvalidScopeAndNotConsumed(Method method) {
        String wide = session("secret-every");
        HttpResponse<String> widened = method.token("secret-every", "grant_type", "refresh_token", "refresh_token", wide, "scope",
                "openid rotor:admin");
        assertOAuthError(widened, 400, "invalid_scope");
        assertThat(server.rotor().sessions().findByToken(wide).orElseThrow().generation()).as("not consumed").isZero();

        HttpResponse<String> narrowed = method.token("secret-every", "grant_type", "refresh_token", "refresh_token", wide, "scope", "openid");
        assertThat(narrowed.statusCode()).as(narrowed.body()).isEqualTo(200);
        assertThat(Jsons.parse(narrowed.body())).containsEntry("scope", "openid");
        assertNoSecrets(narrowed, SECRET, wide);
    }

    /** The form of {@code row}'s grant; a code flow is run in a browser only when the code is meant to be redeemed. */
    private static String[] grantForm(Row row, String refreshToken) {
        return switch (row.grant()) {
            // A client not registered for the grant is refused before its code is looked at, so any value will do.
            case "authorization_code" -> new String[] {"grant_type", "authorization_code", "code", row.allowed() ? code(row.clientId()) : "A".repeat(43),
                    "redirect_uri", CALLBACK, "code_verifier", VERIFIER};
            case "refresh_token" -> new String[] {"grant_type", "refresh_token", "refresh_token", refreshToken};
            case "password" -> new String[] {"grant_type", "password", "username", "alice", "password", TestServer.PASSWORD};
            case "client_credentials" -> new String[] {"grant_type", "client_credentials"};
            default -> throw new IllegalArgumentException(row.grant());
        };
    }

    private static URI authorizationRequest(String clientId) {
        return server.uri("/oauth2/authorize?" + Forms.of("response_type", "code", "client_id", clientId, "redirect_uri", CALLBACK, "scope", SCOPE,
                "state", "st", "code_challenge", Pkce.s256(VERIFIER), "code_challenge_method", "S256"));
    }

    /** Alice signs in on the hosted page for {@code clientId}; the code of the redirect back. */
    private static String code(String clientId) {
        URI back = new SignInBrowser().signIn(authorizationRequest(clientId), "alice", TestServer.PASSWORD);
        try {
            return AuthorizationResponse.parse(back).toSuccessResponse().getAuthorizationCode().getValue();
        } catch (ParseException e) {
            throw new AssertionError("an authorization response: " + back, e);
        }
    }

    /** A live session of alice at {@code clientId} started in-process (fixture set-up); its refresh token. */
    private static String session(String clientId) {
        String alice = server.rotor().users().findByUsername("alice").orElseThrow().id();
        return server.rotor().sessions().start(alice, clientId, SCOPE, List.of("pwd"), "1", RefreshTokenFamily.Channel.TOKEN_ENDPOINT,
                new RequestInfo("127.0.0.1", "fixture")).refreshToken();
    }
}
