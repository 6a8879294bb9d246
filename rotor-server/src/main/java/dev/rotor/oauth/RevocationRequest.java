package dev.rotor.oauth;

import dev.rotor.audit.RequestInfo;

/**
 * A revocation request (RFC 7009 §2.1) after form parsing: every parameter appeared at most once.
 *
 * @param token null when absent or empty
 * @param hint  null when absent or not one Rotor knows (RFC 7009 §2.1: an unknown hint is ignored)
 */
public record RevocationRequest(String token, TokenType hint, ClientCredentials credentials, RequestInfo request) {
    @Override
    public String toString() {
        return "RevocationRequest[hint=" + hint + ", client=" + credentials.clientId() + "]";
    }
}
