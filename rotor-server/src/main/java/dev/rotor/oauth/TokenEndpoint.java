package dev.rotor.oauth;

/** {@code POST /oauth2/token}: authenticates the client, then hands the request to its grant. */
public final class TokenEndpoint {
    private final ClientAuthentication clientAuth;
    private final RefreshTokenGrant refreshGrant;
    private final PasswordGrant passwordGrant;
    private final ClientCredentialsGrant clientCredentialsGrant;

    public TokenEndpoint(ClientAuthentication clientAuth, RefreshTokenGrant refreshGrant, PasswordGrant passwordGrant,
                         ClientCredentialsGrant clientCredentialsGrant) {
        this.clientAuth = clientAuth;
        this.refreshGrant = refreshGrant;
        this.passwordGrant = passwordGrant;
        this.clientCredentialsGrant = clientCredentialsGrant;
    }

    public TokenResponse handle(TokenRequest request) {
        if (request.grantType() == null || request.grantType().isEmpty()) {
            throw new OAuthException(ErrorCode.INVALID_REQUEST, "missing parameter: grant_type");
        }
        Client client = clientAuth.authenticate(request.credentials());
        return switch (request.grantType()) {
            case "refresh_token" -> refreshGrant.handle(client, request);
            case "password" -> passwordGrant.handle(client, request);
            case "client_credentials" -> clientCredentialsGrant.handle(client, request);
            default -> throw new OAuthException(ErrorCode.UNSUPPORTED_GRANT_TYPE, "unsupported grant_type");
        };
    }
}
