package dev.rotor.oauth;

/** {@code grant_type=client_credentials} (RFC 6749 §4.4): confidential clients only, no refresh token. */
public final class ClientCredentialsGrant implements Grant {
    private final Issuance issuance;

    public ClientCredentialsGrant(Issuance issuance) {
        this.issuance = issuance;
    }

    @Override
    public GrantType type() {
        return GrantType.CLIENT_CREDENTIALS;
    }

    @Override
    public TokenResponse handle(Client client, TokenRequest request) {
        if (client.isPublic()) {
            throw new OAuthException(ErrorCode.UNAUTHORIZED_CLIENT, "client may not use grant_type client_credentials");
        }
        String scope = Scopes.grant(request.param("scope"), client.scope());
        return new TokenResponse(issuance.forClient(client, scope), null, scope, null);
    }
}
