package dev.rotor.oauth;

/**
 * Client credentials as presented (RFC 6749 §2.3.1). {@code basic} tells whether they came in the Authorization
 * header, which decides the {@code WWW-Authenticate} of a refusal.
 */
public record ClientCredentials(String clientId, String secret, boolean basic) {
    @Override
    public String toString() {
        return "ClientCredentials[clientId=" + clientId + ", basic=" + basic + "]";
    }
}
