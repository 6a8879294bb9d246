package dev.rotor.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.rotor.oauth.Client;
import dev.rotor.testing.Forms;
import dev.rotor.testing.OidcSignIn;
import dev.rotor.testing.OidcSignIn.Tokens;
import dev.rotor.testing.PageBrowser;
import dev.rotor.testing.TestClock;
import dev.rotor.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * OpenID Connect RP-Initiated Logout at {@code /oauth2/logout} over real HTTP: what ends without a question (a valid
 * {@code id_token_hint} of the browser's own session), what asks first, where the browser is sent back to (only an
 * exactly registered URI) and every request that is refused with nothing ended.
 */
class RpInitiatedLogoutIT {
    private static final TestClock CLOCK = new TestClock();
    private static final String APP = "https://app.example.test/callback";
    private static final String LOGGED_OUT = "https://app.example.test/logged-out";
    private static final String SCOPE = "openid profile offline_access";
    private static final String SSO_COOKIE = "__Secure-rotor_sso";
    private static final String ISSUER = "http://localhost:8080";
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of(), CLOCK);
        client("web", List.of(LOGGED_OUT));
        client("web2", List.of("https://two.example.test/bye"));
        client("silent", List.of());
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static void client(String id, List<String> postLogout) {
        server.rotor().clientStore().add(new Client(id, Client.Type.PUBLIC, null, List.of(APP), new LinkedHashSet<>(Set.of("authorization_code",
                "refresh_token")), Set.of(), true, SCOPE, Instant.now(), Set.of(), postLogout, null, false, null, null));
    }

    private record SignedIn(PageBrowser browser, Tokens web, Tokens web2) {}

    /** alice signed in to web, then to web2 through the same single sign-on session. */
    private static SignedIn signedIn() {
        PageBrowser b = new PageBrowser(server);
        Tokens web = OidcSignIn.signIn(server, b, "web", APP, SCOPE);
        Tokens web2 = OidcSignIn.signIn(server, b, "web2", APP, SCOPE);
        assertThat(web2.sid()).isEqualTo(web.sid());
        return new SignedIn(b, web, web2);
    }

    private static String logout(String... params) {
        return "/oauth2/logout" + (params.length == 0 ? "" : "?" + Forms.of(params));
    }

    private static boolean refreshes(Tokens t) {
        return server.token(Forms.of("grant_type", "refresh_token", "client_id", "web", "refresh_token", t.refreshToken())).statusCode() == 200;
    }

    /** Whether the browser still has single sign-on: a new authorization answers at once, without a page. */
    private static boolean stillSignedIn(PageBrowser b) {
        HttpResponse<String> r = b.get("/oauth2/authorize?response_type=code&client_id=web&redirect_uri=" + Forms.encode(APP)
                + "&scope=openid&code_challenge=" + dev.rotor.oauth.authorize.Pkce.s256(OidcSignIn.VERIFIER) + "&code_challenge_method=S256");
        return r.statusCode() == 303;
    }

    /** The single sign-on cookie as set on its path, {@code /}; null when the answer does not set it. */
    private static String ssoCookieCleared(HttpResponse<String> r) {
        return r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(SSO_COOKIE + "=") && c.contains("; Path=/;")).findFirst()
                .orElse(null);
    }

    @Test
    void aValidHintOfTheBrowsersOwnSessionEndsItAndItsAppsAndGoesBackWithState() {
        SignedIn s = signedIn();

        HttpResponse<String> r = s.browser().get(logout("id_token_hint", s.web().idToken(), "post_logout_redirect_uri", LOGGED_OUT,
                "state", "bye 1/2"));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).contains(LOGGED_OUT + "?state=bye+1%2F2");
        assertThat(ssoCookieCleared(r)).as("the single sign-on cookie is cleared").contains("Max-Age=0");
        assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(stillSignedIn(s.browser())).isFalse();
        assertThat(refreshes(s.web())).as("web's family ended").isFalse();
        assertThat(server.token(Forms.of("grant_type", "refresh_token", "client_id", "web2", "refresh_token", s.web2().refreshToken()))
                .statusCode()).as("and web2's, started by the same sign-on").isEqualTo(400);
    }

    @Test
    void aHintWithoutARedirectShowsTheSignedOutPage() {
        SignedIn s = signedIn();

        HttpResponse<String> r = s.browser().get(logout("id_token_hint", s.web().idToken()));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("You are signed out");
        assertThat(r.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("frame-ancestors 'none'");
        assertThat(stillSignedIn(s.browser())).isFalse();
    }

    @Test
    void anExpiredHintStillIdentifiesTheSession() {
        SignedIn s = signedIn();
        CLOCK.advance(Duration.ofHours(3));

        HttpResponse<String> r = s.browser().get(logout("id_token_hint", s.web().idToken(), "post_logout_redirect_uri", LOGGED_OUT));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).contains(LOGGED_OUT);
    }

    @Test
    void aClientMayPostTheRequestAsAForm() {
        SignedIn s = signedIn();

        HttpResponse<String> r = s.browser().post("/oauth2/logout", Forms.of("id_token_hint", s.web().idToken(), "post_logout_redirect_uri",
                LOGGED_OUT, "state", "s1"));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).contains(LOGGED_OUT + "?state=s1");
        assertThat(stillSignedIn(s.browser())).isFalse();
    }

    @Test
    void withoutAHintTheUserIsAskedAndNothingEndsUntilTheyConfirm() {
        SignedIn s = signedIn();

        HttpResponse<String> page = s.browser().get(logout("client_id", "web", "post_logout_redirect_uri", LOGGED_OUT, "state", "s2"));

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Sign out of Rotor?").contains("<strong>web</strong> asks to sign you out");
        assertThat(stillSignedIn(s.browser())).as("a link alone signs no one out").isTrue();
        assertThat(refreshes(s.web())).isTrue();
        // the refresh above rotated web's token: sign in again for a token to test with
        Tokens web = OidcSignIn.signIn(server, s.browser(), "web", APP, SCOPE);

        HttpResponse<String> done = s.browser().post("/oauth2/logout", confirmation(page, true));

        assertThat(done.statusCode()).as(done.body()).isEqualTo(303);
        assertThat(done.headers().firstValue("Location")).contains(LOGGED_OUT + "?state=s2");
        assertThat(ssoCookieCleared(done)).contains("Max-Age=0");
        assertThat(stillSignedIn(s.browser())).isFalse();
        assertThat(refreshes(web)).isFalse();
    }

    @Test
    void uncheckingTheBoxEndsTheSingleSignOnButLeavesTheAppsSignedIn() {
        SignedIn s = signedIn();
        HttpResponse<String> page = s.browser().get(logout());
        assertThat(page.body()).contains("You will need your password to sign in again.");

        HttpResponse<String> done = s.browser().post("/oauth2/logout", confirmation(page, false));

        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(done.body()).contains("You are signed out");
        assertThat(stillSignedIn(s.browser())).isFalse();
        assertThat(refreshes(s.web())).as("the apps stay signed in").isTrue();
    }

    @Test
    void aHintOfAnEarlierSessionOfTheSameUserIsAskedAbout() {
        PageBrowser earlier = new PageBrowser(server);
        Tokens old = OidcSignIn.signIn(server, earlier, "web", APP, SCOPE);
        SignedIn s = signedIn();

        HttpResponse<String> r = s.browser().get(logout("id_token_hint", old.idToken(), "post_logout_redirect_uri", LOGGED_OUT));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("Sign out of Rotor?");
        assertThat(stillSignedIn(s.browser())).isTrue();
    }

    @Test
    void withoutASessionTheBrowserIsSentBackOrToldAtOnce() {
        PageBrowser nobody = new PageBrowser(server);
        Tokens t = OidcSignIn.signIn(server, new PageBrowser(server), "web", APP, SCOPE);

        HttpResponse<String> back = nobody.get(logout("id_token_hint", t.idToken(), "post_logout_redirect_uri", LOGGED_OUT, "state", "x"));
        assertThat(back.statusCode()).isEqualTo(303);
        assertThat(back.headers().firstValue("Location")).contains(LOGGED_OUT + "?state=x");

        HttpResponse<String> page = nobody.get(logout());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("You are signed out");
        assertThat(refreshes(t)).as("another browser's hint ends nothing of it here").isTrue();
    }

    @Test
    void aRegisteredUriIsIgnoredWhenNoClientIsNamed() {
        PageBrowser nobody = new PageBrowser(server);

        HttpResponse<String> r = nobody.get(logout("post_logout_redirect_uri", LOGGED_OUT));

        assertThat(r.statusCode()).as("no client, no list to match: no redirect at all").isEqualTo(200);
        assertThat(r.body()).contains("You are signed out");
    }

    static Stream<Arguments> unregisteredRedirects() {
        return Stream.of(
                Arguments.of("a longer path", LOGGED_OUT + "/more"),
                Arguments.of("a prefix", "https://app.example.test/logged"),
                Arguments.of("a query added", LOGGED_OUT + "?next=https://evil.example"),
                Arguments.of("a fragment added", LOGGED_OUT + "#x"),
                Arguments.of("another host", "https://evil.example/logged-out"),
                Arguments.of("the host in upper case", "https://APP.example.test/logged-out"),
                Arguments.of("http instead of https", "http://app.example.test/logged-out"),
                Arguments.of("another client's URI", "https://two.example.test/bye"),
                Arguments.of("the sign-in redirect URI", APP));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unregisteredRedirects")
    void aRedirectThatIsNotRegisteredExactlyIsRefusedAndNothingEnds(String why, String redirect) {
        SignedIn s = signedIn();

        HttpResponse<String> r = s.browser().get(logout("id_token_hint", s.web().idToken(), "post_logout_redirect_uri", redirect));

        assertRefusedAndNothingEnded(s, r, "post_logout_redirect_uri is not registered for this client");
    }

    static Stream<Arguments> badHints() {
        return Stream.of(
                Arguments.of("not a JWT", (Function<Tokens, String>) t -> "not-a-jwt"),
                Arguments.of("its signature changed", (Function<Tokens, String>) t -> flipLastChar(t.idToken())),
                Arguments.of("signed by another key", (Function<Tokens, String>) t -> resigned(t.idToken(), JOSEObjectType.JWT)),
                Arguments.of("an access token", (Function<Tokens, String>) Tokens::accessToken),
                Arguments.of("a refresh token", (Function<Tokens, String>) Tokens::refreshToken),
                Arguments.of("unsigned (alg none)", (Function<Tokens, String>) t -> unsigned(t.idToken())),
                Arguments.of("oversized", (Function<Tokens, String>) t -> t.idToken() + "A".repeat(9000)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badHints")
    void aHintThatIsNotOurIdTokenIsRefusedAndNothingEnds(String why, Function<Tokens, String> hint) {
        SignedIn s = signedIn();

        HttpResponse<String> r = s.browser().get(logout("id_token_hint", hint.apply(s.web()), "post_logout_redirect_uri", LOGGED_OUT));

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).containsAnyOf("id_token_hint is not a valid ID token of this server", "id_token_hint is too long");
        assertThat(stillSignedIn(s.browser())).isTrue();
        assertThat(refreshes(s.web())).isTrue();
    }

    @Test
    void aClientIdThatDisagreesWithTheHintIsRefused() {
        SignedIn s = signedIn();

        HttpResponse<String> r = s.browser().get(logout("id_token_hint", s.web().idToken(), "client_id", "web2", "post_logout_redirect_uri",
                "https://two.example.test/bye"));

        assertRefusedAndNothingEnded(s, r, "client_id does not match the id_token_hint");
    }

    @Test
    void anUnknownClientIdIsRefused() {
        SignedIn s = signedIn();

        assertRefusedAndNothingEnded(s, s.browser().get(logout("client_id", "nobody", "post_logout_redirect_uri", LOGGED_OUT)),
                "unknown client_id");
    }

    @Test
    void aRepeatedOrOversizedParameterIsRefused() {
        SignedIn s = signedIn();

        assertRefusedAndNothingEnded(s, s.browser().get(logout("id_token_hint", s.web().idToken(), "state", "a", "state", "b")),
                "parameter repeated: state");
        assertRefusedAndNothingEnded(s, s.browser().get(logout("id_token_hint", s.web().idToken(), "state", "x".repeat(2049))),
                "state is too long");
        HttpResponse<String> longest = s.browser().get(logout("id_token_hint", s.web().idToken(), "state", "x".repeat(2048)));
        assertThat(longest.statusCode()).as("2048 characters is the longest state read").isEqualTo(200);
    }

    @Test
    void aClientWithNoRegisteredUriGetsNoRedirect() {
        PageBrowser b = new PageBrowser(server);
        Tokens t = OidcSignIn.signIn(server, b, "silent", APP, SCOPE);

        HttpResponse<String> r = b.get(logout("id_token_hint", t.idToken(), "post_logout_redirect_uri", LOGGED_OUT));

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(stillSignedIn(b)).isTrue();
    }

    @Test
    void theConfirmationIsRefusedWithoutItsCsrfTokenOrFromAnotherSiteAndNothingEnds() {
        SignedIn s = signedIn();
        HttpResponse<String> page = s.browser().get(logout("client_id", "web"));

        HttpResponse<String> noToken = s.browser().post("/oauth2/logout", "client_id=web&csrf_token=&sign_out_apps=yes");
        HttpResponse<String> wrongToken = s.browser().post("/oauth2/logout", "client_id=web&csrf_token=" + "A".repeat(43) + "&sign_out_apps=yes");
        HttpResponse<String> crossSite = s.browser().post("/oauth2/logout", confirmation(page, true), Map.of("Origin", "https://evil.example"));
        HttpResponse<String> otherBrowser = new PageBrowser(server).post("/oauth2/logout", confirmation(page, true));

        for (HttpResponse<String> r : List.of(noToken, wrongToken, crossSite)) {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
            assertThat(r.body()).contains("Sign-out cannot continue");
        }
        assertThat(otherBrowser.statusCode()).as("another browser has no cookie for the token").isEqualTo(403);
        assertThat(stillSignedIn(s.browser())).isTrue();
        assertThat(refreshes(s.web())).isTrue();
    }

    @Test
    void aPostThatIsNotAFormIsRefused() {
        SignedIn s = signedIn();
        HttpResponse<String> r = server.send(java.net.http.HttpRequest.newBuilder(server.uri("/oauth2/logout"))
                .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")));

        assertThat(r.statusCode()).isEqualTo(415);
        assertThat(stillSignedIn(s.browser())).isTrue();
    }

    @Test
    void discoveryNamesTheEndpointAndTheBackChannelSupport() {
        HttpResponse<String> r = server.send(java.net.http.HttpRequest.newBuilder(server.uri("/.well-known/openid-configuration")).GET());
        Map<String, Object> m = dev.rotor.testing.Jsons.parse(r.body());

        assertThat(m).containsEntry("end_session_endpoint", ISSUER + "/oauth2/logout")
                .containsEntry("backchannel_logout_supported", true)
                .containsEntry("backchannel_logout_session_supported", true)
                .containsEntry("frontchannel_logout_supported", false);
    }

    private static void assertRefusedAndNothingEnded(SignedIn s, HttpResponse<String> r, String message) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(r.body()).contains("Sign-out cannot continue").contains(message);
        assertThat(r.headers().firstValue("Location")).as("never sent anywhere").isEmpty();
        assertThat(stillSignedIn(s.browser())).isTrue();
        assertThat(refreshes(s.web())).isTrue();
    }

    /** The confirmation page's form, as the browser posts it, with the box checked or not. */
    private static String confirmation(HttpResponse<String> page, boolean alsoApps) {
        StringBuilder form = new StringBuilder();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">").matcher(page.body());
        while (m.find()) {
            if (!form.isEmpty()) form.append('&');
            form.append(Forms.encode(org.jsoup.parser.Parser.unescapeEntities(m.group(1), true))).append('=')
                    .append(Forms.encode(org.jsoup.parser.Parser.unescapeEntities(m.group(2), true)));
        }
        if (alsoApps) form.append("&sign_out_apps=yes");
        return form.toString();
    }

    private static String flipLastChar(String jwt) {
        char last = jwt.charAt(jwt.length() - 1);
        return jwt.substring(0, jwt.length() - 1) + (last == 'A' ? 'B' : 'A');
    }

    private static String unsigned(String jwt) {
        String[] parts = jwt.split("\\.");
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes()) + "." + parts[1] + ".";
    }

    /** The same claims signed by a key of an attacker's, under the server's kid. */
    private static String resigned(String jwt, JOSEObjectType type) {
        try {
            SignedJWT original = SignedJWT.parse(jwt);
            ECKey attacker = new ECKeyGenerator(Curve.P_256).generate();
            JWTClaimsSet claims = new JWTClaimsSet.Builder(original.getJWTClaimsSet()).issueTime(new Date()).build();
            SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(type).keyID(original.getHeader().getKeyID()).build(), claims);
            forged.sign(new ECDSASigner(attacker));
            return forged.serialize();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
