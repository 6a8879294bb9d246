package dev.rotor.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.audit.AuditEvent;
import dev.rotor.audit.RequestInfo;
import dev.rotor.testing.Jsons;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecurityNoticeTest {
    private static final Instant AT = Instant.parse("2026-01-01T10:00:00Z");

    @Test
    void theToldTypesAreTheSecurityEventsAndNotTheNoticesOwnFailures() {
        assertThat(SecurityNotice.TYPES).containsExactlyInAnyOrder("login.new_device", "login.step_up", "login.denied", "refresh.step_up",
                "refresh.denied", "refresh_token.reuse_detected");
        assertThat(SecurityNotice.told("notice.failed")).as("a failed notice told would queue another").isFalse();
        assertThat(SecurityNotice.told("login.succeeded")).isFalse();
    }

    @Test
    void theJsonCarriesTheEventAsTheAuditLogHoldsIt() {
        AuditEvent e = new AuditEvent(42, AT, "login.new_device", "u1", "fam-1", "native", new RequestInfo("192.0.2.7", "Agent/1"),
                Map.of("place", "Lisbon, PT", "verified", "totp", "risk_score", "30"));

        Map<String, Object> json = Jsons.parse(new SecurityNotice("n-1", e).json());

        assertThat(json).containsEntry("id", "n-1").containsEntry("type", "login.new_device").containsEntry("time", "2026-01-01T10:00:00Z")
                .containsEntry("audit_id", 42).containsEntry("user_id", "u1").containsEntry("session_id", "fam-1")
                .containsEntry("client_id", "native").containsEntry("ip", "192.0.2.7").containsEntry("user_agent", "Agent/1")
                .containsEntry("detail", Map.of("place", "Lisbon, PT", "verified", "totp", "risk_score", "30"));
    }

    @Test
    void whatAnEventLacksIsNullAndAUserAgentCannotBreakTheLine() {
        AuditEvent e = new AuditEvent(7, AT, "login.denied", null, null, null, new RequestInfo(null, "evil\nsecurity notice {forged}"), Map.of());

        String json = new SecurityNotice("n-2", e).json();

        assertThat(json).doesNotContain("\n");
        assertThat(Jsons.parse(json)).containsEntry("user_id", null).containsEntry("session_id", null).containsEntry("ip", null)
                .containsEntry("user_agent", "evil\nsecurity notice {forged}");
    }

    @Test
    void aDetailKeyNamingASecretIsLeftOutShouldAnEventEverCarryOne() {
        Map<String, String> detail = SecurityNotice.detail(Map.of("refresh_token", "rt-value", "password", "pw", "client_secret", "cs",
                "device_id", "dev-1", "code", "123456", "otp_code", "654321", "verified", "totp", "reuse_client_id", "native"));

        assertThat(detail).containsOnlyKeys("verified", "reuse_client_id");
    }
}
