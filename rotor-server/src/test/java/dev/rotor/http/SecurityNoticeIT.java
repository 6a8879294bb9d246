package dev.rotor.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.audit.AuditEvent;
import dev.rotor.audit.RequestInfo;
import dev.rotor.config.Setting;
import dev.rotor.mfa.Totp;
import dev.rotor.mfa.TotpEnrolment;
import dev.rotor.testing.Forms;
import dev.rotor.testing.TestServer;
import dev.rotor.testing.WebhookReceiver;
import dev.rotor.testing.WebhookReceiver.Post;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.commons.codec.binary.Base32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Security notices over real HTTP: a refresh token presented again after its successor, and a sign-in asked for its
 * second factor, on a real server on loopback, reach the configured webhook, signed as the operations guide tells
 * receivers to check, in the background; the answer the client got does not wait for it, and no token, code or
 * secret is in the notice.
 */
class SecurityNoticeIT {
    private static final String SECRET = "whsec-it-0123456789abcdef0123456789abcdef";
    /** Generous: the deliverer looks at the outbox every second. Polled, not slept. */
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final WebhookReceiver RECEIVER = new WebhookReceiver();
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of(Setting.GRACE, "0", Setting.NOTIFY_WEBHOOK_URL, RECEIVER.url(), Setting.NOTIFY_WEBHOOK_SECRET, SECRET));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        RECEIVER.close();
    }

    private static HttpResponse<String> refresh(String token) {
        return server.token(Forms.of("grant_type", "refresh_token", "client_id", "native", "refresh_token", token));
    }

    @Test
    void aReuseDetectionReachesTheWebhookSignedAndWithoutAToken() {
        Map<String, Object> signedIn = server.passwordLogin("native");
        String t0 = (String) signedIn.get("refresh_token");
        HttpResponse<String> rotated = refresh(t0);
        assertThat(rotated.statusCode()).isEqualTo(200);
        String t1 = (String) dev.rotor.testing.Jsons.parse(rotated.body()).get("refresh_token");

        HttpResponse<String> reuse = refresh(t0);

        assertThat(reuse.statusCode()).isEqualTo(400);
        assertThat(reuse.body()).contains("invalid_grant");
        AuditEvent detected = server.rotor().audit().tail(50).stream().filter(e -> e.type().equals("refresh_token.reuse_detected"))
                .reduce((a, b) -> b).orElseThrow();
        Post post = RECEIVER.await(p -> "refresh_token.reuse_detected".equals(p.json().get("type"))
                && detected.sessionId().equals(p.json().get("session_id")), WAIT);
        assertThat(WebhookReceiver.verifies(post, SECRET, Instant.now(), Duration.ofMinutes(5))).isTrue();
        assertThat(post.eventId()).isEqualTo(post.json().get("id"));
        assertThat(post.json()).containsEntry("client_id", "native").containsEntry("user_id", detected.userId())
                .containsEntry("audit_id", (int) detected.id());
        assertThat(post.text()).doesNotContain(t0, t1, (String) signedIn.get("access_token"), TestServer.PASSWORD, SECRET);
    }

    @Test
    void aSignInAskedForItsSecondFactorReachesTheWebhookWithoutTheSecretTheCodeOrTheMfaToken() {
        String username = "u-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        String id = server.rotor().accounts().register(username, null, null, TestServer.PASSWORD).id();
        Instant now = Instant.now();
        TotpEnrolment enrolment = server.rotor().totpFactors().enroll(id, now, RequestInfo.NONE);
        byte[] key = new Base32().decode(enrolment.secret());
        String code = Totp.USERS.code(key, Totp.USERS.step(now));
        server.rotor().totpFactors().confirm(id, code, now, RequestInfo.NONE);

        HttpResponse<String> signIn = server.token(Forms.of("grant_type", "password", "client_id", "native", "username", username,
                "password", TestServer.PASSWORD));

        assertThat(signIn.statusCode()).isEqualTo(403);
        String mfaToken = (String) dev.rotor.testing.Jsons.parse(signIn.body()).get("mfa_token");
        Post post = RECEIVER.await(p -> "login.step_up".equals(p.json().get("type")) && id.equals(p.json().get("user_id")), WAIT);
        assertThat(WebhookReceiver.verifies(post, SECRET, Instant.now(), Duration.ofMinutes(5))).isTrue();
        assertThat(post.json()).containsEntry("client_id", "native").containsEntry("ip", "127.0.0.1");
        assertThat(post.text()).doesNotContain(mfaToken, enrolment.secret(), code, TestServer.PASSWORD, SECRET);
    }
}
