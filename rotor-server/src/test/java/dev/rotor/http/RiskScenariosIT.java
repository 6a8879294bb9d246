package dev.rotor.http;

import static dev.rotor.risk.source.TestGeo.BERLIN_HOME;
import static dev.rotor.risk.source.TestGeo.BERLIN_HOME_OTHER_NET;
import static dev.rotor.risk.source.TestGeo.LISBON_HOME;
import static dev.rotor.risk.source.TestGeo.MUNICH_MOBILE;
import static dev.rotor.risk.source.TestGeo.NEW_YORK_V6;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import dev.rotor.audit.AuditEvent;
import dev.rotor.audit.RequestInfo;
import dev.rotor.config.Setting;
import dev.rotor.mfa.Totp;
import dev.rotor.mfa.TotpEnrolment;
import dev.rotor.risk.source.TestGeo;
import dev.rotor.session.RefreshTokenFamily;
import dev.rotor.testing.Forms;
import dev.rotor.testing.Jsons;
import dev.rotor.testing.SetCookie;
import dev.rotor.testing.TestClock;
import dev.rotor.testing.TestServer;
import dev.rotor.testing.WebhookReceiver;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.commons.codec.binary.Base32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The risk engine end to end, over real HTTP: a real server with a GeoIP database the tests write ({@link TestGeo}), a
 * deny list, and client addresses set through {@code X-Forwarded-For} from a trusted proxy (loopback). Each browser
 * keeps its own cookies (the device cookie and the refresh cookie) as a browser would. The policy is the default one,
 * except that a known device with nothing new is trusted to skip the second factor, so that what the risk engine
 * asks for is visible apart from what an enrolled second factor asks for. The decisions that matter reach a webhook on
 * loopback as signed security notices.
 */
class RiskScenariosIT {
    private static final String SPA = TestServer.SPA_ORIGIN;
    private static final String FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
    private static final String CHROME_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    private static final String SAFARI_IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";
    private static final String DENIED_NETWORK = "10.66.0.0/16";
    private static final TestClock CLOCK = new TestClock();
    private static final String WEBHOOK_SECRET = "risk-scenarios-webhook-secret-0123456789";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final WebhookReceiver RECEIVER = new WebhookReceiver();

    @TempDir
    static Path dir;
    private static TestServer server;

    @BeforeAll
    static void start() throws IOException {
        Path deny = Files.writeString(dir.resolve("deny.txt"), "# abuse seen from here\n" + DENIED_NETWORK + "\n");
        server = TestServer.start(Map.of(Setting.TRUSTED_PROXIES, "127.0.0.1/32", Setting.GEOIP_DB, TestGeo.write(dir.resolve("geo.mmdb")).toString(),
                Setting.DENY_IPS, deny.toString(), Setting.RISK_TRUST_KNOWN_DEVICES, "true", Setting.THROTTLE_SOURCE_FAILURES, "5",
                Setting.THROTTLE_ACCOUNT_FAILURES, "8", Setting.NOTIFY_WEBHOOK_URL, RECEIVER.url(), Setting.NOTIFY_WEBHOOK_SECRET, WEBHOOK_SECRET),
                CLOCK);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        RECEIVER.close();
    }

    /** The signed security notice of {@code type} about {@code u} that reached the webhook. */
    private static WebhookReceiver.Post told(User u, String type) {
        WebhookReceiver.Post post = RECEIVER.await(p -> type.equals(p.json().get("type")) && u.id().equals(p.json().get("user_id")), WAIT);
        // Signed at the server's time, which these tests move on by days: the timestamp window is not what is tested here.
        assertThat(WebhookReceiver.verifies(post, WEBHOOK_SECRET, CLOCK.instant(), Duration.ofDays(365))).as("signed").isTrue();
        return post;
    }

    /** A browser: its own cookie jar, address and User-Agent. */
    private static final class Browser {
        final String userAgent;
        String ip;
        final Map<String, String> cookies = new LinkedHashMap<>();

        Browser(String ip, String userAgent) {
            this.ip = ip;
            this.userAgent = userAgent;
        }

