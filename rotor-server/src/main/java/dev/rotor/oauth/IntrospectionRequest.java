package dev.rotor.oauth;

/**
 * An introspection request (RFC 7662 §2.1) after form parsing: every parameter appeared at most once.
 *
 * @param token null when absent or empty
 * @param hint  null when absent or not one Rotor knows (ignored, as at revocation)
 */
public record IntrospectionRequest(String token, TokenType hint, ClientCredentials credentials) {
    @Override
    public String toString() {
        return "IntrospectionRequest[hint=" + hint + ", client=" + credentials.clientId() + "]";
    }
}
