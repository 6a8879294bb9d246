package dev.rotor.http;

import static dev.rotor.testing.PageBrowser.field;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.account.User;
import dev.rotor.audit.AuditEvent;
import dev.rotor.oauth.Client;
import dev.rotor.oauth.authorize.Pkce;
import dev.rotor.testing.Jsons;
import dev.rotor.testing.PageBrowser;
import dev.rotor.testing.TestClock;
import dev.rotor.testing.TestServer;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The account page over real HTTP against the production routes: it lists the apps a user allowed, removing one ends
 * that app's refresh tokens and nothing else, the app has to ask again, and every forged, misdirected or malformed
 * removal is a 4xx page that changes nothing. Its sign-in form gives the hosted sign-in page's one message.
 */
class AccountPageIT {
    private static final TestClock CLOCK = new TestClock();
    private static final String APP = "https://app.example.test/callback";
    private static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private static final String SSO_COOKIE = "__Secure-rotor_sso";
    private static final String SCOPE = "openid profile offline_access";
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of(), CLOCK);
        client("web", true);
        for (String id : List.of("partner", "partner2", "partner3", "partner4", "partner5")) client(id, false);
        server.rotor().accounts().register("carol", "carol@example.test", "Carol", TestServer.PASSWORD);
        server.rotor().users().disable("carol");
        server.rotor().accounts().register("dave", null, null, TestServer.PASSWORD);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static void client(String id, boolean firstParty) {
        server.rotor().clientStore().add(new Client(id, Client.Type.PUBLIC, null, List.of(APP),
                new LinkedHashSet<>(Set.of("authorization_code", "refresh_token")), Set.of(), firstParty, "openid profile email offline_access",
                Instant.now(), Set.of()));
    }

    private static String authorize(String clientId) {
        return "/oauth2/authorize?response_type=code&client_id=" + clientId + "&redirect_uri=" + enc(APP) + "&scope=" + enc(SCOPE)
                + "&state=st-1&code_challenge=" + Pkce.s256(VERIFIER) + "&code_challenge_method=S256";
    }

    /** A browser signed in as {@code username} on the account page's own form. */
    private static PageBrowser signedIn(String username) {
        PageBrowser b = new PageBrowser(server);
        HttpResponse<String> page = b.get(HostedPages.ACCOUNT);
        HttpResponse<String> r = b.post(HostedPages.ACCOUNT_LOGIN, "csrf_token=" + field(page, "csrf_token") + credentials(username, TestServer.PASSWORD));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).contains(HostedPages.ACCOUNT);
        return b;
    }

    /**
     * Allows {@code clientId} on the consent page (unless the user allowed it before) and redeems the code: the app's
     * refresh token.
     */
    private static String allow(PageBrowser b, String clientId) {
        HttpResponse<String> consent = b.get(authorize(clientId));
        HttpResponse<String> allowed = consent.statusCode() == 303 ? consent
                : b.post(HostedPages.CONSENT, PageBrowser.pageFields(consent) + "&decision=allow");
        String code = query(allowed.headers().firstValue("Location").orElseThrow()).get("code");
        HttpResponse<String> tokens = server.token("grant_type=authorization_code&client_id=" + clientId + "&code=" + enc(code)
                + "&redirect_uri=" + enc(APP) + "&code_verifier=" + VERIFIER);
        assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
        return (String) Jsons.parse(tokens.body()).get("refresh_token");
    }

    private static HttpResponse<String> refresh(String clientId, String refreshToken) {
        return server.token("grant_type=refresh_token&client_id=" + clientId + "&refresh_token=" + enc(refreshToken));
    }

    private static String removeForm(HttpResponse<String> accountPage, String clientId) {
        return "csrf_token=" + field(accountPage, "csrf_token") + "&client_id=" + enc(clientId);
    }

    private static String credentials(String username, String password) {
        return "&username=" + enc(username) + "&password=" + enc(password);
    }

    private static User user(String username) {
        return server.rotor().users().findByUsername(username).orElseThrow();
    }

    private static boolean hasConsent(String username, String clientId) {
        return server.rotor().consents().find(user(username).id(), clientId).isPresent();
    }

    @Test
    void pageListsTheAppsTheUserAllowedInTheConsentPagesWordsAndRemovingOneEndsOnlyItsRefreshTokens() {
        PageBrowser b = signedIn("alice");
        String partner = allow(b, "partner");
        String partner2 = allow(b, "partner2");

        HttpResponse<String> page = b.get(HostedPages.ACCOUNT);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Signed in as <strong>alice</strong>", "<h2>partner</h2>", "<h2>partner2</h2>", "Know who you are on Rotor",
                "See your name and username", "Stay connected to your account when you are not using the app",
                "<form method=\"post\" action=\"/account/consents\">", "<input type=\"hidden\" name=\"client_id\" value=\"partner\">",
                "aria-label=\"Remove access for partner\">Remove access</button>", "Allowed on <time datetime=\"")
                .doesNotContain("role=\"status\"", "See your email address");

        HttpResponse<String> removed = b.post(HostedPages.ACCOUNT_CONSENTS, removeForm(page, "partner"));
        assertThat(removed.statusCode()).isEqualTo(303);
        assertThat(removed.headers().firstValue("Location")).contains("/account?removed=partner");

        HttpResponse<String> after = b.get(removed.headers().firstValue("Location").orElseThrow());
        assertThat(after.body()).contains("<p class=\"notice\" role=\"status\"><strong>partner</strong> no longer has access to your account.</p>",
                "<h2>partner2</h2>").doesNotContain("<h2>partner</h2>");
        HttpResponse<String> dead = refresh("partner", partner);
        assertThat(dead.statusCode()).isEqualTo(400);
        assertThat(Jsons.parse(dead.body())).containsEntry("error", "invalid_grant");
        assertThat(refresh("partner2", partner2).statusCode()).as("another app's session lives on").isEqualTo(200);
        assertThat(b.get(authorize("partner")).body()).as("the app must ask again").contains("<strong>partner</strong> wants to use your Rotor account");

        List<AuditEvent> withdrawn = server.rotor().audit().tail(200).stream().filter(e -> e.type().equals("consent.withdrawn") && "partner".equals(e.clientId())).toList();
        assertThat(withdrawn).singleElement().satisfies(e -> {
            assertThat(e.userId()).isEqualTo(user("alice").id());
            assertThat(e.detail()).containsEntry("sessions_ended", "1").containsEntry("scope", SCOPE);
        });
    }

    @Test
    void aCodeIssuedBeforeTheRemovalNoLongerRedeems() {
        PageBrowser b = signedIn("bob");
        allow(b, "partner5");
        HttpResponse<String> issued = b.get(authorize("partner5"));
        assertThat(issued.statusCode()).as("allowed before: a code at once").isEqualTo(303);
        String code = query(issued.headers().firstValue("Location").orElseThrow()).get("code");

        assertThat(b.post(HostedPages.ACCOUNT_CONSENTS, removeForm(b.get(HostedPages.ACCOUNT), "partner5")).statusCode()).isEqualTo(303);

        HttpResponse<String> tokens = server.token("grant_type=authorization_code&client_id=partner5&code=" + enc(code)
                + "&redirect_uri=" + enc(APP) + "&code_verifier=" + VERIFIER);
        assertThat(tokens.statusCode()).isEqualTo(400);
        assertThat(Jsons.parse(tokens.body())).containsEntry("error", "invalid_grant");
    }

    @Test
    void pageWithNoAppsSaysSoAndEveryAccountPageCarriesThePagesHeaders() {
        PageBrowser dave = signedIn("dave");
        HttpResponse<String> page = dave.get(HostedPages.ACCOUNT);
        assertThat(page.body()).contains("Signed in as <strong>dave</strong>", "You have not allowed any app to use your Rotor account.",
                "<a href=\"/oauth2/logout\">Sign out of Rotor</a>").doesNotContain("<form method=\"post\" action=\"/account/consents\">");
        assertThat(dave.get("/oauth2/logout").body()).as("the sign-out link asks to confirm").contains("<h1>Sign out of Rotor?</h1>");
        for (HttpResponse<String> r : List.of(page, new PageBrowser(server).get(HostedPages.ACCOUNT))) {
            assertThat(r.headers().firstValue("Content-Security-Policy").orElseThrow()).startsWith("default-src 'none'; style-src 'sha256-")
                    .contains("form-action 'self';", "frame-ancestors 'none'", "base-uri 'none'").doesNotContain("script-src");
            assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
            assertThat(r.headers().firstValue("X-Frame-Options")).contains("DENY");
        }
    }

    @Test
    void confirmationIsShownOnlyWhenItIsTrue() {
        PageBrowser b = signedIn("alice");
        allow(b, "partner5");
        assertThat(b.get("/account?removed=partner5").body()).as("still allowed").doesNotContain("role=\"status\"");
        assertThat(b.get("/account?removed=web").body()).as("first party").doesNotContain("role=\"status\"");
        assertThat(b.get("/account?removed=" + enc("<b>x</b>")).body()).doesNotContain("role=\"status\"", "<b>x</b>");
    }

    @Test
    void signInOnThePageStartsTheSingleSignOnSessionTheSignInPagesUse() {
        PageBrowser b = signedIn("alice");
        assertThat(b.cookies).containsKey(SSO_COOKIE);
        HttpResponse<String> web = b.get(authorize("web"));
        assertThat(web.statusCode()).as("single sign-on: no sign-in page").isEqualTo(303);
        assertThat(web.headers().firstValue("Location").orElseThrow()).startsWith(APP).contains("code=");
    }

    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("badCredentials")
    void signInWhenPasswordWrongUserUnknownOrDisabledThenOneMessageAndNoSession(String username, String password) {
        PageBrowser b = new PageBrowser(server);
        HttpResponse<String> page = b.get(HostedPages.ACCOUNT);
        assertThat(page.body()).contains("<h1>Sign in</h1>", "action=\"/account/login\"", "autocomplete=\"current-password\"");
        HttpResponse<String> r = b.post(HostedPages.ACCOUNT_LOGIN, "csrf_token=" + field(page, "csrf_token") + credentials(username, password));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("<p id=\"problem\" class=\"alert\" role=\"alert\">Wrong username or password.</p>",
                "aria-invalid=\"true\" aria-describedby=\"problem\"").doesNotContain(password);
        assertThat(b.cookies).doesNotContainKey(SSO_COOKIE);
    }

    static Stream<Arguments> badCredentials() {
        return Stream.of(Arguments.of("alice", "not the password"), Arguments.of("nobody", "not the password"),
                Arguments.of("carol", TestServer.PASSWORD));
    }

    @Test
    void signInWithoutTheFormsTokenIsRefusedAndStartsNothing() {
        PageBrowser b = new PageBrowser(server);
        b.get(HostedPages.ACCOUNT);
        HttpResponse<String> r = b.post(HostedPages.ACCOUNT_LOGIN, credentials("alice", TestServer.PASSWORD).substring(1));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("Sign-in cannot continue", "missing its security token", "href=\"/account\"");
        assertThat(b.cookies).doesNotContainKey(SSO_COOKIE);
    }

    /** A removal that must change nothing, made from a browser of alice's that holds a consent for partner3. */
    record Attempt(String form, Map<String, String> headers, PageBrowser from) {}

    interface Attacker {
        Attempt attempt(PageBrowser alice, HttpResponse<String> page);
    }

    static Stream<Arguments> refusedRemovals() {
        return Stream.of(
                Arguments.of("no CSRF field", 403, "missing its security token", (Attacker) (b, page) -> new Attempt("client_id=partner3", Map.of(), b)),
                Arguments.of("a wrong CSRF token", 403, "does not belong", (Attacker) (b, page) -> new Attempt(
                        "csrf_token=" + "A".repeat(43) + "&client_id=partner3", Map.of(), b)),
                Arguments.of("the sign-in form's token", 403, "does not belong", (Attacker) (b, page) -> {
                    PageBrowser fresh = new PageBrowser(server);
                    fresh.cookies.putAll(b.cookies);
                    fresh.cookies.remove(SSO_COOKIE);
                    String signInToken = field(fresh.get(HostedPages.ACCOUNT), "csrf_token");
                    return new Attempt("csrf_token=" + signInToken + "&client_id=partner3", Map.of(), b);
                }),
                Arguments.of("another site's Origin", 403, "sent from another site", (Attacker) (b, page) -> new Attempt(removeForm(page, "partner3"),
                        Map.of("Origin", "https://evil.example"), b)),
                Arguments.of("another browser's cookie", 403, "does not belong", (Attacker) (b, page) -> {
                    // The attacker's own page and token, with the victim's session: the CSRF cookie is the victim's.
                    PageBrowser attacker = new PageBrowser(server);
                    String attackers = field(attacker.get(HostedPages.ACCOUNT), "csrf_token");
                    return new Attempt("csrf_token=" + attackers + "&client_id=partner3", Map.of(), b);
                }),
                Arguments.of("no single sign-on session", 403, "You are not signed in", (Attacker) (b, page) -> {
                    PageBrowser signedOut = new PageBrowser(server);
                    signedOut.cookies.putAll(b.cookies);
                    signedOut.cookies.remove(SSO_COOKIE);
                    return new Attempt(removeForm(page, "partner3"), Map.of(), signedOut);
                }),
                Arguments.of("an unknown client id", 400, "nothing to remove", (Attacker) (b, page) -> new Attempt(removeForm(page, "nobody"), Map.of(), b)),
                Arguments.of("a first-party client's id", 400, "nothing to remove", (Attacker) (b, page) -> new Attempt(removeForm(page, "web"), Map.of(), b)),
                Arguments.of("bob's consent, from alice's browser", 400, "nothing to remove", (Attacker) (b, page) -> new Attempt(removeForm(page, "partner4"),
                        Map.of(), b)),
                Arguments.of("alice's consent, from bob's browser", 400, "nothing to remove", (Attacker) (b, page) -> {
                    PageBrowser bob = signedIn("bob");
                    return new Attempt(removeForm(bob.get(HostedPages.ACCOUNT), "partner3"), Map.of(), bob);
                }),
                Arguments.of("no client id", 400, "missing parameter: client_id", (Attacker) (b, page) -> new Attempt(
                        "csrf_token=" + field(page, "csrf_token"), Map.of(), b)),
                Arguments.of("a repeated client id", 400, "parameter repeated: client_id", (Attacker) (b, page) -> new Attempt(
                        removeForm(page, "partner3") + "&client_id=partner3", Map.of(), b)),
                Arguments.of("a repeated CSRF token", 400, "parameter repeated: csrf_token", (Attacker) (b, page) -> new Attempt(
                        removeForm(page, "partner3") + "&csrf_token=" + field(page, "csrf_token"), Map.of(), b)),
                Arguments.of("a client id longer than any", 400, "client_id too long", (Attacker) (b, page) -> new Attempt(
                        removeForm(page, "p".repeat(129)), Map.of(), b)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedRemovals")
    void removalWhenForgedMisdirectedOrMalformedThenA4xxPageAndNothingChanges(String why, int status, String says, Attacker attacker) {
        PageBrowser alice = signedIn("alice");
        String refreshToken = allow(alice, "partner3");
        PageBrowser bob = signedIn("bob");
        allow(bob, "partner4");
        HttpResponse<String> page = alice.get(HostedPages.ACCOUNT);

        Attempt a = attacker.attempt(alice, page);
        HttpResponse<String> r = a.from().post(HostedPages.ACCOUNT_CONSENTS, a.form(), a.headers());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(r.headers().firstValue("Location")).isEmpty();
        assertThat(r.body()).contains("<h1>Access was not changed</h1>", "role=\"alert\"", says, "href=\"/account\"");
        assertThat(hasConsent("alice", "partner3")).isTrue();
        assertThat(hasConsent("bob", "partner4")).isTrue();
        HttpResponse<String> still = refresh("partner3", refreshToken);
        assertThat(still.statusCode()).as("alice's app session lives on: %s", still.body()).isEqualTo(200);
    }

    @Test
    void oversizedFormIsRefusedAndTheServerKeepsServing() {
        PageBrowser b = signedIn("alice");
        HttpResponse<String> page = b.get(HostedPages.ACCOUNT);
        HttpResponse<String> huge = b.post(HostedPages.ACCOUNT_CONSENTS, removeForm(page, "x".repeat(20_000)));
        assertThat(huge.statusCode()).isEqualTo(413);
        assertThat(b.get(HostedPages.ACCOUNT).statusCode()).isEqualTo(200);
    }

    @Test
    void consentPageSaysWhoIsSignedInAndOffersToSignInAsSomeoneElse() {
        PageBrowser b = signedIn("bob");
        String page = b.get(authorize("partner")).body();
        assertThat(page).contains("<p class=\"who\">Signed in as <strong>bob</strong>. <a href=\"/oauth2/authorize?");
        Matcher notYou = Pattern.compile("<a href=\"([^\"]+)\">Not you\\?</a>").matcher(page);
        assertThat(notYou.find()).isTrue();
        String href = notYou.group(1).replace("&amp;", "&");
        assertThat(query(href)).containsEntry("prompt", "login").containsEntry("client_id", "partner").containsEntry("state", "st-1");
        HttpResponse<String> signIn = b.get(href);
        assertThat(signIn.statusCode()).isEqualTo(200);
        assertThat(signIn.body()).as("the same request, to sign in as someone else").contains("<h1>Sign in</h1>", "to continue to <strong>partner</strong>");
    }

    private static Map<String, String> query(String location) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = Pattern.compile("[?&]([^=&]+)=([^&]*)").matcher(URI.create(location).getRawQuery() == null ? "" : "?" + URI.create(location).getRawQuery());
        while (m.find()) out.put(m.group(1), URLDecoder.decode(m.group(2), StandardCharsets.UTF_8));
        return out;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
