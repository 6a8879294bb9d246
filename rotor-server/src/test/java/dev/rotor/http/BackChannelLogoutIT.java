package dev.rotor.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.rotor.outbox.OutboxDeliverer;
import dev.rotor.audit.AuditEvent;
import dev.rotor.audit.RequestInfo;
import dev.rotor.oauth.Client;
import dev.rotor.testing.Forms;
import dev.rotor.testing.LogoutReceiver;
import dev.rotor.testing.LogoutTokenCheck;
import dev.rotor.testing.OidcSignIn;
import dev.rotor.testing.OidcSignIn.Tokens;
import dev.rotor.testing.PageBrowser;
import dev.rotor.testing.TestClock;
import dev.rotor.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * OpenID Connect Back-Channel Logout over real HTTP, with the clients' {@code backchannel_logout_uri} on a loopback
 * receiver: every way a session ends (RP-initiated logout, revocation, reuse detection, disabling the user) sends each
 * client that took part one logout token, which a client's OIDC library accepts; a receiver that hangs or fails
 * slows nothing and is tried again.
 */
class BackChannelLogoutIT {
    private static final TestClock CLOCK = new TestClock();
    private static final String APP = "https://app.example.test/callback";
    private static final String ISSUER = "http://localhost:8080";
    private static final String SCOPE = "openid profile offline_access";
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Longer than several polls and retries of the deliverer below: what has not come by then is not coming. */
    private static final Duration QUIET = Duration.ofMillis(1500);
    private static final OutboxDeliverer.Settings FAST = new OutboxDeliverer.Settings(Duration.ofMillis(200), Duration.ofSeconds(1),
            Duration.ofMinutes(1), Duration.ofMillis(50), Duration.ofSeconds(3), 8);
    private static final LogoutReceiver RECEIVER = new LogoutReceiver();
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of(), CLOCK, FAST);
        client("web", RECEIVER.uri("/bc/web"));
        client("web2", RECEIVER.uri("/bc/web2"));
        client("quiet", null);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        RECEIVER.close();
    }

    private String user;

    @org.junit.jupiter.api.BeforeEach
    void aUserOfItsOwn() {
        user = "user-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        server.rotor().accounts().register(user, user + "@example.test", "User", TestServer.PASSWORD);
    }

    private Tokens signIn(PageBrowser b, String client, String scope) {
        return OidcSignIn.signIn(server, b, client, APP, scope, user);
    }

    private String userId() {
        return server.rotor().users().findByUsername(user).orElseThrow().id();
    }

    @AfterEach
    void drained() {
        RECEIVER.release();
        RECEIVER.expectNothing(QUIET);
    }

    private static void client(String id, String backchannel) {
        server.rotor().clientStore().add(new Client(id, Client.Type.PUBLIC, null, List.of(APP), new LinkedHashSet<>(Set.of("authorization_code",
                "refresh_token")), Set.of(), true, SCOPE, Instant.now(), Set.of(), List.of("https://app.example.test/bye"), backchannel, false,
                null, null));
    }

    /** The logout tokens of the next {@code n} POSTs, each checked as a client checks it, by client. */
    private static Map<String, JWTClaimsSet> next(int n) {
        Map<String, JWTClaimsSet> byClient = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            LogoutReceiver.Received r = RECEIVER.next(WAIT);
            assertThat(r.contentType()).isEqualTo("application/x-www-form-urlencoded");
            String client = audience(r.logoutToken());
            JWTClaimsSet claims = LogoutTokenCheck.verified(r.logoutToken(), ISSUER, client, server.rotor().keys().jwksJson(), "ES256");
            assertThat(byClient.put(client, claims)).as("one token per client").isNull();
        }
        return byClient;
    }

    private static String audience(String token) {
        try {
            return com.nimbusds.jwt.SignedJWT.parse(token).getJWTClaimsSet().getAudience().getFirst();
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }

    private static HttpResponse<String> refresh(String client, String token) {
        return server.token(Forms.of("grant_type", "refresh_token", "client_id", client, "refresh_token", token));
    }

    private static List<AuditEvent> events(String type) {
        return server.rotor().audit().tail(500).stream().filter(e -> e.type().equals(type)).toList();
    }

    @Test
    void rpInitiatedLogoutTellsEveryClientOfTheSessionOnceWithItsSid() {
        PageBrowser b = new PageBrowser(server);
        Tokens web = signIn(b, "web", SCOPE);
        Tokens web2 = signIn(b, "web2", SCOPE);
        Tokens quiet = signIn(b, "quiet", SCOPE);
        Tokens webAgain = signIn(b, "web", SCOPE);

        HttpResponse<String> r = b.get("/oauth2/logout?" + Forms.of("id_token_hint", web.idToken()));
        assertThat(r.statusCode()).isEqualTo(200);

        Map<String, JWTClaimsSet> tokens = next(2);
        assertThat(tokens.keySet()).as("web once for its two families; quiet registered no URI").containsExactlyInAnyOrder("web", "web2");
        for (JWTClaimsSet t : tokens.values()) {
            assertThat(t.getClaim("sid")).isEqualTo(web.sid());
            assertThat(t.getSubject()).isEqualTo(web.subject());
        }
        assertThat(tokens.get("web").getJWTID()).isNotEqualTo(tokens.get("web2").getJWTID());
        for (Tokens t : List.of(web, webAgain)) assertThat(refresh("web", t.refreshToken()).statusCode()).isEqualTo(400);
        assertThat(refresh("web2", web2.refreshToken()).statusCode()).isEqualTo(400);
        assertThat(refresh("quiet", quiet.refreshToken()).statusCode()).as("ended too, just not told").isEqualTo(400);
    }

    @Test
    void aLogoutTokenIsNoIdTokenHint() {
        PageBrowser b = new PageBrowser(server);
        Tokens web = signIn(b, "web", SCOPE);
        server.rotor().signOut().endAllForUser(userId(), "test", RequestInfo.NONE);
        String logoutToken = RECEIVER.next(WAIT).logoutToken();
        assertThat(web.idToken()).isNotEqualTo(logoutToken);

        HttpResponse<String> r = new PageBrowser(server).get("/oauth2/logout?" + Forms.of("id_token_hint", logoutToken));

        assertThat(r.statusCode()).as("typed logout+jwt, not JWT").isEqualTo(400);
    }

    @Test
    void revokingARefreshTokenTellsItsClient() {
        Tokens web = signIn(new PageBrowser(server), "web", SCOPE);

        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("/oauth2/revoke")).header("Content-Type",
                "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(Forms.of("token", web.refreshToken(), "client_id", "web"))));
        assertThat(r.statusCode()).isEqualTo(200);

        assertThat(next(1)).containsOnlyKeys("web").allSatisfy((client, t) -> assertThat(t.getClaim("sid")).isEqualTo(web.sid()));
    }

    @Test
    void reuseDetectionTellsTheClientWhoseFamilyEnded() {
        Tokens web = signIn(new PageBrowser(server), "web", SCOPE);
        String successor = (String) dev.rotor.testing.Jsons.parse(refresh("web", web.refreshToken()).body()).get("refresh_token");
        assertThat(refresh("web", successor).statusCode()).as("the successor presented: the first token is spent for good").isEqualTo(200);

        HttpResponse<String> replay = refresh("web", web.refreshToken());

        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(next(1)).containsOnlyKeys("web").allSatisfy((client, t) -> assertThat(t.getClaim("sid")).isEqualTo(web.sid()));
    }

    @Test
    void disablingTheUserTellsEveryClientEvenOneWhoseShortFamilyIsOver() {
        PageBrowser b = new PageBrowser(server);
        Tokens web = signIn(b, "web", SCOPE);
        Tokens web2 = signIn(b, "web2", "openid profile"); // no refresh token: a family as long as its access token
        assertThat(web2.refreshToken()).isNull();
        CLOCK.advance(Duration.ofHours(1));

        server.rotor().signOut().endAllForUser(userId(), "user_disabled", RequestInfo.NONE);

        Map<String, JWTClaimsSet> tokens = next(2);
        assertThat(tokens.keySet()).containsExactlyInAnyOrder("web", "web2");
        assertThat(tokens.get("web2").getClaim("sid")).as("its own session at the app may well outlive the family").isEqualTo(web.sid());
        assertThat(refresh("web", web.refreshToken()).statusCode()).isEqualTo(400);
    }

    @Test
    void aReceiverThatFailsIsTriedAgainUntilItAccepts() {
        Tokens web = signIn(new PageBrowser(server), "web", SCOPE);
        int delivered = events("logout.delivered").size();
        RECEIVER.answer(503, 503);

        revoke(web);

        List<String> attempts = new ArrayList<>();
        for (int i = 0; i < 3; i++) attempts.add(RECEIVER.next(WAIT).logoutToken());
        assertThat(attempts).as("each attempt signs a fresh token").doesNotHaveDuplicates();
        LogoutTokenCheck.verified(attempts.getLast(), ISSUER, "web", server.rotor().keys().jwksJson(), "ES256");
        assertThat(eventually(() -> events("logout.delivered").size() > delivered)).isTrue();
        assertThat(events("logout.delivered")).anySatisfy(e -> {
            assertThat(e.userId()).isEqualTo(userId());
            assertThat(e.detail()).containsEntry("attempts", "3").containsEntry("status", "200");
        });
    }

    @Test
    void aReceiverThatHangsSlowsNoRequest() {
        RECEIVER.hold();
        PageBrowser first = new PageBrowser(server);
        Tokens one = signIn(first, "web", SCOPE);
        assertThat(first.get("/oauth2/logout?" + Forms.of("id_token_hint", one.idToken())).statusCode()).isEqualTo(200);
        RECEIVER.next(WAIT); // the deliverer is now inside a POST that does not answer

        List<Integer> answered = new ArrayList<>();
        Set<String> ended = new java.util.HashSet<>(Set.of(one.sid()));
        for (int i = 0; i < 3; i++) {
            PageBrowser b = new PageBrowser(server);
            Tokens t = signIn(b, "web", SCOPE);
            answered.add(b.get("/oauth2/logout?" + Forms.of("id_token_hint", t.idToken())).statusCode());
            Tokens other = signIn(new PageBrowser(server), "web2", SCOPE);
            answered.add(revoke(other).statusCode());
            ended.add(t.sid());
            ended.add(other.sid());
        }

        assertThat(answered).as("every logout and revocation answered while the receiver hung").containsOnly(200);
        RECEIVER.release();
        assertThat(eventually(() -> server.rotor().logoutOutbox().pending() == 0)).as("all delivered once it answers").isTrue();
        Set<String> told = new java.util.HashSet<>();
        for (LogoutReceiver.Received r : RECEIVER.all()) {
            told.add((String) LogoutTokenCheck.verified(r.logoutToken(), ISSUER, audience(r.logoutToken()), server.rotor().keys().jwksJson(),
                    "ES256").getClaim("sid"));
        }
        assertThat(told).containsAll(ended);
        RECEIVER.drain();
    }

    @Test
    void signingOutWithoutTheAppsTellsNoClient() {
        PageBrowser b = new PageBrowser(server);
        Tokens web = signIn(b, "web", SCOPE);
        HttpResponse<String> page = b.get("/oauth2/logout");

        HttpResponse<String> done = b.post("/oauth2/logout", "csrf_token=" + PageBrowser.field(page, "csrf_token"));

        assertThat(done.statusCode()).isEqualTo(200);
        RECEIVER.expectNothing(QUIET);
        assertThat(refresh("web", web.refreshToken()).statusCode()).isEqualTo(200);
    }

    private static HttpResponse<String> revoke(Tokens t) {
        return server.send(HttpRequest.newBuilder(server.uri("/oauth2/revoke")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(Forms.of("token", t.refreshToken(), "client_id", audience(t.idToken())))));
    }

    private static boolean eventually(java.util.function.BooleanSupplier condition) {
        long until = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < until) {
            if (condition.getAsBoolean()) return true;
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.getAsBoolean();
    }
}
