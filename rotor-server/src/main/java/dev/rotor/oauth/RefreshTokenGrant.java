package dev.rotor.oauth;

import dev.rotor.audit.RequestInfo;
import dev.rotor.session.RefreshTokenFamily;
import dev.rotor.session.RotationOutcome;
import dev.rotor.session.Sessions;
import dev.rotor.signin.SecondFactors;
import dev.rotor.signin.SignInOutcome;

/** {@code grant_type=refresh_token} (RFC 6749 §6) with rotation and reuse detection. */
public final class RefreshTokenGrant implements Grant {
    /** Deliberately one vague text for every refusal: the client must not learn why (RFC 6749 §5.2). */
    static final String INVALID = "the refresh token is invalid, expired or revoked";

    private final Sessions sessions;
    private final Issuance issuance;

    public RefreshTokenGrant(Sessions sessions, Issuance issuance) {
        this.sessions = sessions;
        this.issuance = issuance;
    }

    @Override
    public GrantType type() {
        return GrantType.REFRESH_TOKEN;
    }

    @Override
    public TokenResponse handle(Client client, TokenRequest request) {
        Sessions.Presented presented = sessions.present(request.required("refresh_token")).orElseThrow(() ->
                new OAuthException(ErrorCode.INVALID_GRANT, INVALID, "unknown token"));
        String requestedScope = request.param("scope");
        RefreshTokenFamily family = presented.family();
        if (requestedScope != null && family.clientId().equals(client.id()) && presented.token().isCurrentOf(family)) {
            // RFC 6749 §6: the scope may only narrow the original grant. For the client's current token this is
            // checked before rotating, so that a refused request does not consume it. Any other token goes to the
            // rotation rules first: a used or another client's token must be answered (and a reuse detected)
            // whatever scope comes with it, and invalid_scope would tell its holder that the family exists.
            Scopes.grant(requestedScope, family.scope());
        }
        // The app's device_id, when it sends one, is compared with the one it signed in with.
        return rotate(presented, client, requestedScope, RefreshTokenFamily.Channel.TOKEN_ENDPOINT, request.fromDevice(client.id()));
    }

    /**
     * Rotates the presented token for {@code client} and answers with the new pair; every refusal is
     * {@code invalid_grant}. Shared by the token endpoint and the cookie API, which check the client first.
     *
     * @param requestedScope null for the family's whole scope
     */
    TokenResponse rotate(Sessions.Presented presented, Client client, String requestedScope, RefreshTokenFamily.Channel channel,
                         RequestInfo request) {
        return rotate(presented, client, requestedScope, channel, request, null);
    }

    /**
     * Finishes a refresh the risk policy held for a step-up: {@code presentedToken} must be a token of the held session
     * (the same one, or its successor: the rotation rules answer any other as usual, a reuse included), and the second
     * factor right; then the refresh goes ahead and the session carries the step-up from then on.
     */
    TokenResponse finishStepUp(PasswordSignIn signIn, String mfaToken, SecondFactors.Proof proof, String presentedToken,
                               Client client, RefreshTokenFamily.Channel channel, RequestInfo request) {
        PasswordSignIn.Surface surface = PasswordSignIn.Surface.of(channel);
        Sessions.Presented presented = presentedToken == null ? null : sessions.present(presentedToken).orElse(null);
        if (presented == null) throw new OAuthException(PasswordSignIn.refusal(new SignInOutcome.StepUpExpired(), surface));
        Sessions.StepUp steppedUp = signIn.refreshStepUp(client, mfaToken, proof, presented.family().id(), request, surface);
        return rotate(presented, client, null, channel, request, steppedUp);
    }

    /** @param steppedUp the step-up just shown for a held refresh; null for an ordinary refresh */
    private TokenResponse rotate(Sessions.Presented presented, Client client, String requestedScope, RefreshTokenFamily.Channel channel,
                                 RequestInfo request, Sessions.StepUp steppedUp) {
        RotationOutcome outcome;
        try {
            outcome = steppedUp == null ? sessions.refresh(presented, client.id(), channel, request)
                    : sessions.refreshSteppedUp(presented, client.id(), channel, request, steppedUp);
        } catch (Sessions.ContendedException e) {
            throw new OAuthException(OAuthError.unavailable("the session is busy, retry shortly", e.getMessage()));
        }
        return switch (outcome) {
            case RotationOutcome.Rotated r -> response(r.family(), client, requestedScope);
            case RotationOutcome.Retried r -> response(r.family(), client, requestedScope);
            case RotationOutcome.Reused u -> throw new OAuthException(ErrorCode.INVALID_GRANT, INVALID,
                    "reuse detected; session " + u.family().id() + " revoked");
            case RotationOutcome.Refused f -> throw new OAuthException(ErrorCode.INVALID_GRANT, INVALID,
                    "refused: " + f.reason().name().toLowerCase());
            // The same answer as a sign-in held for a second factor on this surface; the token is not consumed.
            case RotationOutcome.HeldForStepUp h -> throw new OAuthException(PasswordSignIn.refusal(
                    new SignInOutcome.StepUpRequired(h.mfaToken(), h.methods()), PasswordSignIn.Surface.of(channel)));
            case RotationOutcome.Denied d -> throw new OAuthException(ErrorCode.INVALID_GRANT, INVALID,
                    "denied by the risk policy; session " + d.family().id() + " revoked");
        };
    }

    private TokenResponse response(RefreshTokenFamily f, Client client, String requestedScope) {
        String scope = requestedScope == null ? f.scope() : Scopes.grant(requestedScope, f.scope());
        return new TokenResponse(issuance.forSession(f, client, scope), sessions.refreshToken(f), scope, f);
    }
}
