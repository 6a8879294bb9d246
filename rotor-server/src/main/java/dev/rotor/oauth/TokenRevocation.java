package dev.rotor.oauth;

import dev.rotor.audit.AuditEvent;
import dev.rotor.audit.AuditLog;
import dev.rotor.audit.RequestInfo;
import dev.rotor.session.RefreshTokenFamily;
import dev.rotor.session.Sessions;
import dev.rotor.token.VerifiedAccessToken;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /oauth2/revoke} (RFC 7009): a client ends a session with any of its tokens. A refresh token ends its
 * family (RFC 7009 §2.1: the tokens of the same grant go with it); an access token ends the session its {@code sid}
 * names, once its signature, issuer, audience and expiry are checked. Every session it ends goes through
 * {@link Sessions#revoke}, with the reason {@value #REASON} in its {@code session.revoked} event.
 *
 * <p>Whatever the token is, the caller learns nothing from the answer (RFC 7009 §2.2): an unknown, malformed, forged,
 * expired or already revoked token, and one of another client, all end in the same silent success.
 */
public final class TokenRevocation {
    /** The revoke reason of a session a client ended at the revocation endpoint. */
    public static final String REASON = "client_revoked";

    private final ClientAuthentication clientAuth;
    private final TokenLookup lookup;
    private final Sessions sessions;
    private final AuditLog audit;
    private final Clock clock;

    public TokenRevocation(ClientAuthentication clientAuth, TokenLookup lookup, Sessions sessions, AuditLog audit, Clock clock) {
        this.clientAuth = clientAuth;
        this.lookup = lookup;
        this.sessions = sessions;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Authenticates the client (as at the token endpoint: a public client by its id alone), then ends the session the
     * token belongs to, if it is the client's and still live. Returns normally in every other case.
     *
     * @throws OAuthException invalid_client when client authentication fails; invalid_request without a token
     */
    public void revoke(RevocationRequest request) {
        Client client = clientAuth.authenticate(request.credentials());
        if (request.token() == null || request.token().isEmpty()) {
            throw new OAuthException(ErrorCode.INVALID_REQUEST, "missing parameter: token");
        }
        switch (lookup.find(request.token(), request.hint())) {
            case TokenLookup.Found.RefreshToken t -> {
                RefreshTokenFamily family = t.presented().family();
                int generation = t.presented().token().generation();
                // A generation the family never reached is no token of it (the rotation rules refuse it too).
                if (generation > family.generation()) return;
                // Any token of the family, the current one or an earlier one, ends it: its holder is the client (a
                // stale token after a lost answer) or a thief who could end the family by replaying it anyway.
                end(client, family, family.clientId(), request.request(),
                        Map.of("token_type", "refresh_token", "generation", Integer.toString(generation)));
            }
            case TokenLookup.Found.AccessToken t -> revokeSessionOf(client, t.token(), request.request());
            case TokenLookup.Found.Nothing n -> {
                // RFC 7009 §2.2: an invalid token is no error; the client could do nothing about it.
            }
        }
    }

    /** An access token without a session (client_credentials) has nothing to end; it lapses at its {@code exp}. */
    private void revokeSessionOf(Client client, VerifiedAccessToken token, RequestInfo request) {
        if (token.sessionId() == null) return;
        sessions.find(token.sessionId()).filter(f -> f.userId().equals(token.subject())).ifPresent(family ->
                end(client, family, token.clientId(), request, Map.of("token_type", "access_token", "jti", String.valueOf(token.jti()))));
    }

    /**
     * RFC 7009 §2.1: the token must have been issued to the client that revokes it. Another client's token revokes
     * nothing, yet the answer is the same success as for an invalid one: a refusal would tell any public client (whose
     * id alone authenticates it) that a token it holds is live. It is audited instead, since a client holding another
     * client's token means the token leaked.
     */
    private void end(Client client, RefreshTokenFamily family, String tokenClientId, RequestInfo request, Map<String, String> detail) {
        if (!family.clientId().equals(client.id()) || !client.id().equals(tokenClientId)) {
            Map<String, String> refused = new LinkedHashMap<>(detail);
            refused.put("token_client_id", family.clientId());
            audit.record(AuditEvent.of(clock.instant(), "revocation.wrong_client", family.userId(), family.id(), client.id(), request, refused));
            return;
        }
        // Revoked or past its lifetime: nothing is left to end, and nothing is written.
        if (!sessions.isActive(family)) return;
        sessions.revoke(family, REASON, detail, request);
    }
}
