package dev.rotor.audit;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One audit record. {@code detail} holds event-specific facts (never a secret: no token, password or key).
 *
 * @param id 0 until stored
 */
public record AuditEvent(long id, Instant at, String type, String userId, String sessionId, String clientId,
                         RequestInfo request, Map<String, String> detail) {
    public AuditEvent {
        Objects.requireNonNull(at);
        Objects.requireNonNull(type);
        request = request == null ? RequestInfo.NONE : request;
        detail = Map.copyOf(detail);
    }

    public static AuditEvent of(Instant at, String type, String userId, String sessionId, String clientId,
                                RequestInfo request, Map<String, String> detail) {
        return new AuditEvent(0, at, type, userId, sessionId, clientId, request, detail);
    }
}
