package dev.rotor.token;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What goes into one access token (RFC 9068 §2.2).
 *
 * @param subject   {@code sub}: the user id, or the client id for client_credentials
 * @param sessionId {@code sid}; null for client_credentials
 * @param extra     profile claims the client is configured to receive
 */
public record AccessTokenRequest(String subject, String clientId, String scope, String sessionId, Instant authTime,
                                 List<String> amr, String acr, Map<String, Object> extra) {
    public AccessTokenRequest {
        amr = amr == null ? List.of() : List.copyOf(amr);
        extra = extra == null ? Map.of() : Map.copyOf(extra);
    }
}
