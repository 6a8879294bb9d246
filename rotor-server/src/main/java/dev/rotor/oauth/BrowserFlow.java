package dev.rotor.oauth;

import dev.rotor.audit.RequestInfo;
import dev.rotor.session.RefreshTokenFamily;
import dev.rotor.session.Sessions;
import dev.rotor.signin.MfaTokens;
import dev.rotor.signin.SecondFactors;
import dev.rotor.signin.SignInOutcome;
import java.util.Optional;

/**
 * The first-party browser API: sign-in, refresh and logout with the refresh token in an HttpOnly
 * cookie. Every state-changing call must come from an origin the session's client allows: the cookie is sent
 * by the browser on its own, so the Origin check is what stops cross-site request forgery.
 */
public final class BrowserFlow {
    private final ClientRegistry clients;
    private final PasswordSignIn signIn;
    private final Sessions sessions;
    private final Issuance issuance;
    private final RefreshTokenGrant refreshGrant;

    public BrowserFlow(ClientRegistry clients, PasswordSignIn signIn, Sessions sessions, Issuance issuance, RefreshTokenGrant refreshGrant) {
        this.clients = clients;
        this.signIn = signIn;
        this.sessions = sessions;
        this.issuance = issuance;
        this.refreshGrant = refreshGrant;
    }

    /** {@code POST /auth/login}. */
    public TokenResponse login(String clientId, String origin, String username, String password, RequestInfo request) {
        if (clientId == null || clientId.isEmpty()) throw new OAuthException(ErrorCode.INVALID_REQUEST, "missing parameter: client_id");
        Client client = clients.find(clientId).orElseThrow(() ->
                new OAuthException(ErrorCode.INVALID_CLIENT, "unknown client", "unknown client " + clientId));
        if (!client.isPublic()) {
            throw new OAuthException(ErrorCode.UNAUTHORIZED_CLIENT, "the cookie API is for public browser clients");
        }
        requireOrigin(client, origin);
        Sessions.Started started = signIn.signIn(client, username, password, client.scope(), RefreshTokenFamily.Channel.COOKIE, request,
                PasswordSignIn.Surface.COOKIE);
        return new TokenResponse(issuance.forSession(started.family(), client, client.scope()), started.refreshToken(), client.scope(),
                started.family());
    }

    /**
     * {@code POST /auth/mfa}: finishes a cookie login held for a second factor, from an origin the login's client
     * allows; the same answer as a login. A refresh held for a step-up is finished the same way, with the session's
     * refresh cookie, and answers as a refresh.
     *
     * @param cookieToken the refresh cookie, null when absent (needed only to finish a held refresh)
     */
    public TokenResponse secondFactor(String mfaToken, SecondFactors.Proof proof, String cookieToken, String origin, RequestInfo request) {
        if (mfaToken == null || mfaToken.isEmpty()) throw new OAuthException(ErrorCode.INVALID_REQUEST, "missing parameter: mfa_token");
        if (proof == null) throw new OAuthException(ErrorCode.INVALID_REQUEST, "missing parameter: code or recovery_code");
        MfaTokens.Pending held = signIn.held(mfaToken, PasswordSignIn.Surface.COOKIE).orElseThrow(() ->
                new OAuthException(PasswordSignIn.refusal(new SignInOutcome.StepUpExpired(), PasswordSignIn.Surface.COOKIE)));
        String clientId = held.clientId();
        Client client = clients.find(clientId).orElseThrow(() ->
                new OAuthException(ErrorCode.INVALID_CLIENT, "unknown client", "client " + clientId + " of a held sign-in is gone"));
        requireOrigin(client, origin);
        if (held.isRefresh()) {
            return refreshGrant.finishStepUp(signIn, mfaToken, proof, cookieToken, client, RefreshTokenFamily.Channel.COOKIE, request);
        }
        Sessions.Started started = signIn.secondFactor(client, mfaToken, proof, RefreshTokenFamily.Channel.COOKIE, request, PasswordSignIn.Surface.COOKIE);
        return new TokenResponse(issuance.forSession(started.family(), client, started.family().scope()), started.refreshToken(),
                started.family().scope(), started.family());
    }

    /** {@code POST /auth/refresh}: rotates the cookie's token. */
    public TokenResponse refresh(String cookieToken, String origin, RequestInfo request) {
        requireKnownOrigin(origin);
        if (cookieToken == null || cookieToken.isEmpty()) {
            throw new OAuthException(ErrorCode.INVALID_GRANT, "no refresh cookie");
        }
        Sessions.Presented presented = sessions.present(cookieToken).orElseThrow(() ->
                new OAuthException(ErrorCode.INVALID_GRANT, RefreshTokenGrant.INVALID, "unknown refresh token"));
        RefreshTokenFamily family = presented.family();
        Client client = clients.find(family.clientId()).orElseThrow(() ->
                new OAuthException(ErrorCode.INVALID_GRANT, RefreshTokenGrant.INVALID, "client of session " + family.id() + " is gone"));
        // Checked before rotating: a forged cross-site request must not consume the token.
        requireOrigin(client, origin);
        return refreshGrant.rotate(presented, client, null, RefreshTokenFamily.Channel.COOKIE, request);
    }

    /** {@code POST /auth/logout}: revokes the cookie's session; idempotent when there is none. */
    public Optional<RefreshTokenFamily> logout(String cookieToken, String origin, RequestInfo request) {
        requireKnownOrigin(origin);
        Optional<RefreshTokenFamily> family = cookieToken == null ? Optional.empty() : sessions.findByToken(cookieToken);
        if (family.isEmpty()) return Optional.empty();
        Client client = clients.find(family.get().clientId()).orElse(null);
        if (client != null) requireOrigin(client, origin);
        sessions.revoke(family.get(), "logout", request);
        return family;
    }

    private void requireKnownOrigin(String origin) {
        if (!clients.isKnownOrigin(origin)) {
            throw new OAuthException(ErrorCode.INVALID_ORIGIN, "origin not allowed", "origin " + origin + " is not allowed for any client");
        }
    }

    private void requireOrigin(Client client, String origin) {
        if (!clients.allowsOrigin(client, origin)) {
            throw new OAuthException(ErrorCode.INVALID_ORIGIN, "origin not allowed", "origin " + origin + " not allowed for " + client.id());
        }
    }
}
