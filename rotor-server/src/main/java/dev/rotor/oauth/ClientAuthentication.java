package dev.rotor.oauth;

/** Authenticates the client of a token request: none (public), client_secret_basic or client_secret_post. */
public final class ClientAuthentication {
    private final ClientRegistry clients;

    public ClientAuthentication(ClientRegistry clients) {
        this.clients = clients;
    }

    /** The authenticated client; refusals are {@code invalid_client} with a generic description. */
    public Client authenticate(ClientCredentials creds) {
        if (creds.clientId() == null || creds.clientId().isEmpty()) throw refused(creds.basic(), "no client_id");
        Client client = clients.find(creds.clientId()).orElseThrow(() -> refused(creds.basic(), "unknown client " + creds.clientId()));
        if (client.isPublic()) {
            // A public client has no secret; one that sends a secret is misconfigured or not who it claims.
            if (creds.secret() != null) throw refused(creds.basic(), "secret sent for public client " + client.id());
            return client;
        }
        if (!clients.secretMatches(client, creds.secret())) throw refused(creds.basic(), "bad or missing secret for " + client.id());
        return client;
    }

    /**
     * {@code invalid_client}, with one generic description whatever the reason. RFC 6749 §5.2: a client that tried
     * the Authorization header gets 401 with a {@code WWW-Authenticate} challenge for the scheme it used.
     */
    public static OAuthException refused(boolean triedHeader, String detail) {
        OAuthError error = new OAuthError(ErrorCode.INVALID_CLIENT, "client authentication failed", detail);
        return new OAuthException(triedHeader ? error.withHeader("WWW-Authenticate", "Basic realm=\"rotor\"") : error);
    }
}
