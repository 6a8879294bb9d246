package dev.rotor.oauth.authorize;

import dev.rotor.oauth.Client;
import dev.rotor.oauth.ErrorCode;
import dev.rotor.oauth.Grant;
import dev.rotor.oauth.GrantType;
import dev.rotor.oauth.Issuance;
import dev.rotor.oauth.OAuthException;
import dev.rotor.oauth.Scopes;
import dev.rotor.oauth.TokenRequest;
import dev.rotor.oauth.TokenResponse;
import dev.rotor.session.RefreshTokenFamily;
import dev.rotor.session.Sessions;
import dev.rotor.sso.SsoSessions;
import dev.rotor.token.IdTokens;
import dev.rotor.token.IssuedAccessToken;
import java.time.Duration;

/**
 * {@code grant_type=authorization_code} (RFC 6749 §4.1.3, RFC 7636 §4.6, OAuth 2.1 §4.1.3): redeems a code once, for
 * the client it was issued to, with the redirect URI and PKCE verifier of its request. The tokens belong to a new
 * refresh-token family, so a code-flow session rotates and detects reuse like every other; a second redemption of a
 * code revokes that family (RFC 6749 §4.1.2).
 */
public final class AuthorizationCodeGrant implements Grant {
    /** One text for every refusal: which check failed is for the log (RFC 6749 §5.2). */
    static final String INVALID = "the authorization code is invalid, expired or already used";

    private final AuthorizationCodes codes;
    private final Sessions sessions;
    private final SsoSessions sso;
    private final Issuance issuance;
    private final IdTokens idTokens;
    private final Duration accessTtl;
    private final Consents consents;

    /** @param accessTtl the lifetime of a family that issues no refresh token: it ends with its access token */
    public AuthorizationCodeGrant(AuthorizationCodes codes, Sessions sessions, SsoSessions sso, Issuance issuance, IdTokens idTokens,
                                  Duration accessTtl, Consents consents) {
        this.codes = codes;
        this.sessions = sessions;
        this.sso = sso;
        this.issuance = issuance;
        this.idTokens = idTokens;
        this.accessTtl = accessTtl;
        this.consents = consents;
    }

    @Override
    public GrantType type() {
        return GrantType.AUTHORIZATION_CODE;
    }

    @Override
    public TokenResponse handle(Client client, TokenRequest request) {
        AuthorizationCodes.Redeemed redeemed = switch (codes.redeem(request.required("code"))) {
            case AuthorizationCodes.Invalid i -> throw refused(i.why());
            case AuthorizationCodes.Replayed r -> {
                // A code used twice was intercepted, or the first response was; what it started can no longer be trusted.
                if (r.code().familyId() != null) {
                    sessions.find(r.code().familyId()).ifPresent(f -> sessions.revoke(f, "code_replayed", request.request()));
                }
                throw refused("code replayed; family " + r.code().familyId() + " revoked");
            }
            case AuthorizationCodes.Redeemed r -> r;
        };
        AuthorizationCode code = redeemed.code();
        check(client, request, code);
        // A code issued just before the user withdrew their consent (on the account page) must not start a session
        // the withdrawal could not end: what allowed the code is checked again as it is redeemed.
        if (client.consentRequired() && !consents.covers(code.userId(), client.id(), code.scope())) {
            throw refused("the user's consent for " + client.id() + " was withdrawn after the code was issued");
        }
        boolean refreshable = Scopes.parse(code.scope()).contains("offline_access") && client.allowsGrant(GrantType.REFRESH_TOKEN);
        // Without a refresh token the family still records the grant: it names the access token's session (sid), so
        // revocation and logout reach it, and it ends with the access token.
        Sessions.Started started = sessions.start(code.userId(), client.id(), code.scope(), code.amr(), code.acr(), code.authTime(),
                refreshable ? Duration.ofDays(36_500) : accessTtl, RefreshTokenFamily.Channel.TOKEN_ENDPOINT, request.request());
        codes.recordFamily(redeemed, started.family().id());
        sso.find(code.ssoSessionId()).ifPresent(s -> sso.linkFamily(s, started.family().id(), client.id()));
        IssuedAccessToken access = issuance.forSession(started.family(), client, code.scope());
        String idToken = Scopes.parse(code.scope()).contains("openid")
                ? idTokens.issue(new IdTokens.Request(code.userId(), client.id(), code.authTime(), code.ssoSessionId(), code.nonce(), code.acr(),
                        code.amr(), access.value(), issuance.userClaims(code.userId(), code.scope())))
                : null;
        return new TokenResponse(access, refreshable ? started.refreshToken() : null, code.scope(), started.family(), idToken);
    }

    private static void check(Client client, TokenRequest request, AuthorizationCode c) {
        // The code is spent by now: a wrong client, redirect URI or verifier must not get a second try.
        if (!c.clientId().equals(client.id())) throw refused("code of client " + c.clientId() + " presented by " + client.id());
        if (!c.redirectUri().equals(request.param("redirect_uri"))) throw refused("redirect_uri differs from the authorization request's");
        String verifier = request.param("code_verifier");
        if (c.codeChallenge() == null) {
            // RFC 9700 §2.1.1: a verifier for a code issued without a challenge is a downgrade attempt.
            if (verifier != null) throw refused("code_verifier for a code issued without code_challenge");
        } else if (!Pkce.verifies(verifier, c.codeChallenge())) {
            throw refused(verifier == null ? "code_verifier missing" : "code_verifier does not match");
        }
    }

    private static OAuthException refused(String detail) {
        return new OAuthException(ErrorCode.INVALID_GRANT, INVALID, detail);
    }
}
