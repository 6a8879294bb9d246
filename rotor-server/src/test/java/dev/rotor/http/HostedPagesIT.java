package dev.rotor.http;

import static dev.rotor.testing.PageBrowser.field;
import static dev.rotor.testing.PageBrowser.pageFields;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.oauth.Client;
import dev.rotor.oauth.authorize.Pkce;
import dev.rotor.testing.PageBrowser;
import dev.rotor.testing.SetCookie;
import dev.rotor.testing.TestClock;
import dev.rotor.testing.TestServer;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
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
 * The hosted pages over real HTTP: the headers every page carries (CSP by hash, no framing, no caching), the CSRF
 * token and Origin check on every form and what each refusal leaves unchanged, and what the pages say and pre-fill.
 */
class HostedPagesIT {
    private static final TestClock CLOCK = new TestClock();
    private static final String APP = "https://app.example.test/callback";
    private static final String NATIVE = "com.example.app:/callback";
    private static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private static final String CSRF_COOKIE = "__Host-rotor_csrf";
    private static final String SSO_COOKIE = "__Secure-rotor_sso";
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of(), CLOCK);
        client("web", true, List.of(APP));
        client("partner", false, List.of(APP));
        client("partner2", false, List.of(APP));
        client("phone", true, List.of(NATIVE));
        client("desktop", true, List.of("http://127.0.0.1/cb", "http://[::1]/cb"));
        server.rotor().accounts().register("carol", "carol@example.test", "Carol", TestServer.PASSWORD);
        server.rotor().users().disable("carol");
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static void client(String id, boolean firstParty, List<String> redirects) {
        server.rotor().clientStore().add(new Client(id, Client.Type.PUBLIC, null, redirects, new LinkedHashSet<>(Set.of("authorization_code")),
                Set.of(), firstParty, "openid profile email offline_access", Instant.now(), Set.of()));
    }

    private static String authorize(String clientId, String extra) {
        return authorize(clientId, APP, extra);
    }

    private static String authorize(String clientId, String redirect, String extra) {
        return "/oauth2/authorize?response_type=code&client_id=" + clientId + "&redirect_uri=" + enc(redirect)
                + "&scope=" + enc("openid profile email offline_access") + "&state=st-1"
                + "&code_challenge=" + Pkce.s256(VERIFIER) + "&code_challenge_method=S256" + extra;
    }

    private static String credentials(String username, String password) {
        return "&username=" + enc(username) + "&password=" + enc(password);
    }

    /** A browser signed in as alice through the first-party client. */
    private static PageBrowser signedIn() {
        PageBrowser b = new PageBrowser(server);
        HttpResponse<String> page = b.get(authorize("web", ""));
        assertThat(b.post(HostedPages.LOGIN, pageFields(page) + credentials("alice", TestServer.PASSWORD)).statusCode()).isEqualTo(303);
        assertThat(b.cookies).as("a sign-in that went through keeps the device").containsKey("__Host-rotor_device");
        return b;
    }

    private static Map<String, String> csp(HttpResponse<String> r) {
        Map<String, String> directives = new LinkedHashMap<>();
        for (String d : r.headers().firstValue("Content-Security-Policy").orElseThrow().split(";")) {
            String[] nameAndValue = d.trim().split(" ", 2);
            assertThat(directives.put(nameAndValue[0], nameAndValue.length > 1 ? nameAndValue[1] : "")).as("directive repeated").isNull();
        }
        return directives;
    }

    /** CSP's hash source of an element's text, computed here so that a wrong hash in the server cannot agree with itself. */
    private static String sha256Source(String text) throws Exception {
        return "'sha256-" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8))) + "'";
    }

    private static String element(String body, String tag) {
        Matcher m = Pattern.compile("<" + tag + ">(.*?)</" + tag + ">", Pattern.DOTALL).matcher(body);
        assertThat(m.find()).as("a <" + tag + "> element").isTrue();
        String text = m.group(1);
        assertThat(m.find()).as("one <" + tag + "> element").isFalse();
        return text;
    }

    static Stream<Arguments> pages() {
        return Stream.of(
                Arguments.of("sign-in", (Supplier<HttpResponse<String>>) () -> new PageBrowser(server).get(authorize("web", ""))),
                Arguments.of("consent", (Supplier<HttpResponse<String>>) () -> signedIn().get(authorize("partner", ""))),
                Arguments.of("unknown client", (Supplier<HttpResponse<String>>) () -> new PageBrowser(server).get(authorize("nobody", ""))),
                Arguments.of("expired", (Supplier<HttpResponse<String>>) () -> {
                    PageBrowser b = new PageBrowser(server);
                    HttpResponse<String> page = b.get(authorize("web", ""));
                    CLOCK.advance(Duration.ofMinutes(16));
                    return b.post(HostedPages.LOGIN, pageFields(page) + credentials("alice", TestServer.PASSWORD));
                }),
                Arguments.of("refused form", (Supplier<HttpResponse<String>>) () -> new PageBrowser(server).post(HostedPages.LOGIN, "interaction=x")),
                Arguments.of("account", (Supplier<HttpResponse<String>>) () -> signedIn().get(HostedPages.ACCOUNT)),
                Arguments.of("account sign-in", (Supplier<HttpResponse<String>>) () -> new PageBrowser(server).get(HostedPages.ACCOUNT)),
                Arguments.of("refused account form", (Supplier<HttpResponse<String>>) () -> signedIn().post(HostedPages.ACCOUNT_CONSENTS, "client_id=x")),
                Arguments.of("form_post", (Supplier<HttpResponse<String>>) () -> signedIn().get(authorize("web", "&response_mode=form_post"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pages")
    void everyPageIsHtmlThatIsNeverFramedCachedOrGivenOutsideStylesOrScripts(String why, Supplier<HttpResponse<String>> show) throws Exception {
        HttpResponse<String> page = show.get();
        assertThat(page.headers().firstValue("Content-Type").orElseThrow()).isEqualToIgnoringWhitespace("text/html;charset=utf-8");
        assertThat(page.headers().firstValue("X-Frame-Options")).contains("DENY");
        assertThat(page.headers().firstValue("Referrer-Policy")).contains("no-referrer");
        assertThat(page.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");

        Map<String, String> csp = csp(page);
        assertThat(csp).containsEntry("default-src", "'none'").containsEntry("frame-ancestors", "'none'").containsEntry("base-uri", "'none'")
                .containsEntry("style-src", sha256Source(element(page.body(), "style")));
        if (why.equals("form_post")) assertThat(csp).containsEntry("script-src", sha256Source(element(page.body(), "script")));
        else assertThat(csp).doesNotContainKey("script-src");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).doesNotContain("unsafe", "*", "data:", "http:", "https: ");

        assertThat(page.body()).startsWith("<!doctype html>").contains("<html lang=\"en\">", "name=\"viewport\"", "<span>Rotor</span>")
                .doesNotContain("<link", " src=", " style=", "<img", "<iframe");
    }

    @Test
    void formActionIsOursPlusTheOriginTheAnswerRedirectsTo() {
        // Browsers hold the redirect that answers a form to form-action too: the sign-in POST ends in a 303 to the client.
        assertThat(csp(new PageBrowser(server).get(authorize("web", "")))).containsEntry("form-action", "'self' https://app.example.test");
        assertThat(csp(signedIn().get(authorize("partner", "")))).containsEntry("form-action", "'self' https://app.example.test");
        assertThat(csp(signedIn().get(authorize("web", "&response_mode=form_post")))).containsEntry("form-action", "'self' https://app.example.test");
        assertThat(csp(new PageBrowser(server).get(authorize("phone", NATIVE, "")))).containsEntry("form-action", "'self' com.example.app:");
        assertThat(csp(new PageBrowser(server).get(authorize("desktop", "http://127.0.0.1:4567/cb", ""))))
                .containsEntry("form-action", "'self' http://127.0.0.1:4567");
        // CSP cannot name an IPv6 literal host: the scheme stands for it.
        assertThat(csp(new PageBrowser(server).get(authorize("desktop", "http://[::1]:4567/cb", "")))).containsEntry("form-action", "'self' http:");
        assertThat(csp(new PageBrowser(server).get(authorize("nobody", "")))).containsEntry("form-action", "'none'");
    }

    @Test
    void formPostPageSubmitsItselfByScriptAndOffersAButtonWithout() {
        HttpResponse<String> page = signedIn().get(authorize("web", "&response_mode=form_post"));
        assertThat(element(page.body(), "script")).isEqualTo("document.forms[0].submit();");
        assertThat(page.body()).contains("<form method=\"post\" action=\"" + APP + "\">", "<noscript>", "<button class=\"primary wide\" type=\"submit\">Continue</button>");
        assertThat(field(page, "state")).isEqualTo("st-1");
        assertThat(field(page, "code")).isNotBlank();
    }

    @Test
    void csrfCookieIsHostOnlyHttpOnlyStrictAndKeptAcrossPagesOfOneBrowser() {
        PageBrowser b = new PageBrowser(server);
        HttpResponse<String> first = b.get(authorize("web", ""));
        SetCookie cookie = SetCookie.only(first);
        assertThat(cookie.name()).isEqualTo(CSRF_COOKIE);
        assertThat(cookie.value()).matches("[A-Za-z0-9_-]{43}");
        assertThat(cookie.get("Path")).isEqualTo("/");
        assertThat(cookie.has("HttpOnly")).isTrue();
        assertThat(cookie.has("Secure")).isTrue();
        assertThat(cookie.get("SameSite")).isEqualTo("Strict");
        assertThat(cookie.has("Domain")).isFalse();
        assertThat(cookie.has("Max-Age")).isFalse();
        assertThat(first.body()).doesNotContain(cookie.value());

        HttpResponse<String> second = b.get(authorize("web", ""));
        assertThat(second.headers().allValues("Set-Cookie")).as("the browser's cookie is kept").isEmpty();
        assertThat(field(second, "csrf_token")).as("one token per page handle").isNotEqualTo(field(first, "csrf_token"));
    }

    /** A forged or misdirected POST of a page: made by {@code forge} from an honest browser that was shown a sign-in page. */
    record Forgery(String path, String form, Map<String, String> headers, PageBrowser from) {}

    interface Forger {
        Forgery forge(PageBrowser honest, HttpResponse<String> page);
    }

    static Stream<Arguments> forgeries() {
        String right = TestServer.PASSWORD;
        return Stream.of(
                Arguments.of("no cookie", "did not send back the cookie", (Forger) (b, page) -> new Forgery(HostedPages.LOGIN, pageFields(page) + credentials("alice", right), Map.of(),
                        new PageBrowser(server))),
                Arguments.of("a malformed cookie", "did not send back the cookie", (Forger) (b, page) -> new Forgery(HostedPages.LOGIN, pageFields(page) + credentials("alice", right),
                        Map.of(), withCsrfCookie("not-a-cookie"))),
                Arguments.of("a well-formed cookie of the attacker's choosing", "does not belong", (Forger) (b, page) -> new Forgery(HostedPages.LOGIN,
                        pageFields(page) + credentials("alice", right), Map.of(), withCsrfCookie("A".repeat(43)))),
                Arguments.of("no field", "missing its security token", (Forger) (b, page) -> new Forgery(HostedPages.LOGIN, "interaction=" + field(page, "interaction")
                        + credentials("alice", right), Map.of(), b)),
                Arguments.of("an empty field", "missing its security token", (Forger) (b, page) -> new Forgery(HostedPages.LOGIN, "interaction=" + field(page, "interaction")
                        + "&csrf_token=" + credentials("alice", right), Map.of(), b)),
                Arguments.of("the token of another page handle", "does not belong", (Forger) (b, page) -> {
                    HttpResponse<String> other = b.get(authorize("web", ""));
                    return new Forgery(HostedPages.LOGIN, "interaction=" + field(page, "interaction") + "&csrf_token=" + field(other, "csrf_token")
                            + credentials("alice", right), Map.of(), b);
                }),
                Arguments.of("the page of another browser", "does not belong", (Forger) (b, page) -> {
                    // The attacker's own page and token, posted by the victim's browser (which holds its own cookie).
                    PageBrowser attacker = new PageBrowser(server);
                    HttpResponse<String> attackers = attacker.get(authorize("web", ""));
                    return new Forgery(HostedPages.LOGIN, pageFields(attackers) + credentials("alice", right), Map.of(), b);
                }),
                Arguments.of("the token of another form", "does not belong", (Forger) (b, page) -> {
                    // A consent page's handle and token, posted to the sign-in form.
                    PageBrowser signedIn = signedIn();
                    HttpResponse<String> consent = signedIn.get(authorize("partner", ""));
                    return new Forgery(HostedPages.LOGIN, pageFields(consent) + credentials("alice", right), Map.of(), signedIn);
                }),
                Arguments.of("another site's Origin", "sent from another site", (Forger) (b, page) -> new Forgery(HostedPages.LOGIN, pageFields(page) + credentials("alice", right),
                        Map.of("Origin", "https://evil.example"), b)),
                Arguments.of("the issuer's host on another port", "sent from another site", (Forger) (b, page) -> new Forgery(HostedPages.LOGIN,
                        pageFields(page) + credentials("alice", right), Map.of("Origin", "http://localhost:8081"), b)),
                Arguments.of("a consent without its token", "missing its security token", (Forger) (b, page) -> {
                    PageBrowser signedIn = signedIn();
                    HttpResponse<String> consent = signedIn.get(authorize("partner", ""));
                    return new Forgery(HostedPages.CONSENT, "interaction=" + field(consent, "interaction") + "&decision=allow", Map.of(), signedIn);
                }));
    }

    private static PageBrowser withCsrfCookie(String value) {
        PageBrowser b = new PageBrowser(server);
        b.cookies.put(CSRF_COOKIE, value);
        return b;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forgeries")
    void formWhenTokenOrOriginIsWrongThen403PageBeforeAnythingHappens(String why, String says, Forger forger) {
        PageBrowser honest = new PageBrowser(server);
        HttpResponse<String> page = honest.get(authorize("web", ""));
        Forgery f = forger.forge(honest, page);
        HttpResponse<String> r = f.from().post(f.path(), f.form(), f.headers());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(r.headers().firstValue("Location")).as("never back to the client").isEmpty();
        assertThat(r.body()).contains("Sign-in cannot continue", "role=\"alert\"", says, "access_denied").doesNotContain(TestServer.PASSWORD);
        assertThat(r.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith(SSO_COOKIE));
        // Nothing was spent or started: the honest page still signs in, and the partner still has no consent.
        HttpResponse<String> honestPost = honest.post(HostedPages.LOGIN, pageFields(page) + credentials("alice", TestServer.PASSWORD));
        assertThat(honestPost.statusCode()).isEqualTo(303);
        assertThat(honestPost.headers().firstValue("Location").orElseThrow()).startsWith(APP + "?").contains("code=");
        assertThat(honest.get(authorize("partner", "&prompt=none")).headers().firstValue("Location").orElseThrow()).contains("error=consent_required");
    }

    static Stream<Arguments> acceptedOrigins() {
        return Stream.of(
                Arguments.of("none", Map.of()),
                Arguments.of("the issuer's", Map.of("Origin", "http://localhost:8080")),
                // What a browser sends for our own forms under Referrer-Policy: no-referrer.
                Arguments.of("opaque", Map.of("Origin", "null")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acceptedOrigins")
    void formWhenOriginIsOursOrNotToldThenTheTokenDecides(String why, Map<String, String> headers) {
        PageBrowser b = new PageBrowser(server);
        HttpResponse<String> page = b.get(authorize("web", ""));
        assertThat(b.post(HostedPages.LOGIN, pageFields(page) + credentials("alice", TestServer.PASSWORD), headers).statusCode()).isEqualTo(303);
    }

    @Test
    void formWhenFieldRepeatedOrBodyOversizedThenRefusedAsJsonAndTheServerKeepsServing() {
        PageBrowser b = new PageBrowser(server);
        HttpResponse<String> page = b.get(authorize("web", ""));
        HttpResponse<String> repeated = b.post(HostedPages.LOGIN, pageFields(page) + "&csrf_token=x" + credentials("alice", TestServer.PASSWORD));
        assertThat(repeated.statusCode()).isEqualTo(400);
        assertThat(repeated.body()).contains("\"error\":\"invalid_request\"");
        HttpResponse<String> huge = b.post(HostedPages.LOGIN, pageFields(page) + "&username=" + "a".repeat(20_000));
        assertThat(huge.statusCode()).isEqualTo(413);
        assertThat(b.post(HostedPages.LOGIN, pageFields(page) + credentials("alice", TestServer.PASSWORD)).statusCode()).isEqualTo(303);
    }

    @Test
    void consentWhenForgedThenNotRecordedAndWhenHonestThenRecorded() {
        PageBrowser b = signedIn();
        HttpResponse<String> consent = b.get(authorize("partner2", ""));
        PageBrowser attacker = new PageBrowser(server);
        attacker.cookies.put(SSO_COOKIE, b.cookies.get(SSO_COOKIE)); // the session, but not the page's cookie
        assertThat(attacker.post(HostedPages.CONSENT, pageFields(consent) + "&decision=allow").statusCode()).isEqualTo(403);
        assertThat(b.get(authorize("partner2", "&prompt=none")).headers().firstValue("Location").orElseThrow()).contains("error=consent_required");

        HttpResponse<String> allowed = b.post(HostedPages.CONSENT, pageFields(consent) + "&decision=allow");
        assertThat(allowed.headers().firstValue("Location").orElseThrow()).contains("code=");
        assertThat(b.get(authorize("partner2", "&prompt=none")).headers().firstValue("Location").orElseThrow()).contains("code=");
    }

    @Test
    void signInWhenPasswordWrongUserUnknownOrAccountDisabledThenOneMessageTiedToTheFields() {
        String wrong = alert(attempt("alice", "not the password"));
        String unknown = alert(attempt("nobody", "not the password"));
        String disabled = alert(attempt("carol", TestServer.PASSWORD));
        assertThat(wrong).isEqualTo("Wrong username or password.");
        assertThat(unknown).isEqualTo(wrong);
        assertThat(disabled).as("a disabled account is told nothing more, as /auth/login").isEqualTo(wrong);

        HttpResponse<String> page = attempt("alice", "not the password");
        assertThat(page.body()).contains("<p id=\"problem\" class=\"alert\" role=\"alert\">")
                .contains("aria-invalid=\"true\" aria-describedby=\"problem\"")
                .doesNotContain("not the password");
        assertThat(page.body()).as("the name typed stays").contains("value=\"alice\"");
    }

    private static HttpResponse<String> attempt(String username, String password) {
        PageBrowser b = new PageBrowser(server);
        HttpResponse<String> page = b.get(authorize("web", ""));
        HttpResponse<String> r = b.post(HostedPages.LOGIN, pageFields(page) + credentials(username, password));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(b.cookies).doesNotContainKey(SSO_COOKIE).as("a refused sign-in sets no device cookie").doesNotContainKey("__Host-rotor_device");
        return r;
    }

    private static String alert(HttpResponse<String> page) {
        Matcher m = Pattern.compile("role=\"alert\">([^<]*)<").matcher(page.body());
        assertThat(m.find()).as("an alert: " + page.body()).isTrue();
        return m.group(1);
    }

    @Test
    void signInPageLabelsItsFieldsForBrowsersAndPasswordManagers() {
        String body = new PageBrowser(server).get(authorize("web", "")).body();
        assertThat(body).contains("<label for=\"username\">Username</label>", "id=\"username\" name=\"username\" type=\"text\" autocomplete=\"username\"",
                "<label for=\"password\">Password</label>", "id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\"",
                "action=\"/oauth2/authorize/login\"", "to continue to <strong>web</strong>");
        assertThat(body).doesNotContain("role=\"alert\"", "aria-invalid=\"", "aria-describedby");
    }

    @Test
    void loginHintFillsTheUsernameEscaped() {
        String hinted = new PageBrowser(server).get(authorize("web", "&login_hint=" + enc("alice@example.test"))).body();
        assertThat(hinted).contains("value=\"alice@example.test\"");
        String hostile = new PageBrowser(server).get(authorize("web", "&login_hint=" + enc("\"><script>alert(1)</script>"))).body();
        assertThat(hostile).doesNotContain("<script>").contains("value=\"&#34;>&lt;script>alert(1)&lt;/script>\"");
    }

    @Test
    void consentPageNamesTheClientAndTheScopesInPlainWords() {
        String body = signedIn().get(authorize("partner", "")).body();
        assertThat(body).contains("<strong>partner</strong> wants to use your Rotor account", "Know who you are on Rotor",
                "See your name and username", "See your email address", "Stay connected to your account when you are not using the app",
                "name=\"decision\" value=\"allow\">Allow</button>", "name=\"decision\" value=\"deny\">Deny</button>",
                "action=\"/oauth2/authorize/consent\"", "Signed in as <strong>alice</strong>");
    }

    @Test
    void pageWhenOlderThanItsLifetimeThenExpiredAndNoWayBackToTheClient() {
        PageBrowser b = new PageBrowser(server);
        HttpResponse<String> page = b.get(authorize("web", ""));
        CLOCK.advance(Duration.ofMinutes(15).plusSeconds(1));
        HttpResponse<String> r = b.post(HostedPages.LOGIN, pageFields(page) + credentials("alice", TestServer.PASSWORD));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Location")).isEmpty();
        assertThat(r.body()).contains("<h1>This page has expired</h1>", "A sign-in page works for 15 minutes", "Start again from the app").doesNotContain(APP);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
