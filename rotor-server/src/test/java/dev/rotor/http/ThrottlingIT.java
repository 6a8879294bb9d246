package dev.rotor.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.config.Setting;
import dev.rotor.testing.Forms;
import dev.rotor.testing.Jsons;
import dev.rotor.testing.PageBrowser;
import dev.rotor.testing.SetCookie;
import dev.rotor.testing.TestClock;
import dev.rotor.testing.TestServer;
import dev.rotor.oauth.authorize.Pkce;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Brute-force throttling over real HTTP: the cookie login, the password grant and the hosted page answer a throttled
 * source with {@code 429 slow_down} and {@code Retry-After} (the page with a message) before any password is checked,
 * the same for an unknown user as for a real one, and a source's count does not touch another source. Addresses are
 * set through {@code X-Forwarded-For} from a trusted proxy (the tests connect from loopback).
 */
class ThrottlingIT {
    private static final String SPA = TestServer.SPA_ORIGIN;
    private static final Map<Setting, String> SETTINGS = Map.of(Setting.TRUSTED_PROXIES, "127.0.0.1/32", Setting.THROTTLE_SOURCE_FAILURES, "5",
            Setting.THROTTLE_ACCOUNT_FAILURES, "20");

    private final TestClock clock = new TestClock();
    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start(SETTINGS, clock);
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private static HttpResponse<String> login(TestServer on, String ip, String username, String password) {
        return on.send(HttpRequest.newBuilder(on.uri("/auth/login")).header("Origin", SPA).header("Content-Type", "application/json")
                .header("X-Forwarded-For", ip)
                .POST(HttpRequest.BodyPublishers.ofString("{\"client_id\":\"spa\",\"username\":\"" + username + "\",\"password\":\"" + password + "\"}")));
    }

    private HttpResponse<String> login(String ip, String username, String password) {
        return login(server, ip, username, password);
    }

    private HttpResponse<String> login(String ip, String username, String password, String cookie) {
        return server.send(HttpRequest.newBuilder(server.uri("/auth/login")).header("Origin", SPA).header("Content-Type", "application/json")
                .header("X-Forwarded-For", ip).header("Cookie", cookie)
                .POST(HttpRequest.BodyPublishers.ofString("{\"client_id\":\"spa\",\"username\":\"" + username + "\",\"password\":\"" + password + "\"}")));
    }

