package dev.rotor.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.audit.AuditEvent;
import dev.rotor.config.Setting;
import dev.rotor.testing.Forms;
import dev.rotor.testing.TestServer;
import dev.rotor.testing.WebhookReceiver;
import dev.rotor.testing.WebhookReceiver.Post;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Security notices over real HTTP: a refresh token presented again after its successor, on a real server on loopback,
 * reaches the configured webhook, signed as the operations guide tells receivers to check, in the background; the
 * refusal the client got does not wait for it, and no token is in the notice.
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
}