        HttpResponse<String> post(String path, String json) {
            HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path)).header("Origin", SPA).header("Content-Type", "application/json")
                    .header("X-Forwarded-For", ip).header("User-Agent", userAgent).POST(HttpRequest.BodyPublishers.ofString(json));
            return send(b);
        }

        HttpResponse<String> get(String path, String accessToken) {
            return send(HttpRequest.newBuilder(server.uri(path)).header("Origin", SPA).header("X-Forwarded-For", ip).header("User-Agent", userAgent)
                    .header("Authorization", "Bearer " + accessToken).GET());
        }

        private HttpResponse<String> send(HttpRequest.Builder b) {
            if (!cookies.isEmpty()) {
                b.header("Cookie", String.join("; ", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
            }
            HttpResponse<String> r = server.send(b);
            for (String header : r.headers().allValues("Set-Cookie")) {
                SetCookie c = SetCookie.parse(header);
                if (c.has("Max-Age") && c.maxAge() == 0) cookies.remove(c.name());
                else cookies.put(c.name(), c.value());
            }
            return r;
        }

        HttpResponse<String> login(String username) {
            return post("/auth/login", "{\"client_id\":\"spa\",\"username\":\"" + username + "\",\"password\":\"" + TestServer.PASSWORD + "\"}");
        }

        HttpResponse<String> mfa(String mfaToken, String code) {
            return post("/auth/mfa", "{\"mfa_token\":\"" + mfaToken + "\",\"code\":\"" + code + "\"}");
        }

        HttpResponse<String> refresh() {
            return post("/auth/refresh", "");
        }

        /** A copy of this browser's cookies in another browser, elsewhere: what a stolen cookie jar is. */
        Browser stolenBy(String ip, String userAgent) {
            Browser thief = new Browser(ip, userAgent);
            thief.cookies.putAll(cookies);
            return thief;
        }
    }

    /** A user of their own; with {@code totp}, a confirmed TOTP whose key the test keeps. */
    private record User(String name, String id, byte[] key) {
        String code() {
            return Totp.USERS.code(key, Totp.USERS.step(CLOCK.instant()));
        }
    }

    private static User user(boolean totp) {
        String name = "u-" + UUID.randomUUID().toString().substring(0, 8);
        String id = server.rotor().accounts().register(name, null, null, TestServer.PASSWORD).id();
        if (!totp) return new User(name, id, null);
        TotpEnrolment e = server.rotor().totpFactors().enroll(id, CLOCK.instant(), RequestInfo.NONE);
        byte[] key = new Base32().decode(e.secret());
        server.rotor().totpFactors().confirm(id, Totp.USERS.code(key, Totp.USERS.step(CLOCK.instant())), CLOCK.instant(), RequestInfo.NONE);
        CLOCK.advance(Duration.ofSeconds(30)); // the confirming code's step is spent
        return new User(name, id, key);
    }

    /** Signs {@code u} in on {@code b}, with the code when one is asked; the access token. */
    private static String signedIn(Browser b, User u) {
        HttpResponse<String> r = b.login(u.name());
        if (r.statusCode() == 401 && "mfa_required".equals(Jsons.parse(r.body()).get("error"))) {
            r = b.mfa((String) Jsons.parse(r.body()).get("mfa_token"), u.code());
            CLOCK.advance(Duration.ofSeconds(30));
        }
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return (String) Jsons.parse(r.body()).get("access_token");
    }

    private static Map<String, Object> claims(HttpResponse<String> r) throws Exception {
        return SignedJWT.parse((String) Jsons.parse(r.body()).get("access_token")).getJWTClaimsSet().getClaims();
    }

    private static List<AuditEvent> audited(User u, String type) {
        return server.rotor().audit().tail(500).stream().filter(e -> u.id().equals(e.userId()) && e.type().equals(type)).toList();
    }

    private static void assertError(HttpResponse<String> r, int status, String error) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(Jsons.parse(r.body())).containsEntry("error", error).containsKey("error_description");
    }

    @Test
    void aKnownDeviceOnAKnownNetworkIsLetInWithoutBeingAsked() {
        User u = user(true);
        Browser laptop = new Browser(BERLIN_HOME, FIREFOX_LINUX);
        signedIn(laptop, u);
        CLOCK.advance(Duration.ofHours(2));

        HttpResponse<String> again = laptop.login(u.name());

        assertThat(again.statusCode()).as("trusted: the same device, network and country").isEqualTo(200);
        assertThat(audited(u, "login.allowed")).last().satisfies(e -> assertThat(e.detail()).containsEntry("risk_score", "0"));
    }

    @Test
    void aNewDeviceFromANewCountryStepsUpAndTotpFinishesWithOtpInAmrAndTheSessionListSaysSo() throws Exception {
        User u = user(true);
        signedIn(new Browser(BERLIN_HOME, FIREFOX_LINUX), u);
        CLOCK.advance(Duration.ofDays(2));
        Browser phone = new Browser(LISBON_HOME, SAFARI_IPHONE);

        HttpResponse<String> held = phone.login(u.name());

        assertError(held, 401, "mfa_required");
        assertThat(Jsons.parse(held.body())).containsEntry("mfa_methods", List.of("totp", "recovery_code"));
        assertThat(phone.cookies).as("no session before the code").doesNotContainKey("__Secure-rotor_rt");
        assertThat(audited(u, "login.step_up")).last().satisfies(e -> {
            assertThat(e.detail()).containsEntry("reason", "risk").containsEntry("risk_decision", "step_up").containsEntry("risk_score", "60");
            assertThat(e.detail().get("risk_reasons")).contains("new_device(+20): new device in Lisbon").contains("new_country(+30): new country: PT (last: DE)")
                    .contains("new_network(+10)");
        });

        HttpResponse<String> done = phone.mfa((String) Jsons.parse(held.body()).get("mfa_token"), u.code());

        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        assertThat(claims(done)).containsEntry("amr", List.of("pwd", "otp", "mfa")).containsEntry("acr", "2");
        HttpResponse<String> list = phone.get("/auth/sessions", (String) Jsons.parse(done.body()).get("access_token"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> sessions = (List<Map<String, Object>>) Jsons.parse(list.body()).get("sessions");
        assertThat(sessions).filteredOn(s -> Boolean.TRUE.equals(s.get("current"))).singleElement().satisfies(s -> {
            assertThat(s.get("sign_in")).asString().startsWith("new device in Lisbon").endsWith("verified with TOTP");
            assertThat(s.get("place")).isEqualTo("Lisbon, PT");
            assertThat(s.get("device")).isEqualTo("Safari on iOS");
        });
        assertThat(audited(u, "login.new_device")).singleElement().satisfies(e ->
                assertThat(e.detail()).containsEntry("place", "Lisbon").containsEntry("verified", "totp"));
        assertThat(told(u, "login.new_device").text()).contains("Lisbon").doesNotContain(phone.cookies.get("__Host-rotor_device"));
        told(u, "login.step_up");
        CLOCK.advance(Duration.ofMinutes(5));
        assertThat(phone.login(u.name()).statusCode()).as("the phone is known now").isEqualTo(200);
    }

    @Test
    void aUserWithoutASecondFactorWhomThePolicyWouldAskIsDeniedNotLetThrough() {
        User u = user(false);
        signedIn(new Browser(BERLIN_HOME, FIREFOX_LINUX), u);
        CLOCK.advance(Duration.ofDays(2));

        HttpResponse<String> r = new Browser(LISBON_HOME, SAFARI_IPHONE).login(u.name());

        assertError(r, 403, "access_denied");
        assertThat(r.body()).doesNotContain("Lisbon").doesNotContain("risk");
        assertThat(audited(u, "login.denied")).singleElement().satisfies(e -> assertThat(e.detail().get("risk_reasons"))
                .contains("no_second_factor(+0)"));
        assertThat(audited(u, "session.created")).as("nothing started").hasSize(1);
    }

    @Test
    void impossibleTravelIsDeniedEvenWithTheRightPasswordOnAKnownDevice() {
        User u = user(true);
        Browser laptop = new Browser(BERLIN_HOME, FIREFOX_LINUX);
        signedIn(laptop, u);
        CLOCK.advance(Duration.ofMinutes(40));
        laptop.ip = NEW_YORK_V6; // 6,400 km in 40 minutes

        HttpResponse<String> r = laptop.login(u.name());

        assertError(r, 403, "access_denied");
        assertThat(audited(u, "login.denied")).singleElement().satisfies(e -> {
            assertThat(e.detail()).containsEntry("risk_decision", "deny");
            assertThat(e.detail().get("risk_reasons")).contains("impossible_travel(+80)").contains("from Berlin");
        });
        assertThat(told(u, "login.denied").text()).contains("impossible_travel");
        assertThat(r.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("__Secure-rotor_rt="));
    }

    @Test
    void aDenyListedIpIsDeniedWhateverThePasswordAndNothingSaysWhetherTheAccountExists() {
        User u = user(false);
        Browser b = new Browser("10.66.3.4", FIREFOX_LINUX);

        HttpResponse<String> right = b.login(u.name());
        HttpResponse<String> wrong = b.post("/auth/login", "{\"client_id\":\"spa\",\"username\":\"" + u.name() + "\",\"password\":\"not it\"}");
        HttpResponse<String> nobody = b.post("/auth/login", "{\"client_id\":\"spa\",\"username\":\"nobody-here\",\"password\":\"x\"}");

        for (HttpResponse<String> r : List.of(right, wrong, nobody)) assertError(r, 403, "access_denied");
        assertThat(right.body()).isEqualTo(wrong.body()).isEqualTo(nobody.body());
        assertThat(server.rotor().audit().tail(20)).filteredOn(e -> e.type().equals("login.denied") && "10.66.3.4".equals(e.request().ip()))
                .hasSize(3).allSatisfy(e -> assertThat(e.detail().get("risk_reasons")).contains("deny_listed_ip").contains(DENIED_NETWORK));
        HttpResponse<String> grant = server.send(HttpRequest.newBuilder(server.uri("/oauth2/token")).header("X-Forwarded-For", "10.66.9.9")
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(Forms.of("grant_type", "password",
                        "client_id", "native", "username", u.name(), "password", TestServer.PASSWORD))));
        assertError(grant, 403, "access_denied");
    }

    @Test
    void credentialStuffingFromOneAddressIsThrottledWithRetryAfter() {
        Browser bot = new Browser("203.0.113.200", "python-requests/2.32");
        for (int i = 0; i < 6; i++) {
            bot.post("/auth/login", "{\"client_id\":\"spa\",\"username\":\"victim" + i + "\",\"password\":\"Summer2026!\"}");
        }

        HttpResponse<String> r = bot.post("/auth/login", "{\"client_id\":\"spa\",\"username\":\"victim9\",\"password\":\"Summer2026!\"}");

        assertError(r, 429, "slow_down");
        assertThat(Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow())).isPositive();
    }

    @Test
    void sprayingOneAccountFromManyAddressesThrottlesNewDevicesWhileItsOwnerOnAKnownDeviceStillGetsIn() {
        User u = user(false);
        Browser laptop = new Browser(BERLIN_HOME, FIREFOX_LINUX);
        signedIn(laptop, u);
        for (int i = 0; i < 10; i++) {
            new Browser("198.51.100." + (100 + i), CHROME_WINDOWS).post("/auth/login",
                    "{\"client_id\":\"spa\",\"username\":\"" + u.name() + "\",\"password\":\"guess " + i + "\"}");
        }

        HttpResponse<String> sprayer = new Browser("198.51.100.150", CHROME_WINDOWS).login(u.name());
        HttpResponse<String> owner = laptop.login(u.name());

        assertError(sprayer, 429, "slow_down");
        assertThat(owner.statusCode()).as("the owner's laptop: %s", owner.body()).isEqualTo(200);
        assertThat(audited(u, "login.allowed")).last().satisfies(e -> assertThat(e.detail().get("risk_reasons"))
                .as("the sprayer's failures do not count against the owner's device").doesNotContain("account_failures"));
    }

    @Test
    void aStolenRefreshCookieUsedFromAnotherCountryAndBrowserIsDeniedAndTheSessionRevoked() {
        User u = user(true);
        Browser laptop = new Browser(BERLIN_HOME, FIREFOX_LINUX);
        signedIn(laptop, u);
        Browser thief = laptop.stolenBy(LISBON_HOME, CHROME_WINDOWS);
        String refreshToken = thief.cookies.get("__Secure-rotor_rt");

        HttpResponse<String> stolen = thief.refresh();

        assertError(stolen, 401, "invalid_grant");
        assertThat(audited(u, "refresh.denied")).singleElement().satisfies(e -> assertThat(e.detail().get("risk_reasons"))
                .contains("refresh_country(+40)").contains("refresh_user_agent(+30)"));
        assertError(laptop.refresh(), 401, "invalid_grant");
        assertThat(audited(u, "session.revoked")).singleElement().satisfies(e -> assertThat(e.detail()).containsEntry("reason", "risk_denied"));
        assertThat(told(u, "refresh.denied").text()).doesNotContain(refreshToken);
    }

    @Test
    void aRefreshCookieMovedIntoAnotherBrowserOnTheSameNetworkStepsUpBecauseItsDeviceIsNotTheSessions() {
        User u = user(true);
        Browser laptop = new Browser(BERLIN_HOME, FIREFOX_LINUX);
        signedIn(laptop, u);
        // Someone else's browser on the same home network, with a device cookie of its own, and the laptop's refresh cookie.
        Browser other = new Browser(BERLIN_HOME, FIREFOX_LINUX);
        signedIn(other, user(false));
        other.cookies.put("__Secure-rotor_rt", laptop.cookies.get("__Secure-rotor_rt"));

        HttpResponse<String> r = other.refresh();

        assertError(r, 401, "mfa_required");
        assertThat(audited(u, "refresh.step_up")).singleElement().satisfies(e -> assertThat(e.detail().get("risk_reasons"))
                .isEqualTo("refresh_device(+40): another device than the session's"));
        assertThat(laptop.refresh().statusCode()).as("the laptop itself refreshes as before").isEqualTo(200);
    }

    @Test
    void aRefreshFromAnotherCountryInTheSameBrowserStepsUpAndTheCodeFinishesIt() throws Exception {
        User u = user(true);
        Browser laptop = new Browser(BERLIN_HOME, FIREFOX_LINUX);
        signedIn(laptop, u);
        CLOCK.advance(Duration.ofHours(1));
        HttpResponse<String> trusted = laptop.login(u.name());
        assertThat(claims(trusted)).as("a known device with nothing new: the password alone").containsEntry("amr", List.of("pwd"));
        laptop.ip = LISBON_HOME; // the same laptop, travelling

        HttpResponse<String> held = laptop.refresh();

        assertError(held, 401, "mfa_required");
        assertThat(laptop.cookies).as("the refresh cookie is kept for the step-up").containsKey("__Secure-rotor_rt");
        String mfaToken = (String) Jsons.parse(held.body()).get("mfa_token");
        assertError(new Browser(LISBON_HOME, FIREFOX_LINUX).mfa(mfaToken, u.code()), 400, "invalid_grant"); // the token without the cookie
        HttpResponse<String> done = laptop.mfa(mfaToken, u.code());
        CLOCK.advance(Duration.ofSeconds(30));

        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        assertThat(claims(done)).containsEntry("amr", List.of("pwd", "otp", "mfa")).containsEntry("acr", "2");
        assertThat(laptop.refresh().statusCode()).as("Lisbon is the session's last place now").isEqualTo(200);
        assertThat(audited(u, "refresh.step_up")).singleElement().satisfies(e -> assertThat(e.detail().get("risk_reasons"))
                .contains("refresh_country(+40)"));
        assertThat(told(u, "refresh.step_up").text()).doesNotContain((String) Jsons.parse(held.body()).get("mfa_token"));
    }

    @Test
    void aPhoneMovingFromWifiToItsMobileNetworkInsideOneCountryKeepsRefreshing() {
        User u = user(false);
        Browser phone = new Browser(BERLIN_HOME, SAFARI_IPHONE);
        signedIn(phone, u);

        phone.ip = MUNICH_MOBILE; // another network, another autonomous system, the same country
        HttpResponse<String> mobile = phone.refresh();
        phone.ip = BERLIN_HOME_OTHER_NET;
        HttpResponse<String> back = phone.refresh();

        assertThat(mobile.statusCode()).as(mobile.body()).isEqualTo(200);
        assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
        assertThat(audited(u, "refresh.allowed")).as("a network change is scored and audited, and let through")
                .allSatisfy(e -> assertThat(e.detail()).containsEntry("risk_decision", "allow")).isNotEmpty();
        assertThat(audited(u, "refresh.step_up")).isEmpty();
    }

    @Test
    void theTokenEndpointHoldsARefreshFromAnotherCountryUntilTheMfaGrantFinishesItWithTheSameRefreshToken() {
        User u = user(true);
        String login = Forms.of("grant_type", "password", "client_id", "native", "username", u.name(), "password", TestServer.PASSWORD,
                "device_id", "install-" + UUID.randomUUID());
        HttpResponse<String> held = grant(BERLIN_HOME, login);
        assertError(held, 403, "mfa_required");
        HttpResponse<String> first = grant(BERLIN_HOME, Forms.of("grant_type", "urn:rotor:params:oauth:grant-type:mfa-otp", "client_id", "native",
                "mfa_token", (String) Jsons.parse(held.body()).get("mfa_token"), "otp", u.code()));
        CLOCK.advance(Duration.ofSeconds(30));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        String refreshToken = (String) Jsons.parse(first.body()).get("refresh_token");

        HttpResponse<String> abroad = grant(LISBON_HOME, Forms.of("grant_type", "refresh_token", "client_id", "native", "refresh_token", refreshToken));

        assertError(abroad, 403, "mfa_required");
        String mfaToken = (String) Jsons.parse(abroad.body()).get("mfa_token");
        HttpResponse<String> withoutToken = grant(LISBON_HOME, Forms.of("grant_type", "urn:rotor:params:oauth:grant-type:mfa-otp", "client_id",
                "native", "mfa_token", mfaToken, "otp", u.code()));
        assertError(withoutToken, 400, "invalid_request");
        HttpResponse<String> otherClient = grant(LISBON_HOME, Forms.of("grant_type", "urn:rotor:params:oauth:grant-type:mfa-otp", "client_id",
                "other-native", "mfa_token", mfaToken, "otp", u.code(), "refresh_token", refreshToken));
        assertError(otherClient, 400, "invalid_grant");
        String otherSession = server.rotor().sessions().start(u.id(), "native", "openid", List.of("pwd"), "1",
                RefreshTokenFamily.Channel.TOKEN_ENDPOINT, new RequestInfo(LISBON_HOME, "RotorDemo/1.0 okhttp/4.12")).refreshToken();
        HttpResponse<String> wrongSession = grant(LISBON_HOME, Forms.of("grant_type", "urn:rotor:params:oauth:grant-type:mfa-otp", "client_id",
                "native", "mfa_token", mfaToken, "otp", u.code(), "refresh_token", otherSession));
        assertError(wrongSession, 400, "invalid_grant");
        assertThat(server.rotor().sessions().findByToken(otherSession).orElseThrow().generation()).as("not rotated").isZero();
        HttpResponse<String> done = grant(LISBON_HOME, Forms.of("grant_type", "urn:rotor:params:oauth:grant-type:mfa-otp", "client_id", "native",
                "mfa_token", mfaToken, "otp", u.code(), "refresh_token", refreshToken));
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        assertThat(Jsons.parse(done.body()).get("refresh_token")).as("rotated").isNotEqualTo(refreshToken);
        CLOCK.advance(Duration.ofSeconds(30));
    }

    private static HttpResponse<String> grant(String ip, String form) {
        return server.send(HttpRequest.newBuilder(server.uri("/oauth2/token")).header("X-Forwarded-For", ip).header("User-Agent", "RotorDemo/1.0 okhttp/4.12")
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)));
    }
}
