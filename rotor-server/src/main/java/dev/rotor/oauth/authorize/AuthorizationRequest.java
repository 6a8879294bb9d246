package dev.rotor.oauth.authorize;

import dev.rotor.oauth.Client;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * A checked authorization request (RFC 6749 §4.1.1, RFC 7636, OIDC Core §3.1.2.1): the client exists, the redirect
 * URI is one it registered, and every parameter is valid.
 *
 * @param scope         the granted scope: within the client's
 * @param state         echoed to the client; null when not sent
 * @param codeChallenge S256 challenge; null only for a confidential client that sent none
 * @param maxAge        null when not sent
 * @param params        the request's parameters as sent, single-valued: what a sign-in page carries forward
 */
public record AuthorizationRequest(Client client, String redirectUri, String scope, String state, String nonce, String codeChallenge,
                                   ResponseMode responseMode, Set<Prompt> prompt, Duration maxAge, String loginHint,
                                   Map<String, String> params) {
    public AuthorizationRequest {
        prompt = Set.copyOf(prompt);
        params = Map.copyOf(params);
    }

    public boolean wantsIdToken() {
        return dev.rotor.oauth.Scopes.parse(scope).contains("openid");
    }

    @Override
    public String toString() {
        return "AuthorizationRequest[client=" + client.id() + ", scope=" + scope + "]";
    }
}
