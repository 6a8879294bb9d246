package dev.rotor.http;

import static dev.rotor.testing.OAuthAssertions.assertNoSecrets;
import static dev.rotor.testing.OAuthAssertions.assertOAuthError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.account.User;
import dev.rotor.audit.AuditEvent;
import dev.rotor.audit.RequestInfo;
import dev.rotor.crypto.Sealer;
import dev.rotor.mfa.Totp;
import dev.rotor.signin.SecondFactors.Proof;
import dev.rotor.testing.Forms;
import dev.rotor.testing.Jsons;
import dev.rotor.testing.TestClock;
import dev.rotor.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.commons.codec.binary.Base32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TOTP enrolment over real HTTP: enrol, confirm with a code computed here from the secret the server returned, the
 * recovery codes, disable with a fresh factor, and every refusal as a 4xx RFC 6749 error that changes nothing. One
 * server with a {@link TestClock}; each test signs in a user of its own.
 */
class TotpEnrolmentIT {
    private static final TestClock CLOCK = new TestClock();
    private static final AtomicInteger USERS = new AtomicInteger();
    private static final String ENROLL = "/auth/mfa/totp/enroll";
    private static final String CONFIRM = "/auth/mfa/totp/confirm";
    private static final String DISABLE = "/auth/mfa/totp/disable";
    private static final String RECOVERY = "[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}";

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of(), CLOCK);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    /** A fresh user, signed in through the password grant. */
    private record SignedIn(String userId, String username, String accessToken) {}

    private static SignedIn signIn() {
        String username = "totp-user-" + USERS.incrementAndGet();
        User user = server.rotor().accounts().register(username, null, null, TestServer.PASSWORD);
        HttpResponse<String> r = server.token("grant_type=password&client_id=native&username=" + username + "&password="
                + Forms.encode(TestServer.PASSWORD));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new SignedIn(user.id(), username, (String) Jsons.parse(r.body()).get("access_token"));
    }

    private static HttpResponse<String> post(String path, String token, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path));
        if (token != null) b.header("Authorization", "Bearer " + token);
        if (json == null) return server.send(b.POST(HttpRequest.BodyPublishers.noBody()));
        return server.send(b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** Moves the server's clock to the middle of a 30 s step, so that a code computed here is of the step the server sees. */
    private static void midStep() {
        long second = CLOCK.instant().getEpochSecond() % 30;
        CLOCK.advance(Duration.ofSeconds((15 - second + 30) % 30));
    }

    private static String code(byte[] key, Duration from) {
        return Totp.USERS.code(key, Totp.USERS.step(CLOCK.instant().plus(from)));
    }

    private static String code(byte[] key) {
        return code(key, Duration.ZERO);
    }

    private static byte[] enroll(SignedIn s) {
        HttpResponse<String> r = post(ENROLL, s.accessToken(), null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new Base32().decode((String) Jsons.parse(r.body()).get("secret"));
    }

    @SuppressWarnings("unchecked")
    private static List<String> confirm(SignedIn s, byte[] key) {
        midStep();
        HttpResponse<String> r = post(CONFIRM, s.accessToken(), "{\"code\":\"" + code(key) + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return (List<String>) Jsons.parse(r.body()).get("recovery_codes");
    }

    /** Enrolled and confirmed; the clock is then a step later, past the confirming code. */
    private static byte[] enabled(SignedIn s, List<String> recoveryCodes) {
        byte[] key = enroll(s);
        recoveryCodes.addAll(confirm(s, key));
        CLOCK.advance(Duration.ofSeconds(30));
        return key;
    }

    private static List<String> methods(SignedIn s) {
        return server.rotor().totpFactors().methods(s.userId());
    }

    @Test
    @SuppressWarnings("unchecked")
    void enrollThenConfirmWithACodeFromTheReturnedSecretThenTenRecoveryCodesShownOnce() {
        SignedIn s = signIn();

        HttpResponse<String> enrolled = post(ENROLL, s.accessToken(), null);

        assertThat(enrolled.statusCode()).isEqualTo(200);
        assertThat(enrolled.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(enrolled.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        Map<String, Object> body = Jsons.parse(enrolled.body());
        assertThat(body).containsOnlyKeys("secret", "otpauth_uri", "qr_svg");
        String secret = (String) body.get("secret");
        assertThat(secret).matches("[A-Z2-7]{32}");
        assertThat(body.get("otpauth_uri")).isEqualTo("otpauth://totp/localhost:" + s.username() + "?secret=" + secret
                + "&issuer=localhost&algorithm=SHA1&digits=6&period=30");
        assertThat((String) body.get("qr_svg")).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"").endsWith("</svg>");
        assertThat(methods(s)).as("pending").isEmpty();

        midStep();
        byte[] key = new Base32().decode(secret);
        String code = code(key);
        HttpResponse<String> confirmed = post(CONFIRM, s.accessToken(), "{\"code\":\"" + code + "\"}");

        assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(200);
        assertThat(confirmed.headers().firstValue("Cache-Control")).hasValue("no-store");
        Map<String, Object> codes = Jsons.parse(confirmed.body());
        assertThat(codes).containsOnlyKeys("recovery_codes");
        assertThat((List<String>) codes.get("recovery_codes")).hasSize(10).doesNotHaveDuplicates().allMatch(c -> c.matches(RECOVERY));
        assertThat(methods(s)).containsExactly("totp", "recovery_code");
        assertNoSecrets(confirmed, secret, code);

        List<AuditEvent> events = server.rotor().audit().tail(200).stream().filter(e -> s.userId().equals(e.userId())).toList();
        assertThat(events).extracting(AuditEvent::type).contains("mfa.totp.enrolled", "mfa.totp.confirmed");
        for (AuditEvent e : events) assertThat(e.toString()).doesNotContain(secret).doesNotContain(code);
    }

    @Test
    void theSecretIsStoredSealedUnderTheMasterKeyAndBoundToItsUser() throws Exception {
        SignedIn s = signIn();
        byte[] key = enroll(s);

        byte[] sealed = server.rotor().database().read(tx -> {
            var ps = tx.prepare("SELECT secret_sealed FROM mfa_totp WHERE user_id = ?");
            ps.setString(1, s.userId());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        });

        assertThat(sealed).isNotNull();
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain(new String(key, StandardCharsets.ISO_8859_1));
        Sealer master = new Sealer(Base64.getUrlDecoder().decode(TestServer.MASTER_KEY), new SecureRandom());
        assertThat(master.open(sealed, ("rotor-mfa-totp:" + s.userId()).getBytes(StandardCharsets.UTF_8))).isEqualTo(key);
    }

    @Test
    void aReplayedCodeIsRefusedAndTheNextStepsCodeWorks() {
        SignedIn s = signIn();
        byte[] key = enroll(s);
        midStep();
        String first = code(key);
        assertThat(post(CONFIRM, s.accessToken(), "{\"code\":\"" + first + "\"}").statusCode()).isEqualTo(200);

        assertOAuthError(post(DISABLE, s.accessToken(), "{\"code\":\"" + first + "\"}"), 400, "invalid_grant");
        assertThat(methods(s)).as("nothing disabled").isNotEmpty();

        CLOCK.advance(Duration.ofSeconds(30));
        String next = code(key);
        assertThat(post(DISABLE, s.accessToken(), "{\"code\":\"" + next + "\"}").statusCode()).isEqualTo(204);
        assertThat(methods(s)).isEmpty();
    }

    @ParameterizedTest(name = "{0} s away")
    @ValueSource(ints = {-90, -60, 60, 90})
    void aCodeTwoStepsOrMoreAwayIsRefusedAndOneStepAwayWorks(int seconds) {
        SignedIn s = signIn();
        byte[] key = enroll(s);
        midStep();

        assertOAuthError(post(CONFIRM, s.accessToken(), "{\"code\":\"" + code(key, Duration.ofSeconds(seconds)) + "\"}"), 400, "invalid_grant");
        assertThat(methods(s)).isEmpty();

        int oneStep = seconds < 0 ? -30 : 30;
        assertThat(post(CONFIRM, s.accessToken(), "{\"code\":\"" + code(key, Duration.ofSeconds(oneStep)) + "\"}").statusCode()).isEqualTo(200);
    }

    @Test
    void aRecoveryCodeWorksOnce() {
        SignedIn s = signIn();
        List<String> codes = new java.util.ArrayList<>();
        enabled(s, codes);
        // Sign-in spends one, as the second-factor step will.
        assertThat(server.rotor().totpFactors().verify(s.userId(), new Proof.RecoveryCode(codes.get(0)), RequestInfo.NONE)).isTrue();

        assertOAuthError(post(DISABLE, s.accessToken(), "{\"recovery_code\":\"" + codes.get(0) + "\"}"), 400, "invalid_grant");
        assertThat(methods(s)).containsExactly("totp", "recovery_code");

        assertThat(post(DISABLE, s.accessToken(), "{\"recovery_code\":\"" + codes.get(1).toUpperCase() + "\"}").statusCode()).isEqualTo(204);
        assertThat(methods(s)).isEmpty();
        assertThat(server.rotor().audit().tail(50)).filteredOn(e -> s.userId().equals(e.userId())).extracting(AuditEvent::type)
                .contains("mfa.recovery_code.used", "mfa.totp.disabled");
    }

    @Test
    void disableWithoutAFreshFactorChangesNothing() {
        SignedIn s = signIn();
        byte[] key = enabled(s, new java.util.ArrayList<>());

        assertOAuthError(post(DISABLE, s.accessToken(), null), 415, "unsupported_media_type");
        assertOAuthError(post(DISABLE, s.accessToken(), "{}"), 400, "invalid_request");
        assertOAuthError(post(DISABLE, s.accessToken(), "{\"code\":\"\"}"), 400, "invalid_request");
        assertOAuthError(post(DISABLE, s.accessToken(), "{\"code\":\"" + code(key) + "\",\"recovery_code\":\"x\"}"), 400, "invalid_request");
        assertOAuthError(post(DISABLE, s.accessToken(), "{\"code\":\"000000\"}"), 400, "invalid_grant");
        assertThat(methods(s)).containsExactly("totp", "recovery_code");

        assertThat(post(DISABLE, s.accessToken(), "{\"code\":\"" + code(key) + "\"}").statusCode()).isEqualTo(204);
        assertThat(methods(s)).isEmpty();
        assertOAuthError(post(DISABLE, s.accessToken(), "{\"code\":\"" + code(key, Duration.ofSeconds(30)) + "\"}"), 409, "mfa_not_enabled");
    }

    @Test
    void enrollWhenConfirmedIsRefusedWith409AndTheSecretStays() {
        SignedIn s = signIn();
        byte[] key = enabled(s, new java.util.ArrayList<>());

        assertOAuthError(post(ENROLL, s.accessToken(), null), 409, "mfa_already_enabled");
        assertOAuthError(post(CONFIRM, s.accessToken(), "{\"code\":\"" + code(key) + "\"}"), 409, "mfa_already_enabled");

        assertThat(post(DISABLE, s.accessToken(), "{\"code\":\"" + code(key) + "\"}").statusCode()).as("the first secret still works").isEqualTo(204);
    }

    @Test
    void enrollingAgainReplacesThePendingSecret() {
        SignedIn s = signIn();
        byte[] first = enroll(s);
        byte[] second = enroll(s);
        midStep();

        assertOAuthError(post(CONFIRM, s.accessToken(), "{\"code\":\"" + code(first) + "\"}"), 400, "invalid_grant");
        assertThat(post(CONFIRM, s.accessToken(), "{\"code\":\"" + code(second) + "\"}").statusCode()).isEqualTo(200);
    }

    @Test
    void confirmWithoutAnEnrolmentIsRefusedWith409() {
        assertOAuthError(post(CONFIRM, signIn().accessToken(), "{\"code\":\"123456\"}"), 409, "mfa_not_enabled");
    }

    static Stream<Arguments> badBodies() {
        return Stream.of(
                Arguments.of("no body", null, 415, "unsupported_media_type"),
                Arguments.of("not JSON", "code=123456", 400, "invalid_request"),
                Arguments.of("truncated JSON", "{\"code\":\"12", 400, "invalid_request"),
                Arguments.of("trailing content", "{\"code\":\"123456\"} {}", 400, "invalid_request"),
                Arguments.of("an array", "[\"123456\"]", 400, "invalid_request"),
                Arguments.of("a string", "\"123456\"", 400, "invalid_request"),
                Arguments.of("empty object", "{}", 400, "invalid_request"),
                Arguments.of("code null", "{\"code\":null}", 400, "invalid_request"),
                Arguments.of("code empty", "{\"code\":\"\"}", 400, "invalid_request"),
                Arguments.of("code a number", "{\"code\":123456}", 400, "invalid_request"),
                Arguments.of("code an array", "{\"code\":[\"123456\"]}", 400, "invalid_request"),
                Arguments.of("code an object", "{\"code\":{\"v\":\"123456\"}}", 400, "invalid_request"),
                Arguments.of("code twice", "{\"code\":\"000000\",\"code\":\"111111\"}", 400, "invalid_request"),
                Arguments.of("code too long", "{\"code\":\"" + "1".repeat(65) + "\"}", 400, "invalid_request"),
                Arguments.of("an unknown member", "{\"code\":\"123456\",\"user_id\":\"someone\"}", 400, "invalid_request"),
                Arguments.of("a recovery code to confirm", "{\"recovery_code\":\"7kq2m-x9c4d-h0tw3\"}", 400, "invalid_request"),
                Arguments.of("over the size limit", "{\"code\":\"" + "1".repeat(20_000) + "\"}", 413, "request_too_large"),
                Arguments.of("a wrong code", "{\"code\":\"000000\"}", 400, "invalid_grant"),
                Arguments.of("letters", "{\"code\":\"abcdef\"}", 400, "invalid_grant"),
                Arguments.of("five digits", "{\"code\":\"12345\"}", 400, "invalid_grant"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBodies")
    void aBadConfirmationIsA4xxThatLeavesTheEnrolmentPending(String why, String json, int status, String error) {
        SignedIn s = signIn();
        byte[] key = enroll(s);

        HttpResponse<String> r = post(CONFIRM, s.accessToken(), json);

        assertOAuthError(r, status, error);
        assertThat(methods(s)).isEmpty();
        midStep();
        assertThat(post(CONFIRM, s.accessToken(), "{\"code\":\"" + code(key) + "\"}").statusCode()).as("still pending").isEqualTo(200);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBodies")
    void aBadDisableIsA4xxThatLeavesTotpOn(String why, String json, int status, String error) {
        SignedIn s = signIn();
        enabled(s, new java.util.ArrayList<>());
        // Disable takes a recovery code, so there one that is not the user's is a wrong code rather than a wrong member.
        String expected = why.equals("a recovery code to confirm") ? "invalid_grant" : error;

        assertOAuthError(post(DISABLE, s.accessToken(), json), status, expected);
        assertThat(methods(s)).containsExactly("totp", "recovery_code");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {ENROLL, CONFIRM, DISABLE})
    void withoutABearerTokenThen401AndAChallenge(String path) {
        HttpResponse<String> r = post(path, null, "{\"code\":\"123456\"}");

        assertOAuthError(r, 401, "invalid_token");
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"rotor\"");
        assertOAuthError(post(path, "not-a-token", "{\"code\":\"123456\"}"), 401, "invalid_token");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {ENROLL, CONFIRM, DISABLE})
    void aTokenOfARevokedSessionIsRefusedAndChangesNothing(String path) {
        SignedIn s = signIn();
        List<String> codes = new java.util.ArrayList<>();
        if (!path.equals(ENROLL)) enabled(s, codes);
        server.rotor().sessions().revokeAll(s.userId(), "test", RequestInfo.NONE);

        assertOAuthError(post(path, s.accessToken(), "{\"recovery_code\":\"" + (codes.isEmpty() ? "x" : codes.get(0)) + "\"}"), 401,
                "invalid_token");
        assertThat(server.rotor().totpFactors().methods(s.userId())).hasSize(path.equals(ENROLL) ? 0 : 2);
        if (!codes.isEmpty()) {
            assertThat(server.rotor().totpFactors().verify(s.userId(), new Proof.RecoveryCode(codes.get(0)), RequestInfo.NONE))
                    .as("the code was not spent").isTrue();
        }
    }

    @Test
    void aSignInOlderThanTenMinutesCannotEnrolOrConfirmEvenWithAFreshAccessToken() {
        String username = "totp-user-" + USERS.incrementAndGet();
        User user = server.rotor().accounts().register(username, null, null, TestServer.PASSWORD);
        Map<String, Object> signedIn = Jsons.parse(server.token("grant_type=password&client_id=native&username=" + username + "&password="
                + Forms.encode(TestServer.PASSWORD)).body());
        SignedIn s = new SignedIn(user.id(), username, (String) signedIn.get("access_token"));
        byte[] key = enroll(s);

        CLOCK.advance(Duration.ofMinutes(10).plusSeconds(1));
        HttpResponse<String> refreshed = server.token("grant_type=refresh_token&client_id=native&refresh_token="
                + Forms.encode((String) signedIn.get("refresh_token")));
        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
        String fresh = (String) Jsons.parse(refreshed.body()).get("access_token");

        HttpResponse<String> r = post(ENROLL, fresh, null);
        assertOAuthError(r, 401, "insufficient_user_authentication");
        assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow())
                .startsWith("Bearer realm=\"rotor\", error=\"insufficient_user_authentication\"").endsWith("max_age=600");
        midStep();
        assertOAuthError(post(CONFIRM, fresh, "{\"code\":\"" + code(key) + "\"}"), 401, "insufficient_user_authentication");
        assertThat(methods(s)).isEmpty();

        SignedIn again = new SignedIn(user.id(), username, (String) Jsons.parse(server.token("grant_type=password&client_id=native&username="
                + username + "&password=" + Forms.encode(TestServer.PASSWORD)).body()).get("access_token"));
        assertThat(post(CONFIRM, again.accessToken(), "{\"code\":\"" + code(key) + "\"}").statusCode()).as("after signing in again").isEqualTo(200);
    }

    @Test
    void anExpiredAccessTokenIsRefused() {
        SignedIn s = signIn();
        enroll(s);

        CLOCK.advance(Duration.ofMinutes(16));

        assertOAuthError(post(ENROLL, s.accessToken(), null), 401, "invalid_token");
        assertOAuthError(post(CONFIRM, s.accessToken(), "{\"code\":\"123456\"}"), 401, "invalid_token");
    }

    @Test
    void aUserCannotTouchAnotherUsersFactor() {
        SignedIn alice = signIn();
        SignedIn bob = signIn();
        byte[] aliceKey = enroll(alice);
        midStep();

        assertOAuthError(post(CONFIRM, bob.accessToken(), "{\"code\":\"" + code(aliceKey) + "\"}"), 409, "mfa_not_enabled");
        byte[] bobKey = enroll(bob);
        assertOAuthError(post(CONFIRM, bob.accessToken(), "{\"code\":\"" + code(aliceKey) + "\"}"), 400, "invalid_grant");
        assertThat(post(CONFIRM, alice.accessToken(), "{\"code\":\"" + code(aliceKey) + "\"}").statusCode()).isEqualTo(200);
        assertThat(post(CONFIRM, bob.accessToken(), "{\"code\":\"" + code(bobKey) + "\"}").statusCode()).isEqualTo(200);
        CLOCK.advance(Duration.ofSeconds(30));

        assertOAuthError(post(DISABLE, bob.accessToken(), "{\"code\":\"" + code(aliceKey) + "\"}"), 400, "invalid_grant");
        assertThat(methods(alice)).isNotEmpty();
        assertThat(methods(bob)).isNotEmpty();
    }

    @Test
    void aGuesserIsThrottledEvenWithTheRightCodeAfterFiveWrongOnes() {
        SignedIn s = signIn();
        byte[] key = enabled(s, new java.util.ArrayList<>());
        for (int i = 0; i < 5; i++) assertOAuthError(post(DISABLE, s.accessToken(), "{\"code\":\"000000\"}"), 400, "invalid_grant");

        assertOAuthError(post(DISABLE, s.accessToken(), "{\"code\":\"" + code(key) + "\"}"), 400, "invalid_grant");
        assertThat(methods(s)).isNotEmpty();

        CLOCK.advance(Duration.ofSeconds(61));
        midStep();
        assertThat(post(DISABLE, s.accessToken(), "{\"code\":\"" + code(key) + "\"}").statusCode()).isEqualTo(204);
    }

    @Test
    void corsAsForTheRestOfTheCookieApi() {
        for (String path : List.of(ENROLL, CONFIRM, DISABLE)) {
            HttpResponse<String> preflight = server.send(HttpRequest.newBuilder(server.uri(path)).header("Origin", TestServer.SPA_ORIGIN)
                    .header("Access-Control-Request-Method", "POST").method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
            assertThat(preflight.statusCode()).as(path).isEqualTo(204);
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue(TestServer.SPA_ORIGIN);
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElseThrow()).contains("Authorization");
            HttpResponse<String> evil = server.send(HttpRequest.newBuilder(server.uri(path)).header("Origin", "https://evil.example.test")
                    .header("Access-Control-Request-Method", "POST").method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
            assertThat(evil.statusCode()).isEqualTo(403);
            assertThat(evil.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        }
        SignedIn s = signIn();
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri(ENROLL)).header("Origin", TestServer.SPA_ORIGIN)
                .header("Authorization", "Bearer " + s.accessToken()).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue(TestServer.SPA_ORIGIN);
        assertThat(r.headers().firstValue("Vary")).hasValue("Origin");
    }

    @Test
    void otherMethodsAre405() {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri(ENROLL)).GET());

        assertOAuthError(r, 405, "method_not_allowed");
    }

    @Test
    void noErrorEchoesTheCodeItRefused() {
        SignedIn s = signIn();
        enroll(s);
        String guess = "{\"code\":\"314159\",\"x-secret-member\":\"hunter2\"}";

        HttpResponse<String> r = post(CONFIRM, s.accessToken(), guess);

        assertOAuthError(r, 400, "invalid_request");
        assertNoSecrets(r, "314159", "hunter2", "x-secret-member");
        assertNoSecrets(post(CONFIRM, s.accessToken(), "{\"code\":\"314159\"}"), "314159");
    }
}
