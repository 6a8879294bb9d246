package dev.rotor.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotor.audit.AuditEvent;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a user or a SIEM is told of one security event: an audit event of one of the {@link #TYPES}, as it was written.
 * The audit log is the one source: a notice is queued in the transaction that writes its event, by the one insert every
 * audit event goes through, so that an event written inside another store's transaction (the refresh-token store
 * writes {@code refresh_token.reuse_detected} with the revocation) is told as surely as one written on its own.
 *
 * @param id    the notice's own id, the same at every attempt: receivers drop a repeat by it
 * @param event the audit event, with its stored id
 */
public record SecurityNotice(String id, AuditEvent event) {
    /**
     * The audit event types that become notices: a sign-in completed from a device the user had not used, a second
     * factor asked for or a sign-in refused by the risk policy, the same for a refresh, and a refresh token presented
     * again after its successor (the family is revoked).
     */
    public static final Set<String> TYPES = Set.of("login.new_device", "login.step_up", "login.denied", "refresh.step_up",
            "refresh.denied", "refresh_token.reuse_detected");

    private static final ObjectMapper JSON = new ObjectMapper();

    public SecurityNotice {
        Objects.requireNonNull(id);
        Objects.requireNonNull(event);
    }

    /** True when an audit event of {@code type} is told. */
    public static boolean told(String type) {
        return TYPES.contains(type);
    }

    /**
     * The notice as one line of JSON, the webhook's body and the log's line: {@code id}, {@code type}, {@code time}
     * (ISO-8601), {@code audit_id}, {@code user_id}, {@code session_id} (the refresh-token family), {@code client_id},
     * {@code ip}, {@code user_agent} and {@code detail}; a field the event lacks is null. JSON escapes every control
     * character, so an attacker's User-Agent cannot start a line of its own in a log.
     */
    public String json() {
        AuditEvent e = event;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("type", e.type());
        body.put("time", e.at().toString());
        body.put("audit_id", e.id());
        body.put("user_id", e.userId());
        body.put("session_id", e.sessionId());
        body.put("client_id", e.clientId());
        body.put("ip", e.request().ip());
        body.put("user_agent", e.request().userAgent());
        body.put("detail", detail(e.detail()));
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("notice not serializable", ex);
        }
    }

    /**
     * The event's detail, sorted by key. The audit log holds no secret by its contract; as a second guard against an
     * event that broke it, a key that names a token, a password, a secret, a one-time code or a device id is left out.
     */
    static Map<String, String> detail(Map<String, String> detail) {
        Map<String, String> out = new TreeMap<>();
        detail.forEach((k, v) -> {
            if (!withheld(k)) out.put(k, v);
        });
        return out;
    }

    private static boolean withheld(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("token") || k.contains("password") || k.contains("secret") || k.contains("device_id") || k.equals("code")
                || k.endsWith("_code") || k.equals("otp");
    }
}
