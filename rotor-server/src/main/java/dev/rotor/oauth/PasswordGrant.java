package dev.rotor.oauth;

import dev.rotor.session.RefreshTokenFamily;
import dev.rotor.session.Sessions;

/**
 * {@code grant_type=password} (RFC 6749 §4.3), only for clients explicitly marked first-party: the resource owner
 * password grant hands the password to the client, so only the operator's own apps may use it.
 */
public final class PasswordGrant implements Grant {
    private final PasswordSignIn signIn;
    private final Issuance issuance;

    public PasswordGrant(PasswordSignIn signIn, Issuance issuance) {
        this.signIn = signIn;
        this.issuance = issuance;
    }

    @Override
    public GrantType type() {
        return GrantType.PASSWORD;
    }

    @Override
    public TokenResponse handle(Client client, TokenRequest request) {
        if (!client.firstParty()) {
            throw new OAuthException(ErrorCode.UNAUTHORIZED_CLIENT, "client may not use grant_type password");
        }
        String scope = Scopes.grant(request.param("scope"), client.scope());
        // A native app's own device id, bound to this client; without one (or a malformed one) the device is new.
        Sessions.Started started = signIn.signIn(client, request.param("username"), request.param("password"), scope,
                RefreshTokenFamily.Channel.TOKEN_ENDPOINT, request.fromDevice(client.id()), PasswordSignIn.Surface.TOKEN_ENDPOINT);
        return new TokenResponse(issuance.forSession(started.family(), client, scope), started.refreshToken(), scope, started.family());
    }
}
