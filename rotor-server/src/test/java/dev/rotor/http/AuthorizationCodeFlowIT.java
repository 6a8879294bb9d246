package dev.rotor.http;

import static dev.rotor.testing.PageBrowser.pageFields;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.rotor.oauth.Client;
import dev.rotor.oauth.authorize.Pkce;
import dev.rotor.testing.Jsons;
import dev.rotor.testing.PageBrowser;
import dev.rotor.testing.TestClock;
import dev.rotor.testing.TestServer;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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

/**
 * The authorization code flow with PKCE over real HTTP, as a browser and an app drive it: the sign-in page, the
 * single sign-on cookie, consent, the code's redemption and what it refuses.
 */
class AuthorizationCodeFlowIT {
    private static final TestClock CLOCK = new TestClock();
    private static final String APP = "https://app.example.test/callback";
    private static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private static final String ISSUER = "http://localhost:8080";
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of(), CLOCK);
        client("web", true, Set.of("authorization_code", "refresh_token"));
        client("web2", true, Set.of("authorization_code", "refresh_token"));
        client("partner", false, Set.of("authorization_code"));
        client("no-code", true, Set.of("refresh_token"));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static void client(String id, boolean firstParty, Set<String> grants) {
        server.rotor().clientStore().add(new Client(id, Client.Type.PUBLIC, null, List.of(APP, "http://127.0.0.1/cb"), new LinkedHashSet<>(grants),
                Set.of(), firstParty, "openid profile email offline_access", Instant.now(), Set.of()));
    }

    private static String authorizeQuery(String clientId, String extra) {
        return "/oauth2/authorize?response_type=code&client_id=" + clientId + "&redirect_uri=" + enc(APP)
                + "&scope=" + enc("openid profile email offline_access") + "&state=st-1&nonce=n-1"
                + "&code_challenge=" + Pkce.s256(VERIFIER) + "&code_challenge_method=S256" + extra;
    }

    private static String signIn(HttpResponse<String> page, String username, String password) {
        return pageFields(page) + "&username=" + enc(username) + "&password=" + enc(password);
    }

    /** The query parameters of a 303 to the client. */
    private static Map<String, String> redirected(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        String location = r.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(APP + "?");
        Map<String, String> out = new LinkedHashMap<>();
        for (String p : URI.create(location).getRawQuery().split("&")) {
            String[] kv = p.split("=", 2);
            out.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return out;
    }

    private static HttpResponse<String> redeem(String clientId, String code, String verifier) {
        return server.token("grant_type=authorization_code&client_id=" + clientId + "&code=" + code + "&redirect_uri=" + enc(APP)
                + (verifier == null ? "" : "&code_verifier=" + verifier));
    }

    /** Signs alice in on a fresh browser through {@code clientId}; returns the browser and the code. */
    private static Map.Entry<PageBrowser, String> signedIn(String clientId) {
        PageBrowser b = new PageBrowser(server);
        HttpResponse<String> page = b.get(authorizeQuery(clientId, ""));
        Map<String, String> back = redirected(b.post("/oauth2/authorize/login", signIn(page, "alice", TestServer.PASSWORD)));
        return Map.entry(b, back.get("code"));
    }

    @Test
    void codeFlowWhenUserSignsInThenCodeRedeemsForTokensAndAnIdToken() throws Exception {
        PageBrowser b = new PageBrowser(server);
        HttpResponse<String> page = b.get(authorizeQuery("web", ""));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(page.headers().firstValue("Cache-Control")).contains("no-store");

        long beforeSignIn = CLOCK.instant().getEpochSecond();
        HttpResponse<String> signedIn = b.post("/oauth2/authorize/login", signIn(page, "alice", TestServer.PASSWORD));
        Map<String, String> back = redirected(signedIn);
        assertThat(back).containsEntry("state", "st-1").containsEntry("iss", ISSUER).containsKey("code");
        List<String> sso = signedIn.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("__Secure-rotor_sso=")).toList();
        // Path=/ for the account page too; the cookie once set on /oauth2 is expired first, so no browser holds both.
        assertThat(sso).hasSize(2);
        assertThat(sso.get(0)).startsWith("__Secure-rotor_sso=; Max-Age=0; Path=/oauth2;");
        assertThat(sso.get(1)).contains("HttpOnly", "Secure", "SameSite=Lax", "Path=/;").doesNotContain("Path=/oauth2");

        HttpResponse<String> tokens = redeem("web", back.get("code"), VERIFIER);
        assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
        Map<String, Object> body = Jsons.parse(tokens.body());
        assertThat(body).containsKeys("access_token", "refresh_token", "id_token");
        SignedJWT id = SignedJWT.parse((String) body.get("id_token"));
        assertThat(id.getHeader().getType()).isEqualTo(JOSEObjectType.JWT);
        JWTClaimsSet c = id.getJWTClaimsSet();
        assertThat(c.getAudience()).containsExactly("web");
        assertThat(c.getIssuer()).isEqualTo(ISSUER);
        assertThat(c.getStringClaim("nonce")).isEqualTo("n-1");
        assertThat(c.getStringClaim("name")).isEqualTo("Alice");
        assertThat(c.getStringClaim("email")).isEqualTo("alice@example.test");
        assertThat(c.getStringClaim("at_hash")).isNotBlank();
        assertThat(c.getStringClaim("sid")).isNotBlank();
        // The clock runs: the sign-in's second may be behind the one the assertion reads.
        assertThat(c.getLongClaim("auth_time")).isBetween(beforeSignIn, CLOCK.instant().getEpochSecond());
        assertThat(c.getStringListClaim("amr")).containsExactly("pwd");

        // The refresh token rotates like every other.
        HttpResponse<String> refreshed = server.token("grant_type=refresh_token&client_id=web&refresh_token=" + body.get("refresh_token"));
        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);

        HttpResponse<String> info = server.send(HttpRequest.newBuilder(server.uri("/oauth2/userinfo"))
                .header("Authorization", "Bearer " + body.get("access_token")).GET());
        assertThat(info.statusCode()).isEqualTo(200);
        assertThat(Jsons.parse(info.body())).containsEntry("sub", c.getSubject()).containsEntry("preferred_username", "alice");
    }

    @Test
    void secondClientWhenBrowserHasSsoSessionThenSignsInWithoutPasswordAndAuthTimeIsTheRealSignIn() throws Exception {
        Map.Entry<PageBrowser, String> first = signedIn("web");
        Instant signedInAt = CLOCK.instant();
        CLOCK.advance(Duration.ofMinutes(3));
        Map<String, String> back = redirected(first.getKey().get(authorizeQuery("web2", "")));
        HttpResponse<String> tokens = redeem("web2", back.get("code"), VERIFIER);
        JWTClaimsSet id = SignedJWT.parse((String) Jsons.parse(tokens.body()).get("id_token")).getJWTClaimsSet();
        assertThat(id.getLongClaim("auth_time")).isEqualTo(signedInAt.getEpochSecond());
    }

    @Test
    void promptLoginOrMaxAgeWhenSsoSessionExistsThenThePasswordIsAskedAgain() {
        PageBrowser b = signedIn("web").getKey();
        assertThat(b.get(authorizeQuery("web", "&prompt=login")).statusCode()).isEqualTo(200);
        CLOCK.advance(Duration.ofSeconds(61));
        assertThat(b.get(authorizeQuery("web", "&max_age=60")).statusCode()).isEqualTo(200);
        assertThat(b.get(authorizeQuery("web", "&max_age=3600")).statusCode()).isEqualTo(303);
    }

    @Test
    void promptNoneWhenNotSignedInThenLoginRequiredWithoutAPage() {
        Map<String, String> back = redirected(new PageBrowser(server).get(authorizeQuery("web", "&prompt=none")));
        assertThat(back).containsEntry("error", "login_required").containsEntry("state", "st-1").containsEntry("iss", ISSUER)
                .doesNotContainKey("code");
    }

    @Test
    void redeemWhenCodeUsedTwiceThenRefusedAndWhatTheFirstRedemptionIssuedIsRevoked() {
        String code = signedIn("web").getValue();
        Map<String, Object> first = Jsons.parse(redeem("web", code, VERIFIER).body());
        HttpResponse<String> again = redeem("web", code, VERIFIER);
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(Jsons.parse(again.body())).containsEntry("error", "invalid_grant");
        HttpResponse<String> refresh = server.token("grant_type=refresh_token&client_id=web&refresh_token=" + first.get("refresh_token"));
        assertThat(Jsons.parse(refresh.body())).containsEntry("error", "invalid_grant");
    }

    static Stream<Arguments> badRedemptions() {
        return Stream.of(
                Arguments.of("wrong verifier", "web", "&code_verifier=" + "x".repeat(43), APP),
                Arguments.of("no verifier", "web", "", APP),
                Arguments.of("another client", "web2", "&code_verifier=" + VERIFIER, APP),
                Arguments.of("another redirect_uri", "web", "&code_verifier=" + VERIFIER, "http://127.0.0.1/cb"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRedemptions")
    void redeemWhenAnythingDiffersFromTheRequestThenInvalidGrantAndTheCodeIsSpent(String why, String clientId, String verifier, String redirect) {
        String code = signedIn("web").getValue();
        HttpResponse<String> r = server.token("grant_type=authorization_code&client_id=" + clientId + "&code=" + code + "&redirect_uri="
                + enc(redirect) + verifier);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(Jsons.parse(r.body())).containsEntry("error", "invalid_grant");
        assertThat(r.body()).doesNotContain(code);
        assertThat(redeem("web", code, VERIFIER).statusCode()).isEqualTo(400);
    }

    @Test
    void redeemWhenCodeOlderThanAMinuteThenInvalidGrant() {
        String code = signedIn("web").getValue();
        CLOCK.advance(Duration.ofSeconds(61));
        assertThat(Jsons.parse(redeem("web", code, VERIFIER).body())).containsEntry("error", "invalid_grant");
    }

    @Test
    void signInWhenPasswordWrongThenThePageAgainWithOneMessageAndNoCookie() {
        PageBrowser b = new PageBrowser(server);
        HttpResponse<String> page = b.get(authorizeQuery("web", ""));
        HttpResponse<String> wrong = b.post("/oauth2/authorize/login", signIn(page, "alice", "wrong password here"));
        HttpResponse<String> unknown = b.post("/oauth2/authorize/login", signIn(page, "nobody", "wrong password here"));
        assertThat(wrong.statusCode()).isEqualTo(200);
        assertThat(wrong.body()).contains("Wrong username or password").doesNotContain("wrong password here");
        assertThat(unknown.body()).contains("Wrong username or password");
        assertThat(b.cookies).doesNotContainKey("__Secure-rotor_sso");
    }

    @Test
    void signInWhenPageOlderThanFifteenMinutesThenExpiredPageAndNothingStarts() {
        PageBrowser b = new PageBrowser(server);
        HttpResponse<String> page = b.get(authorizeQuery("web", ""));
        CLOCK.advance(Duration.ofMinutes(15).plusSeconds(1));
        HttpResponse<String> r = b.post("/oauth2/authorize/login", signIn(page, "alice", TestServer.PASSWORD));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Location")).isEmpty();
        assertThat(r.body()).contains("This page has expired").contains("Start again from the app");
        assertThat(b.cookies).doesNotContainKey("__Secure-rotor_sso");
    }

    @Test
    void consentWhenThirdPartyClientThenAskedOnceAndRemembered() {
        PageBrowser b = signedIn("web").getKey();
        HttpResponse<String> ask = b.get(authorizeQuery("partner", ""));
        assertThat(ask.statusCode()).isEqualTo(200);
        assertThat(ask.body()).contains("partner").contains("decision");
        Map<String, String> denied = redirected(b.post("/oauth2/authorize/consent", pageFields(ask) + "&decision=deny"));
        assertThat(denied).containsEntry("error", "access_denied").containsEntry("state", "st-1");
        assertThat(redirected(b.get(authorizeQuery("partner", "&prompt=none")))).containsEntry("error", "consent_required");

        HttpResponse<String> again = b.get(authorizeQuery("partner", ""));
        assertThat(redirected(b.post("/oauth2/authorize/consent", pageFields(again) + "&decision=allow"))).containsKey("code");
        assertThat(redirected(b.get(authorizeQuery("partner", "")))).containsKey("code");
        assertThat(b.get(authorizeQuery("partner", "&prompt=consent")).statusCode()).isEqualTo(200);
    }

    @Test
    void consentWhenAnsweredFromAnotherBrowserThenExpiredPage() {
        PageBrowser b = signedIn("web").getKey();
        HttpResponse<String> page = b.get(authorizeQuery("partner", ""));
        PageBrowser other = signedIn("web").getKey();
        // The CSRF cookie copied across, so that only the single sign-on session check stands in the way.
        other.cookies.put("__Host-rotor_csrf", b.cookies.get("__Host-rotor_csrf"));
        HttpResponse<String> r = other.post("/oauth2/authorize/consent", pageFields(page) + "&decision=allow");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Location")).isEmpty();
    }

    static Stream<Arguments> unredirectable() {
        return Stream.of(
                Arguments.of("unknown client", "/oauth2/authorize?response_type=code&client_id=nobody&redirect_uri=" + enc(APP)),
                Arguments.of("missing client", "/oauth2/authorize?response_type=code&redirect_uri=" + enc(APP)),
                Arguments.of("unregistered redirect", "/oauth2/authorize?response_type=code&client_id=web&redirect_uri=" + enc("https://evil.example/cb")),
                Arguments.of("prefix of a registered redirect", "/oauth2/authorize?response_type=code&client_id=web&redirect_uri=" + enc(APP + "/more")),
                Arguments.of("missing redirect", "/oauth2/authorize?response_type=code&client_id=web"),
                Arguments.of("repeated redirect", "/oauth2/authorize?response_type=code&client_id=web&redirect_uri=" + enc(APP) + "&redirect_uri=" + enc(APP)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unredirectable")
    void authorizeWhenClientOrRedirectUriCannotBeTrustedThenAPageAndNoRedirect(String why, String path) {
        HttpResponse<String> r = new PageBrowser(server).get(path);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Location")).isEmpty();
        assertThat(r.body()).contains("invalid_request").doesNotContain("evil.example");
    }

    static Stream<Arguments> redirected() {
        String base = "/oauth2/authorize?client_id=web&redirect_uri=" + enc(APP) + "&state=st-1&scope=openid";
        String noScope = "/oauth2/authorize?client_id=web&redirect_uri=" + enc(APP) + "&state=st-1";
        String pkce = "&code_challenge=" + Pkce.s256(VERIFIER) + "&code_challenge_method=S256";
        return Stream.of(
                Arguments.of("no response_type", base + pkce, "invalid_request"),
                Arguments.of("token response_type", base + pkce + "&response_type=token", "unsupported_response_type"),
                Arguments.of("plain PKCE", base + "&response_type=code&code_challenge=" + Pkce.s256(VERIFIER) + "&code_challenge_method=plain", "invalid_request"),
                Arguments.of("PKCE without method", base + "&response_type=code&code_challenge=" + Pkce.s256(VERIFIER), "invalid_request"),
                Arguments.of("public client without PKCE", base + "&response_type=code", "invalid_request"),
                Arguments.of("scope beyond the client's", noScope + pkce + "&response_type=code&scope=openid+admin", "invalid_scope"),
                Arguments.of("no scope", noScope + pkce + "&response_type=code", "invalid_scope"),
                Arguments.of("repeated scope", base + pkce + "&response_type=code&scope=openid", "invalid_request"),
                Arguments.of("prompt none and login", base + pkce + "&response_type=code&prompt=none+login", "invalid_request"),
                Arguments.of("negative max_age", base + pkce + "&response_type=code&max_age=-1", "invalid_request"),
                Arguments.of("request object", base + pkce + "&response_type=code&request=eyJ", "request_not_supported"),
                Arguments.of("client without the code grant", base.replace("client_id=web", "client_id=no-code") + pkce + "&response_type=code",
                        "unauthorized_client"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("redirected")
    void authorizeWhenRequestInvalidButRedirectTrustedThenErrorGoesBackToTheClient(String why, String path, String error) {
        Map<String, String> back = redirected(new PageBrowser(server).get(path));
        assertThat(back.get("error")).isEqualTo(error);
        assertThat(back).containsEntry("state", "st-1").containsEntry("iss", ISSUER).doesNotContainKey("code");
    }

    @Test
    void formPostWhenAskedThenTheCodeIsPostedByThePageNotPutInTheUrl() {
        PageBrowser b = signedIn("web").getKey();
        HttpResponse<String> r = b.get(authorizeQuery("web", "&response_mode=form_post"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Location")).isEmpty();
        assertThat(r.body()).contains("action=\"" + APP + "\"").contains("name=\"code\"").contains("name=\"iss\"");
    }

    @Test
    void userinfoWhenTokenMissingOrWithoutOpenidThenRefused() {
        HttpResponse<String> none = server.send(HttpRequest.newBuilder(server.uri("/oauth2/userinfo")).GET());
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Bearer");
        Map<String, Object> noOpenid = Jsons.parse(server.token("grant_type=password&client_id=native&username=alice&scope=profile&password="
                + enc(TestServer.PASSWORD)).body());
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("/oauth2/userinfo"))
                .header("Authorization", "Bearer " + noOpenid.get("access_token")).GET());
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(Jsons.parse(r.body())).containsEntry("error", "insufficient_scope");
        assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("insufficient_scope");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

}
