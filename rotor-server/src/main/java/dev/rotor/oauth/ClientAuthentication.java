package dev.rotor.oauth;

/** Authenticates the client of a token request: none (public), client_secret_basic or client_secret_post. */
public final class ClientAuthentication {
    private final ClientRegistry clients;

    public ClientAuthentication(ClientRegistry clients) {
        this.clients = clients;
    }

    /** The authenticated client; refusals are {@code invalid_client} with a generic description. */
    public Client authenticate(ClientCredentials creds) {
        if (creds.clientId() == null || creds.clientId().isEmpty()) {
            throw new OAuthException(ErrorCode.INVALID_CLIENT, "client authentication failed", "no client_id");
        }
        Client client = clients.find(creds.clientId()).orElseThrow(() ->
                new OAuthException(ErrorCode.INVALID_CLIENT, "client authentication failed", "unknown client " + creds.clientId()));
        if (client.isPublic()) {
            // A public client has no secret; one that sends a secret is misconfigured or not who it claims.
            if (creds.secret() != null) {
                throw new OAuthException(ErrorCode.INVALID_CLIENT, "client authentication failed", "secret sent for public client " + client.id());
            }
            return client;
        }
        if (!ClientRegistry.secretMatches(client, creds.secret())) {
            throw new OAuthException(ErrorCode.INVALID_CLIENT, "client authentication failed", "bad or missing secret for " + client.id());
        }
        return client;
    }
}
