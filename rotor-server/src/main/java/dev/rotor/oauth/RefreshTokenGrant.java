package dev.rotor.oauth;

import dev.rotor.audit.RequestInfo;
import dev.rotor.session.RotationOutcome;
import dev.rotor.session.Session;
import dev.rotor.session.Sessions;

/** {@code grant_type=refresh_token} (RFC 6749 §6) with rotation and reuse detection (DESIGN.md §4). */
public final class RefreshTokenGrant {
    /** Deliberately one vague text for every refusal: the client must not learn why (RFC 6749 §5.2). */
    static final String INVALID = "the refresh token is invalid, expired or revoked";

    private final Sessions sessions;
    private final Issuance issuance;

    public RefreshTokenGrant(Sessions sessions, Issuance issuance) {
        this.sessions = sessions;
        this.issuance = issuance;
    }

    public TokenResponse handle(Client client, TokenRequest request) {
        if (!client.allowsGrant("refresh_token")) {
            throw new OAuthException(ErrorCode.UNAUTHORIZED_CLIENT, "client may not use grant_type refresh_token");
        }
        String token = request.required("refresh_token");
        String requestedScope = request.param("scope");
        if (requestedScope != null) {
            // RFC 6749 §6: the scope may only narrow the original grant. Checked before rotating, so a refused
            // request does not consume the token; the session's scope never changes, so reading it first is safe.
            Session s = sessions.findByToken(token).filter(f -> f.clientId().equals(client.id())).orElseThrow(() ->
                    new OAuthException(ErrorCode.INVALID_GRANT, INVALID, "unknown token or other client's token"));
            Scopes.grant(requestedScope, s.scope());
        }
        return rotate(token, client, requestedScope, request.request());
    }

    /**
     * Rotates {@code token} for {@code clientId} and answers with the new pair; every refusal is
     * {@code invalid_grant}. Shared by the token endpoint and the cookie API, which check the client first.
     *
     * @param requestedScope null for the session's whole scope
     */
    TokenResponse rotate(String token, Client client, String requestedScope, RequestInfo request) {
        RotationOutcome outcome = sessions.refresh(token, client.id(), request);
        return switch (outcome) {
            case RotationOutcome.Rotated r -> response(r.session(), client, r.refreshToken(), requestedScope);
            case RotationOutcome.GraceReplay g -> response(g.session(), client, g.refreshToken(), requestedScope);
            case RotationOutcome.Reused u -> throw new OAuthException(ErrorCode.INVALID_GRANT, INVALID,
                    "reuse detected; session " + u.session().id() + " revoked");
            case RotationOutcome.Refused f -> throw new OAuthException(ErrorCode.INVALID_GRANT, INVALID,
                    "refused: " + f.reason().name().toLowerCase());
        };
    }

    private TokenResponse response(Session s, Client client, String refreshToken, String requestedScope) {
        String scope = requestedScope == null ? s.scope() : Scopes.grant(requestedScope, s.scope());
        return new TokenResponse(issuance.forSession(s, client, scope), refreshToken, scope, s);
    }
}
