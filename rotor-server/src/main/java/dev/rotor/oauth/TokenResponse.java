package dev.rotor.oauth;

import dev.rotor.session.RefreshTokenFamily;
import dev.rotor.token.IssuedAccessToken;

/**
 * A successful token answer (RFC 6749 §5.1).
 *
 * @param refreshToken null when none is issued (client_credentials)
 * @param family       the refresh-token family behind it, null for client_credentials
 * @param idToken      the OpenID Connect ID token; null unless the authorization code grant was asked for {@code openid}
 */
public record TokenResponse(IssuedAccessToken accessToken, String refreshToken, String scope, RefreshTokenFamily family, String idToken) {
    public TokenResponse(IssuedAccessToken accessToken, String refreshToken, String scope, RefreshTokenFamily family) {
        this(accessToken, refreshToken, scope, family, null);
    }

    @Override
    public String toString() {
        return "TokenResponse[family=" + (family == null ? null : family.id()) + ", scope=" + scope + "]";
    }
}
