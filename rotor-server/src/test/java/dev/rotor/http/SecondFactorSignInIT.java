package dev.rotor.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import dev.rotor.audit.RequestInfo;
import dev.rotor.mfa.Totp;
import dev.rotor.mfa.TotpEnrolment;
import dev.rotor.oauth.Client;
import dev.rotor.oauth.authorize.Pkce;
import dev.rotor.testing.Forms;
import dev.rotor.testing.Jsons;
import dev.rotor.testing.PageBrowser;
import dev.rotor.testing.TestClock;
import dev.rotor.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.commons.codec.binary.Base32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A user with TOTP signing in over real HTTP on every surface: the cookie login and the password grant answer
 * {@code mfa_required} with an {@code mfa_token}; {@code POST /auth/mfa}, the mfa-otp grant and the hosted page's code
 * step finish with {@code otp} in {@code amr} and {@code acr} 2; a code works once, a wrong one may be retried, an old
 * token or another client's is refused. Codes are computed here from the enrolment's secret at the server's clock.
 */
class SecondFactorSignInIT {
    private static final TestClock CLOCK = new TestClock();
    private static final String SPA = TestServer.SPA_ORIGIN;
    private static final String APP = "https://app.example.test/cb";
    private static TestServer server;

    private String username;
    private byte[] key;
    private List<String> recoveryCodes;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of(), CLOCK);
        server.rotor().clientStore().add(new Client("web", Client.Type.PUBLIC, null, List.of(APP), new LinkedHashSet<>(Set.of("authorization_code")),
                Set.of(), true, "openid profile", Instant.now(), Set.of()));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    /** A user of their own with a confirmed TOTP; the confirming code's step is spent, so the clock moves one step on. */
    @BeforeEach
    void enrolled() {
        username = "u-" + UUID.randomUUID().toString().substring(0, 8);
        String id = server.rotor().accounts().register(username, null, null, TestServer.PASSWORD).id();
        TotpEnrolment e = server.rotor().totpFactors().enroll(id, CLOCK.instant(), RequestInfo.NONE);
        key = new Base32().decode(e.secret());
        recoveryCodes = server.rotor().totpFactors().confirm(id, code(), CLOCK.instant(), RequestInfo.NONE).codes();
        CLOCK.advance(Duration.ofSeconds(30));
    }

    private String code() {
        return Totp.USERS.code(key, Totp.USERS.step(CLOCK.instant()));
    }

    private HttpResponse<String> json(String path, String body) {
        return server.send(HttpRequest.newBuilder(server.uri(path)).header("Origin", SPA).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> login() {
        return json("/auth/login", "{\"client_id\":\"spa\",\"username\":\"" + username + "\",\"password\":\"" + TestServer.PASSWORD + "\"}");
    }

    private static String mfaToken(HttpResponse<String> r) {
        return (String) Jsons.parse(r.body()).get("mfa_token");
    }

    private static Map<String, Object> claims(String jwt) throws Exception {
        return SignedJWT.parse(jwt).getJWTClaimsSet().getClaims();
    }

    @Test
    void theCookieLoginAsksForTheCodeAndAuthMfaFinishesWithOtpInAmr() throws Exception {
        HttpResponse<String> held = login();

        assertThat(held.statusCode()).isEqualTo(401);
        Map<String, Object> body = Jsons.parse(held.body());
        assertThat(body).containsEntry("error", "mfa_required").containsEntry("mfa_methods", List.of("totp", "recovery_code"));
        assertThat(held.headers().allValues("Set-Cookie")).as("nothing starts before the code, but the device is kept for it")
                .singleElement().satisfies(c -> assertThat(c).startsWith("__Host-rotor_device="));

        HttpResponse<String> done = json("/auth/mfa", "{\"mfa_token\":\"" + mfaToken(held) + "\",\"code\":\"" + code() + "\"}");

        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        assertThat(done.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c).startsWith("__Secure-rotor_rt="));
        Map<String, Object> access = claims((String) Jsons.parse(done.body()).get("access_token"));
        assertThat(access.get("amr")).isEqualTo(List.of("pwd", "otp", "mfa"));
        assertThat(access.get("acr")).isEqualTo("2");
    }

    @Test
    void aCodeWorksOnceAndAWrongOneMayBeRetried() {
        String token = mfaToken(login());
        String right = code();

        HttpResponse<String> wrong = json("/auth/mfa", "{\"mfa_token\":\"" + token + "\",\"code\":\"000000\"}");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(Jsons.parse(wrong.body())).containsEntry("error", "invalid_credentials");
        assertThat(json("/auth/mfa", "{\"mfa_token\":\"" + token + "\",\"code\":\"" + right + "\"}").statusCode()).isEqualTo(200);

        String again = mfaToken(login());
        assertThat(json("/auth/mfa", "{\"mfa_token\":\"" + again + "\",\"code\":\"" + right + "\"}").statusCode())
                .as("the same code, replayed").isEqualTo(401);
    }

    @Test
    void aRecoveryCodeWorksOnce() {
        String recovery = recoveryCodes.getFirst();

        assertThat(json("/auth/mfa", "{\"mfa_token\":\"" + mfaToken(login()) + "\",\"recovery_code\":\"" + recovery + "\"}").statusCode())
                .isEqualTo(200);
        assertThat(json("/auth/mfa", "{\"mfa_token\":\"" + mfaToken(login()) + "\",\"recovery_code\":\"" + recovery + "\"}").statusCode())
                .isEqualTo(401);
    }

    @Test
    void anExpiredForgedOrMissingTokenIsRefusedAndTheSessionDoesNotStart() {
        String token = mfaToken(login());

        assertThat(json("/auth/mfa", "{\"mfa_token\":\"" + token.substring(2) + "\",\"code\":\"" + code() + "\"}").statusCode()).isEqualTo(400);
        assertThat(json("/auth/mfa", "{\"code\":\"" + code() + "\"}").statusCode()).isEqualTo(400);
        assertThat(json("/auth/mfa", "{\"mfa_token\":\"" + token + "\"}").statusCode()).isEqualTo(400);
        assertThat(json("/auth/mfa", "{\"mfa_token\":\"" + token + "\",\"code\":\"" + code() + "\",\"code\":\"1\"}").statusCode())
                .as("a member twice").isEqualTo(400);
        CLOCK.advance(Duration.ofMinutes(5).plusSeconds(1));
        HttpResponse<String> expired = json("/auth/mfa", "{\"mfa_token\":\"" + token + "\",\"code\":\"" + code() + "\"}");
        assertThat(expired.statusCode()).isEqualTo(400);
        assertThat(Jsons.parse(expired.body())).containsEntry("error", "invalid_grant");
        assertThat(expired.headers().allValues("Set-Cookie")).isEmpty();
    }

    @Test
    void authMfaFromAnOriginTheClientDoesNotAllowIsRefused() {
        String token = mfaToken(login());

        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("/auth/mfa")).header("Origin", "https://evil.example")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"mfa_token\":\"" + token + "\",\"code\":\"" + code() + "\"}")));

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(json("/auth/mfa", "{\"mfa_token\":\"" + token + "\",\"code\":\"" + code() + "\"}").statusCode())
                .as("the refused request spent nothing").isEqualTo(200);
    }

    @Test
    void thePasswordGrantAnswers403AndTheMfaGrantFinishesWithTheScopeAsked() throws Exception {
        HttpResponse<String> held = server.token(Forms.of("grant_type", "password", "client_id", "native", "username", username, "password",
                TestServer.PASSWORD, "scope", "openid"));
        assertThat(held.statusCode()).isEqualTo(403);
        assertThat(Jsons.parse(held.body())).containsEntry("error", "mfa_required");

        HttpResponse<String> other = server.token(Forms.of("grant_type", "urn:rotor:params:oauth:grant-type:mfa-otp", "client_id", "other-native",
                "mfa_token", mfaToken(held), "otp", code()));
        assertThat(other.statusCode()).as("another client may not finish it").isEqualTo(400);
        assertThat(Jsons.parse(other.body())).containsEntry("error", "invalid_grant");

        HttpResponse<String> done = server.token(Forms.of("grant_type", "urn:rotor:params:oauth:grant-type:mfa-otp", "client_id", "native",
                "mfa_token", mfaToken(held), "otp", code()));
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        Map<String, Object> tokens = Jsons.parse(done.body());
        assertThat(tokens).containsEntry("scope", "openid").containsKey("refresh_token");
        assertThat(claims((String) tokens.get("access_token")).get("amr")).isEqualTo(List.of("pwd", "otp", "mfa"));
    }

    @Test
    void theMfaGrantRefusesBadInput() {
        String token = mfaToken(server.token(Forms.of("grant_type", "password", "client_id", "native", "username", username, "password",
                TestServer.PASSWORD)));
        String grant = "urn:rotor:params:oauth:grant-type:mfa-otp";

        assertThat(server.token(Forms.of("grant_type", grant, "client_id", "native", "otp", code())).statusCode()).isEqualTo(400);
        assertThat(server.token(Forms.of("grant_type", grant, "client_id", "native", "mfa_token", token)).statusCode()).isEqualTo(400);
        assertThat(server.token(Forms.of("grant_type", grant, "client_id", "native", "mfa_token", token, "otp", code(), "recovery_code", "x"))
                .statusCode()).isEqualTo(400);
        assertThat(server.token(Forms.of("grant_type", grant, "client_id", "spa", "mfa_token", token, "otp", code())).statusCode())
                .as("a client without the password grant").isEqualTo(400);
        assertThat(server.token(Forms.of("grant_type", grant, "client_id", "native", "mfa_token", token, "otp", "000000")).statusCode())
                .isEqualTo(400);
    }

    @Test
    void theHostedPageAsksForTheCodeOnAPageOfItsOwnAndIdTokensCarryOtp() throws Exception {
        PageBrowser b = new PageBrowser(server);
        String verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        HttpResponse<String> page = b.get("/oauth2/authorize?response_type=code&client_id=web&redirect_uri=" + Forms.encode(APP)
                + "&scope=openid&code_challenge=" + Pkce.s256(verifier) + "&code_challenge_method=S256");
        HttpResponse<String> step = b.post("/oauth2/authorize/login", PageBrowser.pageFields(page) + "&username=" + username + "&password="
                + Forms.encode(TestServer.PASSWORD));

        assertThat(step.statusCode()).isEqualTo(200);
        assertThat(step.body()).contains("Two-step verification").contains("autocomplete=\"one-time-code\"");
        assertThat(b.cookies).as("no single sign-on before the code").doesNotContainKey("__Secure-rotor_sso");

        HttpResponse<String> wrong = b.post("/oauth2/authorize/mfa", PageBrowser.pageFields(step) + "&mfa_token="
                + PageBrowser.field(step, "mfa_token") + "&code=000000");
        assertThat(wrong.body()).contains("That code is wrong or was used already.");

        HttpResponse<String> done = b.post("/oauth2/authorize/mfa", PageBrowser.pageFields(wrong) + "&mfa_token="
                + PageBrowser.field(wrong, "mfa_token") + "&code=" + code());
        assertThat(done.statusCode()).as(done.body()).isEqualTo(303);
        assertThat(b.cookies).containsKey("__Secure-rotor_sso");
        String codeParam = URI.create(done.headers().firstValue("Location").orElseThrow()).getRawQuery().split("code=")[1].split("&")[0];
        HttpResponse<String> tokens = server.token(Forms.of("grant_type", "authorization_code", "client_id", "web", "code", codeParam,
                "redirect_uri", APP, "code_verifier", verifier));
        Map<String, Object> id = claims((String) Jsons.parse(tokens.body()).get("id_token"));
        assertThat(id.get("amr")).isEqualTo(List.of("pwd", "otp", "mfa"));
        assertThat(id.get("acr")).isEqualTo("2");
    }

    @Test
    void theHostedPagesCodeStepRefusesAForgedForm() {
        PageBrowser b = new PageBrowser(server);
        HttpResponse<String> r = b.post("/oauth2/authorize/mfa", "interaction=x&csrf_token=y&mfa_token=z&code=123456");

        assertThat(r.statusCode()).isEqualTo(403);
    }

    @Test
    void theAccountPageAsksForTheCodeTooThenShowsTheAccount() {
        PageBrowser b = new PageBrowser(server);
        HttpResponse<String> form = b.get("/account");
        HttpResponse<String> step = b.post("/account/login", "csrf_token=" + PageBrowser.field(form, "csrf_token") + "&username=" + username
                + "&password=" + Forms.encode(TestServer.PASSWORD));

        assertThat(step.statusCode()).isEqualTo(200);
        assertThat(step.body()).contains("Two-step verification").contains("to see your account");
        assertThat(b.cookies).doesNotContainKey("__Secure-rotor_sso");

        HttpResponse<String> done = b.post("/account/mfa", "csrf_token=" + PageBrowser.field(step, "csrf_token") + "&mfa_token="
                + PageBrowser.field(step, "mfa_token") + "&code=" + code());

        assertThat(done.statusCode()).as(done.body()).isEqualTo(303);
        assertThat(b.cookies).containsKey("__Secure-rotor_sso");
        assertThat(b.get("/account").body()).contains("Signed in as <strong>" + username + "</strong>");
    }
}