    private HttpResponse<String> passwordGrant(String ip, String username, String password) {
        return server.send(HttpRequest.newBuilder(server.uri("/oauth2/token")).header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Forwarded-For", ip).POST(HttpRequest.BodyPublishers.ofString(Forms.of("grant_type", "password", "client_id", "native",
                        "username", username, "password", password))));
    }

    private static void assertThrottled(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
        assertThat(Jsons.parse(r.body())).containsEntry("error", "slow_down").containsKey("error_description");
        assertThat(Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 15L * 60);
        assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(r.headers().allValues("Set-Cookie")).as("no session, no cookie").isEmpty();
    }

    @Test
    void aSourcePastItsFailuresIsRefusedWith429EvenWithTheRightPasswordUntilRetryAfter() {
        for (int i = 0; i < 5; i++) assertThat(login("198.51.100.7", "alice", "wrong password " + i).statusCode()).isEqualTo(401);
        assertThat(login("198.51.100.7", "alice", "wrong password 5").statusCode()).as("the sixth failure still checks, and counts").isEqualTo(401);

        HttpResponse<String> r = login("198.51.100.7", "alice", TestServer.PASSWORD);

        assertThrottled(r);
        assertThat(r.headers().firstValue("Retry-After")).contains("1");
        assertThat(login("203.0.113.50", "bob", TestServer.PASSWORD).statusCode()).as("another address signs in").isEqualTo(200);
        clock.advance(Duration.ofSeconds(1));
        assertThat(login("198.51.100.7", "alice", TestServer.PASSWORD).statusCode()).as("after Retry-After").isEqualTo(200);
    }

    @Test
    void theWaitDoublesWithEachFurtherFailure() {
        for (int i = 0; i < 6; i++) login("198.51.100.8", "alice", "wrong");
        clock.advance(Duration.ofSeconds(1));
        login("198.51.100.8", "alice", "wrong");

        assertThat(login("198.51.100.8", "alice", "wrong").headers().firstValue("Retry-After")).contains("2");
    }

    @Test
    void credentialStuffingManyAccountsFromOneAddressIsThrottled() {
        for (int i = 0; i < 6; i++) login("198.51.100.9", "user" + i + "@example.test", "Summer2026!");

        assertThrottled(login("198.51.100.9", "user7@example.test", "Summer2026!"));
        assertThrottled(login("198.51.100.9", "alice", TestServer.PASSWORD));
    }

    @Test
    void thePasswordGrantIsThrottledTheSameWay() {
        for (int i = 0; i < 6; i++) assertThat(passwordGrant("198.51.100.10", "alice", "wrong").statusCode()).isEqualTo(400);

        assertThrottled(passwordGrant("198.51.100.10", "alice", TestServer.PASSWORD));
    }

    @Test
    void anUnknownUserIsThrottledExactlyLikeARealOne() {
        for (int i = 0; i < 21; i++) {
            login("198.51.100." + (20 + i), "alice", "guess " + i);
            login("198.51.100." + (20 + i), "nobody-" + "x", "guess " + i);
        }

        HttpResponse<String> real = login("192.0.2.77", "alice", "guess");
        HttpResponse<String> unknown = login("192.0.2.78", "nobody-x", "guess");

        assertThrottled(real);
        assertThrottled(unknown);
        assertThat(real.body()).isEqualTo(unknown.body());
        assertThat(real.headers().firstValue("Retry-After")).isEqualTo(unknown.headers().firstValue("Retry-After"));
    }

    @Test
    void anAccountSprayedFromManyAddressesMakesNewAddressesWait() {
        for (int i = 0; i < 21; i++) login("198.51.100." + (100 + i), "alice", "Winter2026!" + i);

        assertThrottled(login("192.0.2.200", "alice", TestServer.PASSWORD));
        assertThat(login("192.0.2.200", "bob", TestServer.PASSWORD).statusCode()).as("other accounts are untouched").isEqualTo(200);
    }

    @Test
    void theHostedPageSaysToWaitAndStartsNoSession() {
        server.rotor().clientStore().add(new dev.rotor.oauth.Client("web", dev.rotor.oauth.Client.Type.PUBLIC, null, java.util.List.of(
                "https://app.example.test/cb"), new java.util.LinkedHashSet<>(java.util.Set.of("authorization_code")), java.util.Set.of(), true, "openid",
                java.time.Instant.now(), java.util.Set.of()));
        PageBrowser b = new PageBrowser(server);
        String authorize = "/oauth2/authorize?response_type=code&client_id=web&redirect_uri=" + Forms.encode("https://app.example.test/cb")
                + "&scope=openid&code_challenge=" + Pkce.s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") + "&code_challenge_method=S256";
        for (int i = 0; i < 6; i++) login("127.0.0.1", "alice", "wrong " + i); // the page's requests come from the proxy itself

        HttpResponse<String> page = b.get(authorize);
        HttpResponse<String> r = b.post("/oauth2/authorize/login", PageBrowser.pageFields(page) + "&username=alice&password="
                + Forms.encode(TestServer.PASSWORD));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("Too many failed sign-ins. Wait a few minutes, then try again.");
        assertThat(b.cookies).doesNotContainKey("__Secure-rotor_sso");
    }

    @Test
    void twoServersOnOneDatabaseShareTheCounts() {
        try (TestServer a = TestServer.startOnPostgres(SETTINGS, clock); TestServer b = TestServer.node(a, SETTINGS, clock)) {
            String ip = "198.51.100.33";
            for (int i = 0; i < 3; i++) login(a, ip, "alice", "wrong " + i);
            for (int i = 0; i < 3; i++) login(b, ip, "alice", "wrong " + i);

            assertThrottled(login(a, ip, "alice", TestServer.PASSWORD));
            assertThrottled(login(b, ip, "alice", TestServer.PASSWORD));
            assertThat(login(b, "203.0.113.9", "alice", TestServer.PASSWORD).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aSourceThatSignsInRightStartsAfresh() {
        for (int i = 0; i < 5; i++) login("198.51.100.44", "alice", "wrong " + i);
        HttpResponse<String> right = login("198.51.100.44", "alice", TestServer.PASSWORD);
        assertThat(right.statusCode()).isEqualTo(200);
        // A browser keeps its device cookie: the risk engine then knows the device, and the account's failures are not
        // held against it (a client without cookies is a new device each time, and is asked to step up).
        String device = SetCookie.device(right).asCookieHeader();

        for (int i = 0; i < 5; i++) assertThat(login("198.51.100.44", "alice", "wrong again " + i, device).statusCode()).isEqualTo(401);
        assertThat(login("198.51.100.44", "alice", TestServer.PASSWORD, device).statusCode()).isEqualTo(200);
    }
}
