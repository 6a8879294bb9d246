package dev.rotor.oauth;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /oauth2/token}: authenticates the client, checks it may use the grant, then hands the request to the
 * grant's handler. What is registered here is what discovery advertises.
 */
public final class TokenEndpoint {
    private final ClientAuthentication clientAuth;
    private final Map<GrantType, Grant> grants = new EnumMap<>(GrantType.class);

    public TokenEndpoint(ClientAuthentication clientAuth, List<Grant> grants) {
        this.clientAuth = clientAuth;
        for (Grant g : grants) {
            if (this.grants.put(g.type(), g) != null) throw new IllegalArgumentException("two handlers for " + g.type().value());
        }
    }

    /** The grant types this endpoint serves ({@code grant_types_supported}). */
    public Set<GrantType> grantTypes() {
        return Collections.unmodifiableSet(grants.keySet());
    }

    public TokenResponse handle(TokenRequest request) {
        if (request.grantType() == null || request.grantType().isEmpty()) {
            throw new OAuthException(ErrorCode.INVALID_REQUEST, "missing parameter: grant_type");
        }
        Client client = clientAuth.authenticate(request.credentials());
        Grant grant = GrantType.named(request.grantType()).map(grants::get).orElseThrow(() ->
                new OAuthException(ErrorCode.UNSUPPORTED_GRANT_TYPE, "unsupported grant_type"));
        if (!client.allowsGrant(grant.type())) {
            throw new OAuthException(ErrorCode.UNAUTHORIZED_CLIENT, "client may not use grant_type " + grant.type().value());
        }
        return grant.handle(client, request);
    }
}
