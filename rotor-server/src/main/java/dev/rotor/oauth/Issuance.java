package dev.rotor.oauth;

import dev.rotor.session.Session;
import dev.rotor.token.AccessTokenRequest;
import dev.rotor.token.AccessTokens;
import dev.rotor.token.IssuedAccessToken;
import java.util.Map;

/** Access tokens for a session: the claims every grant puts in (RFC 9068 §2.2). */
public final class Issuance {
    private final AccessTokens accessTokens;

    public Issuance(AccessTokens accessTokens) {
        this.accessTokens = accessTokens;
    }

    public IssuedAccessToken forSession(Session s, String scope) {
        return accessTokens.issue(new AccessTokenRequest(s.userId(), s.clientId(), scope, s.id(), s.authTime(), s.amr(), s.acr(), Map.of()));
    }

    public IssuedAccessToken forClient(Client client, String scope) {
        return accessTokens.issue(new AccessTokenRequest(client.id(), client.id(), scope, null, null, null, null, Map.of()));
    }
}
