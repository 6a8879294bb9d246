package dev.rotor.oauth;

import dev.rotor.account.User;
import dev.rotor.account.UserStore;
import dev.rotor.session.RefreshTokenFamily;
import dev.rotor.session.Sessions;
import dev.rotor.token.VerifiedAccessToken;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST /oauth2/introspect} (RFC 7662): whether a token is valid now, for a confidential client (a resource
 * server, or the client that holds the token). Valid now means more than a good signature: the session behind an
 * access token is live, its user exists and is enabled, and its client is still registered; a refresh token is its
 * family's current one and the family is live. Anything else is {@link Introspection#INACTIVE}, with no reason.
 * Nothing is changed: a refresh token is not rotated and its family is not touched.
 */
public final class TokenIntrospection {
    private final ClientAuthentication clientAuth;
    private final TokenLookup lookup;
    private final Sessions sessions;
    private final ClientRegistry clients;
    private final UserStore users;
    private final String issuer;
    private final Clock clock;

    public TokenIntrospection(ClientAuthentication clientAuth, TokenLookup lookup, Sessions sessions, ClientRegistry clients, UserStore users,
                              String issuer, Clock clock) {
        this.clientAuth = clientAuth;
        this.lookup = lookup;
        this.sessions = sessions;
        this.clients = clients;
        this.users = users;
        this.issuer = issuer;
        this.clock = clock;
    }

    /**
     * @throws OAuthException invalid_client when client authentication fails or the client is public (it has no
     *                        credentials to introspect with, RFC 7662 §2.1); invalid_request without a token
     */
    public Introspection introspect(IntrospectionRequest request) {
        Client client = clientAuth.authenticate(request.credentials());
        if (client.isPublic()) {
            // RFC 7662 §4: the endpoint would otherwise be a token oracle for anyone who knows a public client's id.
            throw ClientAuthentication.refused(request.credentials().basic(), "public client " + client.id() + " may not introspect");
        }
        if (request.token() == null || request.token().isEmpty()) {
            throw new OAuthException(ErrorCode.INVALID_REQUEST, "missing parameter: token");
        }
        return switch (lookup.find(request.token(), request.hint())) {
            case TokenLookup.Found.RefreshToken t -> refreshToken(client, t.presented());
            case TokenLookup.Found.AccessToken t -> accessToken(t.token());
            case TokenLookup.Found.Nothing n -> Introspection.INACTIVE;
        };
    }

    /**
     * A refresh token is the client's own credential and never goes to a resource server, so only the client it was
     * issued to sees it active; for any other client it is inactive like a leaked value should be.
     */
    private Introspection refreshToken(Client client, Sessions.Presented presented) {
        RefreshTokenFamily family = presented.family();
        // A used token is dead even inside the retry window: presenting it returns its successor, never itself again.
        if (!presented.token().isCurrentOf(family) || !sessions.isActive(family) || !family.clientId().equals(client.id())) {
            return Introspection.INACTIVE;
        }
        Optional<User> user = enabledUser(family.userId());
        if (user.isEmpty()) return Introspection.INACTIVE;
        // The current token was issued when the family last rotated (or started, for generation 0).
        return new Introspection(true, TokenType.REFRESH_TOKEN, family.scope(), family.clientId(), user.get().username(),
                sessions.endsAt(family), family.rotatedAt() == null ? family.createdAt() : family.rotatedAt(), null, family.userId(), List.of(),
                issuer, null, family.id());
    }

    /**
     * Any confidential client may introspect any access token: every access token carries this server's one audience,
     * which every resource server accepts.
     */
    private Introspection accessToken(VerifiedAccessToken token) {
        // Verification allows for clock skew between nodes after exp; the answer here is about now, on this clock.
        if (!clock.instant().isBefore(token.expiresAt())) return Introspection.INACTIVE;
        if (token.clientId() == null || clients.find(token.clientId()).isEmpty()) return Introspection.INACTIVE;
        String username = null;
        if (token.sessionId() != null) {
            Optional<RefreshTokenFamily> family = sessions.find(token.sessionId()).filter(sessions::isActive)
                    .filter(f -> f.userId().equals(token.subject()) && f.clientId().equals(token.clientId()));
            Optional<User> user = family.flatMap(f -> enabledUser(f.userId()));
            if (user.isEmpty()) return Introspection.INACTIVE;
            username = user.get().username();
        } else if (!token.subject().equals(token.clientId())) {
            // Only client_credentials tokens have no session, and their subject is the client: anything else is not ours.
            return Introspection.INACTIVE;
        }
        return new Introspection(true, TokenType.ACCESS_TOKEN, token.scope(), token.clientId(), username, token.expiresAt(), token.issuedAt(),
                token.notBefore(), token.subject(), token.audience(), token.issuer(), token.jti(), token.sessionId());
    }

    private Optional<User> enabledUser(String userId) {
        return users.findById(userId).filter(u -> !u.disabled());
    }
}
