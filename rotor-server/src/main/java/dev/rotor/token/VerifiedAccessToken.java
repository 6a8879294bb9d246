package dev.rotor.token;

import java.time.Instant;
import java.util.List;

/**
 * The claims of a valid access token Rotor issued: what Rotor itself needs from it, and what introspection reports.
 *
 * @param notBefore null when the token carries no {@code nbf}
 * @param audience  the {@code aud} values, never empty (a token without ours does not verify)
 */
public record VerifiedAccessToken(String subject, String clientId, String scope, String sessionId, String jti, Instant expiresAt,
                                  Instant issuedAt, Instant notBefore, List<String> audience, String issuer) {
    public VerifiedAccessToken {
        audience = List.copyOf(audience);
    }
}
