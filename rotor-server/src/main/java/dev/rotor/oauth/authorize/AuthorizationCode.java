package dev.rotor.oauth.authorize;

import java.time.Instant;
import java.util.List;

/**
 * An issued authorization code, bound to its client, redirect URI and PKCE challenge (RFC 6749 §4.1.3, RFC 7636 §4.6).
 *
 * @param familyId the refresh-token family its redemption started; null until redeemed
 */
public record AuthorizationCode(String clientId, String userId, String redirectUri, String scope, String codeChallenge, String nonce,
                                String ssoSessionId, Instant authTime, List<String> amr, String acr, Instant createdAt,
                                Instant expiresAt, Instant redeemedAt, String familyId) {
    public AuthorizationCode {
        amr = List.copyOf(amr);
    }
}
