package dev.rotor.oauth;

/**
 * One grant type of the token endpoint. The endpoint authenticates the client and checks that it is registered for
 * {@link #type()} before calling {@link #handle}; the grant checks everything else it needs.
 */
public interface Grant {
    GrantType type();

    TokenResponse handle(Client client, TokenRequest request);
}
