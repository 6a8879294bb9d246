package dev.rotor.oauth;

import dev.rotor.session.Session;
import dev.rotor.token.IssuedAccessToken;

/**
 * A successful token answer (RFC 6749 §5.1).
 *
 * @param refreshToken null when none is issued (client_credentials)
 * @param session      the session behind it, null for client_credentials
 */
public record TokenResponse(IssuedAccessToken accessToken, String refreshToken, String scope, Session session) {
    @Override
    public String toString() {
        return "TokenResponse[session=" + (session == null ? null : session.id()) + ", scope=" + scope + "]";
    }
}
