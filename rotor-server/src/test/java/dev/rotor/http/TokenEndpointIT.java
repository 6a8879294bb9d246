package dev.rotor.http;

import static dev.rotor.testing.OAuthAssertions.assertNoSecrets;
import static dev.rotor.testing.OAuthAssertions.assertOAuthError;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.rotor.audit.RequestInfo;
import dev.rotor.config.Setting;
import dev.rotor.oauth.Client;
import dev.rotor.session.RefreshTokenFamily;
import dev.rotor.testing.Forms;
import dev.rotor.testing.Jsons;
import dev.rotor.testing.RawHttp;
import dev.rotor.testing.StdErr;
import dev.rotor.testing.TestClock;
import dev.rotor.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * {@code POST /oauth2/token} over real HTTP: the password, refresh_token and client_credentials grants, rotation
 * and reuse detection, and the bad-input matrix. One server for the class; time is moved with a
 * {@link TestClock} instead of sleeping, so "after the grace window" is exact.
 */
class TokenEndpointIT {
    private static final TestClock CLOCK = new TestClock();
    /** The default retry window is 1 hour; one step past it. */
    private static final Duration PAST_GRACE = Duration.ofHours(1).plusSeconds(1);
    private static final String FULL_SCOPE = "openid profile email offline_access";
    private static final String WRONG_SECRET = "wrong-secret-wrong-secret-0123456789abcdef";
    private static final String WRONG_PASSWORD = "wrong horse battery staple";
    private static final String CC_ONLY_SECRET = "cc-only-secret-cc-only-secret-0123456789";
    private static final String TOKEN_PATTERN = "[A-Za-z0-9_-]{71}";

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of(), CLOCK);
        // A confidential client that may not refresh: for the unauthorized_client row of the matrix.
        server.addClient("cc-only", Client.Type.CONFIDENTIAL, CC_ONLY_SECRET, Set.of("client_credentials"), Set.of(), false);
        // A first-party app configured to receive every profile claim.
        server.addClient("profile-native", Client.Type.PUBLIC, null, Set.of("password", "refresh_token"), Set.of(), true,
                Set.of("name", "preferred_username", "email"));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    // ---------------------------------------------------------------- password grant

    @Test
    void passwordGrantWhenFirstPartyClientThenIssuesAccessAndRefreshToken() throws Exception {
        HttpResponse<String> r = password("native", "alice", TestServer.PASSWORD);

        Map<String, Object> body = assertTokenResponse(r);
        assertThat(body).containsOnlyKeys("access_token", "token_type", "expires_in", "refresh_token", "scope");
        assertThat((String) body.get("refresh_token")).matches(TOKEN_PATTERN);
        assertThat(body.get("scope")).isEqualTo(FULL_SCOPE);
        assertThat(claims(body).getStringClaim("client_id")).isEqualTo("native");
        assertNoSecrets(r, TestServer.PASSWORD);
    }

    @Test
    void passwordGrantWhenScopeNarrowedThenTokenCarriesOnlyThatScope() throws Exception {
        HttpResponse<String> r = send(Forms.of("grant_type", "password", "username", "alice", "password", TestServer.PASSWORD,
                "client_id", "native", "scope", "openid"), null);

        Map<String, Object> body = assertTokenResponse(r);
        assertThat(body.get("scope")).isEqualTo("openid");
        assertThat(claims(body).getStringClaim("scope")).isEqualTo("openid");
    }

    @Test
    void accessTokenCarriesTheProfileClaimsTheClientIsConfiguredForAndTheScopeCovers() throws Exception {
        Map<String, Object> full = assertTokenResponse(password("profile-native", "alice", TestServer.PASSWORD));
        assertThat(claims(full).getClaims()).containsEntry("name", "Alice").containsEntry("preferred_username", "alice")
                .containsEntry("email", "alice@example.test");
        // After a rotation too: the claims come from the user at every issue.
        Map<String, Object> refreshed = assertTokenResponse(refresh("profile-native", (String) full.get("refresh_token")));
        assertThat(claims(refreshed).getClaims()).containsEntry("email", "alice@example.test").containsEntry("name", "Alice");

        // A refresh that narrows the scope narrows the claims with it.
        Map<String, Object> narrowed = assertTokenResponse(send(Forms.of("grant_type", "refresh_token", "client_id", "profile-native",
                "refresh_token", (String) refreshed.get("refresh_token"), "scope", "openid"), null));
        assertThat(claims(narrowed).getClaims()).doesNotContainKeys("name", "preferred_username", "email");

        Map<String, Object> emailOnly = assertTokenResponse(send(Forms.of("grant_type", "password", "username", "alice",
                "password", TestServer.PASSWORD, "client_id", "profile-native", "scope", "openid email"), null));
        assertThat(claims(emailOnly).getClaims()).containsEntry("email", "alice@example.test").doesNotContainKeys("name", "preferred_username");

        Map<String, Object> openidOnly = assertTokenResponse(send(Forms.of("grant_type", "password", "username", "alice",
                "password", TestServer.PASSWORD, "client_id", "profile-native", "scope", "openid"), null));
        assertThat(claims(openidOnly).getClaims()).doesNotContainKeys("name", "preferred_username", "email");

        // A user without an email or a name: those claims are left out, not sent empty.
        server.rotor().accounts().register("nameless", null, null, TestServer.PASSWORD);
        assertThat(claims(assertTokenResponse(password("profile-native", "nameless", TestServer.PASSWORD))).getClaims())
                .containsEntry("preferred_username", "nameless").doesNotContainKeys("name", "email");

        // A client not configured for profile claims gets none, whatever its scope.
        assertThat(claims(assertTokenResponse(password("native", "alice", TestServer.PASSWORD))).getClaims())
                .doesNotContainKeys("name", "preferred_username", "email");
    }

    @Test
    void passwordGrantWhenPasswordWrongOrUserUnknownThenSameInvalidGrant() {
        HttpResponse<String> wrongPassword = password("native", "alice", WRONG_PASSWORD);
        HttpResponse<String> unknownUser = password("native", "nobody-at-all", TestServer.PASSWORD);

        assertOAuthError(wrongPassword, 400, "invalid_grant");
        assertOAuthError(unknownUser, 400, "invalid_grant");
        assertThat(unknownUser.body()).as("no user enumeration").isEqualTo(wrongPassword.body());
        assertNoSecrets(wrongPassword, WRONG_PASSWORD, TestServer.PASSWORD);
        assertNoSecrets(unknownUser, TestServer.PASSWORD);
    }

    @ParameterizedTest
    @ValueSource(strings = {"spa", "third-party"})
    void passwordGrantWhenClientNotFirstPartyThenUnauthorizedClient(String clientId) {
        HttpResponse<String> r = password(clientId, "alice", TestServer.PASSWORD);

        assertOAuthError(r, 400, "unauthorized_client");
        assertNoSecrets(r, TestServer.PASSWORD);
    }

    @Test
    void passwordGrantWhenConfidentialFirstPartyClientAuthenticatesWithBasicThenIssues() {
        HttpResponse<String> r = send(Forms.of("grant_type", "password", "username", "bob", "password", TestServer.PASSWORD),
                Forms.basic("backend", TestServer.CONFIDENTIAL_SECRET));

        assertThat(assertTokenResponse(r)).containsKey("refresh_token");
        assertNoSecrets(r, TestServer.PASSWORD, TestServer.CONFIDENTIAL_SECRET);
    }

    // ---------------------------------------------------------------- refresh_token grant: rotation

    @Test
    void refreshRotatesToANewTokenEveryTime() {
        String t0 = signIn("native");
        List<String> seen = new ArrayList<>(List.of(t0));
        String current = t0;
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = refresh("native", current);
            Map<String, Object> body = assertTokenResponse(r);
            assertThat(body.get("scope")).isEqualTo(FULL_SCOPE);
            current = (String) body.get("refresh_token");
            assertThat(current).matches(TOKEN_PATTERN).isNotIn(seen);
            assertNoSecrets(r, seen.toArray(String[]::new));
            seen.add(current);
        }
    }

    @Test
    void refreshKeepsTheSessionClaimsOfTheSignIn() throws Exception {
        Map<String, Object> signedIn = assertTokenResponse(password("native", "alice", TestServer.PASSWORD));
        CLOCK.advance(Duration.ofMinutes(5));

        Map<String, Object> refreshed = assertTokenResponse(refresh("native", (String) signedIn.get("refresh_token")));

        JWTClaimsSet before = claims(signedIn);
        JWTClaimsSet after = claims(refreshed);
        assertThat(after.getStringClaim("sid")).isEqualTo(before.getStringClaim("sid"));
        assertThat(after.getLongClaim("auth_time")).as("a refresh is not a new sign-in").isEqualTo(before.getLongClaim("auth_time"));
        assertThat(after.getStringListClaim("amr")).isEqualTo(before.getStringListClaim("amr"));
        assertThat(after.getSubject()).isEqualTo(before.getSubject());
        assertThat(after.getIssueTime()).isAfter(before.getIssueTime());
    }

    @Test
    void refreshWhenSessionPastItsAbsoluteLifetimeThenInvalidGrant() {
        String t1 = rotate("native", signIn("native"));
        CLOCK.advance(Duration.ofDays(7));

        assertOAuthError(refresh("native", t1), 400, "invalid_grant");
    }

    @Test
    void refreshWhenTokenReplayedWithinGraceThenReturnsTheSameSuccessor() {
        String t0 = signIn("native");
        Map<String, Object> first = assertTokenResponse(refresh("native", t0));
        String t1 = (String) first.get("refresh_token");

        Map<String, Object> retry = assertTokenResponse(refresh("native", t0));

        assertThat(retry.get("refresh_token")).as("an idempotent retry gets the same successor").isEqualTo(t1);
        // The family did not fork: the successor is still the one current token.
        String t2 = (String) assertTokenResponse(refresh("native", t1)).get("refresh_token");
        assertThat(t2).isNotIn(t0, t1);
    }

    @Test
    void refreshWhenAUsedTokenComesWithAScopeBeyondTheGrantThenItIsReuseNotInvalidScope() {
        String t0 = signIn("native");
        String t1 = rotate("native", t0);
        String t2 = rotate("native", t1);

        // The scope must not decide first: that would skip reuse detection and tell the holder the family exists.
        HttpResponse<String> replay = send(Forms.of("grant_type", "refresh_token", "client_id", "native", "refresh_token", t0,
                "scope", "openid admin"), null);

        assertOAuthError(replay, 400, "invalid_grant");
        assertOAuthError(refresh("native", t2), 400, "invalid_grant");
    }

    @Test
    void refreshWhenTokenReplayedAfterItsSuccessorWasUsedThenRevokesFamily() {
        String t0 = signIn("native");
        String t1 = rotate("native", t0);
        String t2 = rotate("native", t1);

        // Still inside the grace window of t0, but its successor t1 is no longer current: that is reuse.
        assertOAuthError(refresh("native", t0), 400, "invalid_grant");

        assertOAuthError(refresh("native", t2), 400, "invalid_grant");
    }

    @Test
    void refreshWhenTokenAlreadyUsedThenRevokesFamily() {
        String t0 = signIn("native");
        String t1 = rotate("native", t0);
        CLOCK.advance(PAST_GRACE);

        HttpResponse<String> reuse = refresh("native", t0);

        assertOAuthError(reuse, 400, "invalid_grant");
        assertNoSecrets(reuse, t0, t1);
        HttpResponse<String> successor = refresh("native", t1);
        assertOAuthError(successor, 400, "invalid_grant");
        assertThat(successor.body()).as("every refusal reads the same").isEqualTo(reuse.body());
    }

    @Test
    void refreshWhenGraceIsZeroThenImmediateReplayRevokesFamily() {
        try (TestServer strict = TestServer.start(Map.of(Setting.GRACE, "0"))) {
            String t0 = (String) strict.passwordLogin("native").get("refresh_token");
            HttpResponse<String> first = strict.token(Forms.of("grant_type", "refresh_token", "client_id", "native", "refresh_token", t0));
            String t1 = (String) assertTokenResponse(first).get("refresh_token");

            assertOAuthError(strict.token(Forms.of("grant_type", "refresh_token", "client_id", "native", "refresh_token", t0)), 400, "invalid_grant");

            assertOAuthError(strict.token(Forms.of("grant_type", "refresh_token", "client_id", "native", "refresh_token", t1)), 400, "invalid_grant");
        }
    }

    @Test
    void refreshWhenConfidentialClientAuthenticatesThenRotatesAndWithoutSecretDoesNotConsume() {
        String t0 = (String) assertTokenResponse(send(Forms.of("grant_type", "password", "username", "alice", "password", TestServer.PASSWORD),
                Forms.basic("backend", TestServer.CONFIDENTIAL_SECRET))).get("refresh_token");

        HttpResponse<String> noSecret = send(Forms.of("grant_type", "refresh_token", "client_id", "backend", "refresh_token", t0), null);
        assertOAuthError(noSecret, 401, "invalid_client");
        HttpResponse<String> post = send(Forms.of("grant_type", "refresh_token", "client_id", "backend",
                "client_secret", TestServer.CONFIDENTIAL_SECRET, "refresh_token", t0), null);

        String t1 = (String) assertTokenResponse(post).get("refresh_token");
        assertThat(t1).isNotEqualTo(t0);
        assertNoSecrets(post, TestServer.CONFIDENTIAL_SECRET, t0);
    }

    // ---------------------------------------------------------------- refresh_token grant: scope and client binding

    @Test
    void refreshWhenScopeIsSubsetThenGrantsIt() throws Exception {
        String t0 = signIn("native");

        HttpResponse<String> r = send(Forms.of("grant_type", "refresh_token", "client_id", "native", "refresh_token", t0,
                "scope", "email openid"), null);

        Map<String, Object> body = assertTokenResponse(r);
        assertThat(Set.of(((String) body.get("scope")).split(" "))).containsExactlyInAnyOrder("openid", "email");
        assertThat(Set.of(claims(body).getStringClaim("scope").split(" "))).containsExactlyInAnyOrder("openid", "email");
    }

    @ParameterizedTest
    @ValueSource(strings = {"openid rotor:admin", "rotor:admin", "OPENID", "openid \"quoted\"", "openid\\x"})
    void refreshWhenScopeIsNotSubsetThenInvalidScopeAndTokenNotConsumed(String scope) {
        String t0 = signIn("native");

        HttpResponse<String> r = send(Forms.of("grant_type", "refresh_token", "client_id", "native", "refresh_token", t0, "scope", scope), null);

        assertOAuthError(r, 400, "invalid_scope");
        assertNoSecrets(r, t0);
        assertStillCurrent("native", t0);
    }

    @Test
    void refreshWhenTokenBelongsToAnotherClientThenInvalidGrantAndTokenStillWorksForItsOwner() {
        String t0 = signIn("native");

        assertOAuthError(refresh("other-native", t0), 400, "invalid_grant");
        assertOAuthError(send(Forms.of("grant_type", "refresh_token", "client_id", "other-native", "refresh_token", t0, "scope", "openid"), null),
                400, "invalid_grant");
        // A scope beyond the token's must not turn the answer into invalid_scope: that would tell the other client the token is live.
        assertOAuthError(send(Forms.of("grant_type", "refresh_token", "client_id", "other-native", "refresh_token", t0, "scope",
                "openid rotor:admin"), null), 400, "invalid_grant");
        HttpResponse<String> confidential = send(Forms.of("grant_type", "refresh_token", "refresh_token", t0),
                Forms.basic("backend", TestServer.CONFIDENTIAL_SECRET));
        assertOAuthError(confidential, 400, "invalid_grant");
        assertNoSecrets(confidential, t0, TestServer.CONFIDENTIAL_SECRET);

        assertStillCurrent("native", t0);
    }

    // ---------------------------------------------------------------- client_credentials

    static Stream<Arguments> clientSecretMethods() {
        return Stream.of(
                Arguments.of("client_secret_basic", Forms.of("grant_type", "client_credentials"), Forms.basic("backend", TestServer.CONFIDENTIAL_SECRET)),
                Arguments.of("client_secret_post", Forms.of("grant_type", "client_credentials", "client_id", "backend",
                        "client_secret", TestServer.CONFIDENTIAL_SECRET), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clientSecretMethods")
    void clientCredentialsWhenConfidentialClientAuthenticatesThenAccessTokenWithoutRefreshToken(String method, String form, String authorization)
            throws Exception {
        HttpResponse<String> r = send(form, authorization);

        Map<String, Object> body = assertTokenResponse(r);
        assertThat(body).doesNotContainKey("refresh_token").containsOnlyKeys("access_token", "token_type", "expires_in", "scope");
        JWTClaimsSet claims = claims(body);
        assertThat(claims.getSubject()).isEqualTo("backend");
        assertThat(claims.getStringClaim("client_id")).isEqualTo("backend");
        assertThat(claims.getClaim("sid")).as("no user session behind a client token").isNull();
        assertNoSecrets(r, TestServer.CONFIDENTIAL_SECRET);
    }

    @Test
    void clientSecretWithReservedCharactersWorksFormEncodedInBasicAndInTheBody() {
        String secret = "p+ss:w%rd/with spaces&=chars-0123456789-ABCDEFGHIJ";
        server.addClient("special", Client.Type.CONFIDENTIAL, secret, Set.of("client_credentials"), Set.of(), false);

        HttpResponse<String> basic = send(Forms.of("grant_type", "client_credentials"), Forms.basic("special", secret));
        HttpResponse<String> post = send(Forms.of("grant_type", "client_credentials", "client_id", "special", "client_secret", secret), null);

        assertTokenResponse(basic);
        assertTokenResponse(post);
        assertNoSecrets(basic, secret);
        assertNoSecrets(post, secret);
    }

    // ---------------------------------------------------------------- bad input

    /**
     * One bad request. {@code form} may contain {@code {RT}}, replaced by a live refresh token of the native
     * client that must come out of the request unconsumed.
     */
    record Bad(String name, String contentType, String form, String authorization, int status, String error, boolean basicChallenge) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final String PW = TestServer.PASSWORD;
    private static final String SECRET = TestServer.CONFIDENTIAL_SECRET;

    static Stream<Bad> badRequests() {
        String form = "application/x-www-form-urlencoded";
        String refresh = Forms.of("grant_type", "refresh_token", "client_id", "native") + "&refresh_token={RT}";
        String bigToken = "A".repeat(10 * 1024);
        return Stream.of(
                // Content-Type
                new Bad("content type text/plain", "text/plain", refresh, null, 400, "invalid_request", false),
                new Bad("content type JSON", "application/json", "{\"grant_type\":\"refresh_token\",\"client_id\":\"native\",\"refresh_token\":\"{RT}\"}",
                        null, 400, "invalid_request", false),
                new Bad("content type multipart", "multipart/form-data; boundary=x", refresh, null, 400, "invalid_request", false),
                new Bad("no content type", null, refresh, null, 400, "invalid_request", false),
                new Bad("content type with the form type as a prefix", form + "x", refresh, null, 400, "invalid_request", false),
                new Bad("content type with a structured suffix", form + "+json", refresh, null, 400, "invalid_request", false),
                new Bad("content type charset iso-8859-1", form + "; charset=iso-8859-1", refresh, null, 400, "invalid_request", false),
                new Bad("content type charset utf-16", form + "; charset=utf-16", refresh, null, 400, "invalid_request", false),
                new Bad("content type with two charsets", form + "; charset=utf-8; charset=iso-8859-1", refresh, null, 400, "invalid_request",
                        false),
                new Bad("content type parameter without a value", form + "; charset", refresh, null, 400, "invalid_request", false),
                new Bad("content type parameter with spaces around =", form + "; charset = utf-8", refresh, null, 400, "invalid_request", false),
                new Bad("content type list", form + ", text/plain", refresh, null, 400, "invalid_request", false),
                // grant_type
                new Bad("missing grant_type", form, "client_id=native&refresh_token={RT}", null, 400, "invalid_request", false),
                new Bad("empty grant_type", form, "grant_type=&client_id=native&refresh_token={RT}", null, 400, "invalid_request", false),
                new Bad("unsupported grant_type", form, "grant_type=implicit&client_id=native&refresh_token={RT}", null, 400, "unsupported_grant_type", false),
                new Bad("grant_type with wrong case", form, "grant_type=Refresh_Token&client_id=native&refresh_token={RT}", null, 400, "unsupported_grant_type", false),
                // repeated parameters (RFC 6749 §3.2)
                new Bad("repeated grant_type", form, "grant_type=refresh_token&" + refresh, null, 400, "invalid_request", false),
                new Bad("repeated refresh_token", form, refresh + "&refresh_token={RT}", null, 400, "invalid_request", false),
                new Bad("repeated client_id", form, refresh + "&client_id=native", null, 400, "invalid_request", false),
                new Bad("repeated scope", form, refresh + "&scope=openid&scope=email", null, 400, "invalid_request", false),
                // refresh_token
                new Bad("missing refresh_token", form, Forms.of("grant_type", "refresh_token", "client_id", "native"), null, 400, "invalid_request", false),
                new Bad("empty refresh_token", form, Forms.of("grant_type", "refresh_token", "client_id", "native", "refresh_token", ""), null, 400,
                        "invalid_request", false),
                new Bad("malformed refresh_token", form, Forms.of("grant_type", "refresh_token", "client_id", "native", "refresh_token", "not a token!"),
                        null, 400, "invalid_grant", false),
                new Bad("unknown well-formed refresh_token", form, Forms.of("grant_type", "refresh_token", "client_id", "native",
                        "refresh_token", "A".repeat(43)), null, 400, "invalid_grant", false),
                new Bad("refresh_token with padding", form, refresh.replace("{RT}", "{RT}%3D"), null, 400, "invalid_grant", false),
                new Bad("10 KiB refresh_token", form, Forms.of("grant_type", "refresh_token", "client_id", "native", "refresh_token", bigToken),
                        null, 400, "invalid_grant", false),
                new Bad("malformed percent-encoding", form, "grant_type=refresh_token&client_id=native&refresh_token=%zz{RT}", null, 400,
                        "invalid_request", false),
                // client identification and authentication
                new Bad("missing client_id", form, "grant_type=refresh_token&refresh_token={RT}", null, 401, "invalid_client", false),
                new Bad("unknown client", form, "grant_type=refresh_token&client_id=nobody&refresh_token={RT}", null, 401, "invalid_client", false),
                new Bad("overlong client_id", form, "grant_type=refresh_token&client_id=" + "n".repeat(300) + "&refresh_token={RT}", null, 401,
                        "invalid_client", false),
                new Bad("confidential, wrong secret (post)", form, Forms.of("grant_type", "client_credentials", "client_id", "backend",
                        "client_secret", WRONG_SECRET), null, 401, "invalid_client", false),
                new Bad("confidential, missing secret (post)", form, Forms.of("grant_type", "client_credentials", "client_id", "backend"), null,
                        401, "invalid_client", false),
                new Bad("confidential, wrong secret (basic)", form, Forms.of("grant_type", "client_credentials"), Forms.basic("backend", WRONG_SECRET),
                        401, "invalid_client", true),
                new Bad("confidential, empty secret (basic)", form, Forms.of("grant_type", "client_credentials"), Forms.basic("backend", ""),
                        401, "invalid_client", true),
                new Bad("confidential, secret of another client (basic)", form, Forms.of("grant_type", "client_credentials"),
                        Forms.basic("backend", CC_ONLY_SECRET), 401, "invalid_client", true),
                new Bad("basic, not base64", form, Forms.of("grant_type", "client_credentials"), "Basic !!not-base64!!", 401, "invalid_client", true),
                new Bad("basic, no colon", form, Forms.of("grant_type", "client_credentials"),
                        "Basic " + java.util.Base64.getEncoder().encodeToString("backend".getBytes(StandardCharsets.UTF_8)), 401, "invalid_client", true),
                new Bad("bearer scheme at the token endpoint", form, Forms.of("grant_type", "client_credentials"), "Bearer " + SECRET, 401,
                        "invalid_client", true),
                new Bad("both basic and client_secret", form, Forms.of("grant_type", "client_credentials", "client_secret", SECRET),
                        Forms.basic("backend", SECRET), 400, "invalid_request", false),
                new Bad("basic and a different client_id", form, Forms.of("grant_type", "client_credentials", "client_id", "native"),
                        Forms.basic("backend", SECRET), 400, "invalid_request", false),
                new Bad("public client sends a secret (post)", form, refresh + "&client_secret=" + Forms.encode(WRONG_SECRET), null, 401,
                        "invalid_client", false),
                new Bad("public client sends a secret (basic)", form, "grant_type=refresh_token&refresh_token={RT}", Forms.basic("native", WRONG_SECRET),
                        401, "invalid_client", true),
                // grants the client may not use
                new Bad("password grant for a non-first-party client", form, Forms.of("grant_type", "password", "username", "alice", "password", PW,
                        "client_id", "spa"), null, 400, "unauthorized_client", false),
                new Bad("client_credentials for a public client", form, Forms.of("grant_type", "client_credentials", "client_id", "native"), null, 400,
                        "unauthorized_client", false),
                new Bad("refresh_token for a client without that grant", form, "grant_type=refresh_token&refresh_token={RT}",
                        Forms.basic("cc-only", CC_ONLY_SECRET), 400, "unauthorized_client", false),
                // password grant parameters
                new Bad("password grant, missing username", form, Forms.of("grant_type", "password", "password", PW, "client_id", "native"), null, 400,
                        "invalid_request", false),
                new Bad("password grant, missing password", form, Forms.of("grant_type", "password", "username", "alice", "client_id", "native"), null,
                        400, "invalid_request", false),
                new Bad("password grant, overlong username", form, Forms.of("grant_type", "password", "username", "a".repeat(300), "password", PW,
                        "client_id", "native"), null, 400, "invalid_request", false),
                new Bad("password grant, scope beyond the client's", form, Forms.of("grant_type", "password", "username", "alice", "password", PW,
                        "client_id", "native", "scope", "openid rotor:admin"), null, 400, "invalid_scope", false),
                new Bad("client_credentials, scope beyond the client's", form, Forms.of("grant_type", "client_credentials", "scope", "rotor:admin"),
                        Forms.basic("backend", SECRET), 400, "invalid_scope", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badRequestGetsRfc6749ErrorAndChangesNothing(Bad bad) {
        String live = signInCheaply();
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri("/oauth2/token"))
                .POST(HttpRequest.BodyPublishers.ofString(bad.form().replace("{RT}", live)));
        if (bad.contentType() != null) request.header("Content-Type", bad.contentType());
        if (bad.authorization() != null) request.header("Authorization", bad.authorization());

        HttpResponse<String> r = server.send(request);

        assertOAuthError(r, bad.status(), bad.error());
        if (bad.basicChallenge()) {
            assertThat(r.headers().firstValue("WWW-Authenticate")).as("RFC 6749 §5.2 challenge").hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
        }
        assertNoSecrets(r, live, TestServer.PASSWORD, TestServer.CONFIDENTIAL_SECRET, WRONG_SECRET, CC_ONLY_SECRET);
        assertStillCurrentInStore(live);
        assertServesAGoodRequest();
    }

    /** The form media type matches ignoring case, with parameters, and with a charset of utf-8 in any spelling. */
    @ParameterizedTest
    @ValueSource(strings = {"application/x-www-form-urlencoded", "APPLICATION/X-WWW-FORM-URLENCODED", "application/x-www-form-urlencoded; charset=utf-8",
            "application/x-www-form-urlencoded;charset=UTF-8", "application/x-www-form-urlencoded ; charset=\"utf-8\"",
            "application/x-www-form-urlencoded; foo=bar;", "application/x-www-form-urlencoded;\tcharset=utf-8"})
    void tokenRequestWhenContentTypeIsTheFormTypeWithParametersThenAccepted(String contentType) {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("/oauth2/token")).header("Content-Type", contentType)
                .header("Authorization", Forms.basic("backend", TestServer.CONFIDENTIAL_SECRET))
                .POST(HttpRequest.BodyPublishers.ofString(Forms.of("grant_type", "client_credentials"))));

        assertTokenResponse(r);
    }

    /** Content-Type is a single field (RFC 9110 §8.3): two, in either order, are refused rather than one of them read. */
    @ParameterizedTest
    @ValueSource(strings = {"application/x-www-form-urlencoded|text/plain", "text/plain|application/x-www-form-urlencoded",
            "application/x-www-form-urlencoded|application/x-www-form-urlencoded"})
    void tokenRequestWhenContentTypeRepeatedThenInvalidRequest(String types) {
        String body = Forms.of("grant_type", "client_credentials");
        String fields = "Content-Type: " + types.replace("|", "\r\nContent-Type: ") + "\r\n";
        RawHttp.Response r = RawHttp.exchange(server.port(), "POST /oauth2/token HTTP/1.1\r\nHost: 127.0.0.1\r\n" + fields
                + "Authorization: " + Forms.basic("backend", TestServer.CONFIDENTIAL_SECRET) + "\r\nContent-Length: " + body.length()
                + "\r\nConnection: close\r\n\r\n" + body);

        assertThat(r.status()).isEqualTo(400);
        assertThat(Jsons.parse(r.body())).containsOnlyKeys("error", "error_description").containsEntry("error", "invalid_request");
    }

    static Stream<Arguments> oversizedBodies() {
        String body = Forms.of("grant_type", "refresh_token", "client_id", "native", "refresh_token", "A".repeat(17 * 1024));
        byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
        return Stream.of(
                Arguments.of("with Content-Length", HttpRequest.BodyPublishers.ofString(body)),
                Arguments.of("chunked", HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oversizedBodies")
    void tokenRequestWhenBodyOver16KiBThenRequestTooLarge(String how, HttpRequest.BodyPublisher body) {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(body));

        assertOAuthError(r, 413, "request_too_large");
        assertServesAGoodRequest();
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "PUT", "DELETE"})
    void tokenEndpointWhenMethodNotPostThenMethodNotAllowed(String method) {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("/oauth2/token"
                + (method.equals("GET") ? "?grant_type=password&username=alice&password=" + Forms.encode(TestServer.PASSWORD) + "&client_id=native" : "")))
                .method(method, HttpRequest.BodyPublishers.noBody()));

        assertOAuthError(r, 405, "method_not_allowed");
        assertNoSecrets(r, TestServer.PASSWORD);
    }

    @Test
    void tokenRequestWhenParametersOnlyInTheQueryStringThenIgnored() {
        String live = signInCheaply();

        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("/oauth2/token?" + Forms.of("grant_type", "refresh_token",
                        "client_id", "native", "refresh_token", live)))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("")));

        assertOAuthError(r, 400, "invalid_request");
        assertNoSecrets(r, live);
        assertStillCurrentInStore(live);
    }

    /**
     * BUG: errors raised by Jetty before Javalin routes the request (header section too large, malformed framing)
     * come back as Jetty's HTML error page instead of the RFC 6749 JSON shape.
     */
    @Test
    void tokenRequestWhenHeadersTooLargeThen431InTheErrorShape() {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("X-Padding", "p".repeat(20 * 1024))
                .POST(HttpRequest.BodyPublishers.ofString(Forms.of("grant_type", "client_credentials"))));

        assertThat(r.statusCode()).isEqualTo(431);
        assertThat(r.headers().firstValue("Content-Type")).as("JSON error, not an HTML page").hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(Jsons.parse(r.body())).containsOnlyKeys("error", "error_description");
        assertServesAGoodRequest();
    }

    /** BUG: see {@link #tokenRequestWhenHeadersTooLargeThen431InTheErrorShape}. */
    @ParameterizedTest
    @ValueSource(strings = {"Content-Length: abc", "Content-Length: 5\r\nTransfer-Encoding: chunked", "Content-Length: 1\r\nContent-Length: 2"})
    void tokenRequestWhenHttpFramingMalformedThen400InTheErrorShape(String framing) {
        RawHttp.Response r = RawHttp.exchange(server.port(), "POST /oauth2/token HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\n" + framing + "\r\nConnection: close\r\n\r\n0\r\n\r\n");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.header("Content-Type")).as("JSON error, not an HTML page").hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(Jsons.parse(r.body())).containsOnlyKeys("error", "error_description").containsEntry("error", "invalid_request");
        assertServesAGoodRequest();
    }

    /** A body the server cannot read in full: the client's fault, answered like any bad request and not logged as an error. */
    static Stream<Arguments> unreadableBodies() {
        String head = "POST /oauth2/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n";
        return Stream.of(
                Arguments.of("chunk size not hex", head + "Transfer-Encoding: chunked\r\n\r\nzz\r\ngrant_type=client_credentials\r\n0\r\n\r\n"),
                Arguments.of("chunk size too large for the data", head + "Transfer-Encoding: chunked\r\n\r\nfff\r\ngrant_type=client_credentials"),
                Arguments.of("body shorter than Content-Length", head + "Content-Length: 100\r\n\r\ngrant_type=client_credentials"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unreadableBodies")
    void tokenRequestWhenBodyCannotBeReadThen400InvalidRequestAndNoErrorLogged(String why, String request) {
        RawHttp.Response[] r = new RawHttp.Response[1];
        String log = StdErr.during(() -> r[0] = RawHttp.exchangeAndEnd(server.port(), request));

        assertThat(r[0].status()).isEqualTo(400);
        assertThat(r[0].header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(r[0].header("Cache-Control")).hasValue("no-store");
        assertThat(Jsons.parse(r[0].body())).containsOnlyKeys("error", "error_description").containsEntry("error", "invalid_request");
        assertThat(log).as("a refusal is logged at debug level, not as an error").doesNotContain("ERROR").doesNotContain("Exception");
        assertServesAGoodRequest();
    }

    // ---------------------------------------------------------------- helpers

    private static HttpResponse<String> send(String form, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri("/oauth2/token")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (authorization != null) b.header("Authorization", authorization);
        return server.send(b);
    }

    private static HttpResponse<String> password(String clientId, String username, String password) {
        return send(Forms.of("grant_type", "password", "username", username, "password", password, "client_id", clientId), null);
    }

    private static HttpResponse<String> refresh(String clientId, String token) {
        return send(Forms.of("grant_type", "refresh_token", "client_id", clientId, "refresh_token", token), null);
    }

    /** Alice signs in with the password grant; returns the refresh token. */
    private static String signIn(String clientId) {
        return (String) assertTokenResponse(password(clientId, "alice", TestServer.PASSWORD)).get("refresh_token");
    }

    /**
     * A fresh native session of alice for one matrix row, started in-process: fixture set-up, not the thing under
     * test, and without the Argon2id cost of a sign-in per row.
     */
    private static String signInCheaply() {
        String alice = server.rotor().users().findByUsername("alice").orElseThrow().id();
        return server.rotor().sessions().start(alice, "native", FULL_SCOPE, List.of("pwd"), "1",
                        RefreshTokenFamily.Channel.TOKEN_ENDPOINT, new RequestInfo("127.0.0.1", "fixture"))
                .refreshToken();
    }

    private static String rotate(String clientId, String token) {
        return (String) assertTokenResponse(refresh(clientId, token)).get("refresh_token");
    }

    /**
     * The token was not consumed: past the grace window a consumed token would be reuse (invalid_grant), so a
     * successful rotation now proves the earlier refusal changed nothing.
     */
    private static void assertStillCurrent(String clientId, String token) {
        CLOCK.advance(PAST_GRACE);
        assertThat(refresh(clientId, token).statusCode()).as("the refused request must not have consumed the token").isEqualTo(200);
    }

    /** Same as {@link #assertStillCurrent} without spending the token: its family is live at generation 0. */
    private static void assertStillCurrentInStore(String token) {
        var session = server.rotor().sessions().findByToken(token).orElseThrow();
        assertThat(session.generation()).as("token not rotated").isZero();
        assertThat(session.isRevoked()).as("family not revoked").isFalse();
    }

    private static void assertServesAGoodRequest() {
        HttpResponse<String> ok = send(Forms.of("grant_type", "client_credentials"), Forms.basic("backend", TestServer.CONFIDENTIAL_SECRET));
        assertThat(ok.statusCode()).as("the server still serves a good request: %s", ok.body()).isEqualTo(200);
    }

    /** A 200 token response (RFC 6749 §5.1) with no-store; returns the parsed body. */
    private static Map<String, Object> assertTokenResponse(HttpResponse<String> r) {
        assertThat(r.statusCode()).as("token response: %s", r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(r.headers().firstValue("Pragma")).hasValue("no-cache");
        Map<String, Object> body = Jsons.parse(r.body());
        assertThat(body.get("token_type")).isEqualTo("Bearer");
        assertThat(body.get("expires_in")).isEqualTo(900);
        assertThat((String) body.get("access_token")).isNotBlank();
        return body;
    }

    private static JWTClaimsSet claims(Map<String, Object> tokenResponse) {
        try {
            return SignedJWT.parse((String) tokenResponse.get("access_token")).getJWTClaimsSet();
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }
}
