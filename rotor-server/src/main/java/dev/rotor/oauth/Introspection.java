package dev.rotor.oauth;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The answer to an introspection (RFC 7662 §2.2). An inactive token tells nothing else: {@link #INACTIVE} is the one
 * inactive value. For an active one, a member that does not apply is null (a refresh token has no {@code jti}, no
 * {@code aud} and no token type in the RFC 6749 §7.1 sense; a client_credentials token has no user).
 *
 * @param type      what the token is; null only when inactive
 * @param expiresAt for a refresh token, when its session ends if it is not used before (absolute or idle expiry)
 * @param audience  empty where it does not apply
 * @param sessionId the session (refresh-token family) behind the token
 */
public record Introspection(boolean active, TokenType type, String scope, String clientId, String username, Instant expiresAt,
                            Instant issuedAt, Instant notBefore, String subject, List<String> audience, String issuer, String jti,
                            String sessionId) {
    public static final Introspection INACTIVE = new Introspection(false, null, null, null, null, null, null, null, null, List.of(), null,
            null, null);

    public Introspection {
        audience = List.copyOf(audience);
        if (active) Objects.requireNonNull(type);
    }
}
