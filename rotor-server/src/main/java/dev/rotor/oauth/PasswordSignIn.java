package dev.rotor.oauth;

import dev.rotor.audit.RequestInfo;
import dev.rotor.session.RefreshTokenFamily;
import dev.rotor.session.Sessions;
import dev.rotor.signin.MfaTokens;
import dev.rotor.signin.SecondFactors;
import dev.rotor.signin.SignIn;
import dev.rotor.signin.SignInOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Password sign-in for the surfaces that start a refresh-token family with it (the password grant and the cookie
 * login): {@link SignIn} decides, and a sign-in that is {@link SignInOutcome.Authenticated} starts the family. Each
 * surface turns a refusal into its own answer ({@link #refusal}).
 */
public final class PasswordSignIn {
    /** OIDC {@code acr} for a single-factor sign-in; step-up raises it. */
    public static final String ACR_PASSWORD = SignIn.ACR_PASSWORD;
    public static final int MAX_USERNAME = SignIn.MAX_USERNAME;
    /** OIDC {@code amr} (RFC 8176) of a password sign-in. */
    public static final List<String> AMR_PASSWORD = SignIn.AMR_PASSWORD;

    private final SignIn signIn;
    private final Sessions sessions;

    public PasswordSignIn(SignIn signIn, Sessions sessions) {
        this.signIn = signIn;
        this.sessions = sessions;
    }

    /**
     * A surface that starts families: where a held sign-in is finished, and how it words its refusals (the code and
     * status of a wrong password and of a second factor asked for).
     */
    public record Surface(MfaTokens.Surface held, ErrorCode badCredentials, int stepUpStatus) {
        /** The cookie API: {@code 401 invalid_credentials}, {@code 401 mfa_required}. */
        public static final Surface COOKIE = new Surface(MfaTokens.Surface.COOKIE, ErrorCode.INVALID_CREDENTIALS, 401);
        /** The password grant (RFC 6749 §5.2): {@code 400 invalid_grant}, {@code 403 mfa_required}. */
        public static final Surface TOKEN_ENDPOINT = new Surface(MfaTokens.Surface.TOKEN_ENDPOINT, ErrorCode.INVALID_GRANT, 403);

        /** The surface whose families travel over {@code channel}; the token endpoint for a family from before channels. */
        public static Surface of(RefreshTokenFamily.Channel channel) {
            return channel == RefreshTokenFamily.Channel.COOKIE ? COOKIE : TOKEN_ENDPOINT;
        }
    }

    /**
     * A new session when the credentials are right and nothing else is asked.
     *
     * @throws OAuthException the surface's answer to every other outcome ({@link #refusal})
     */
    public Sessions.Started signIn(Client client, String username, String password, String scope, RefreshTokenFamily.Channel channel,
                                   RequestInfo request, Surface surface) {
        return started(signIn.password(new SignIn.Attempt(username, password, surface.held(), client.id(), scope, request)), client, scope,
                channel, request, surface);
    }

    /**
     * Finishes a sign-in held for a second factor on {@code surface} for {@code client}: a new session with the
     * scope the password sign-in asked for.
     *
     * @throws OAuthException the surface's answer to every other outcome; {@code invalid_grant} for an expired token
     */
    public Sessions.Started secondFactor(Client client, String mfaToken, SecondFactors.Proof proof, RefreshTokenFamily.Channel channel,
                                         RequestInfo request, Surface surface) {
        String scope = signIn.held(mfaToken, surface.held()).map(MfaTokens.Pending::scope).orElse(null);
        return started(signIn.secondFactor(mfaToken, proof, surface.held(), client.id(), request), client, scope, channel, request, surface);
    }

    private Sessions.Started started(SignInOutcome outcome, Client client, String scope, RefreshTokenFamily.Channel channel, RequestInfo request,
                                     Surface surface) {
        if (outcome instanceof SignInOutcome.Authenticated a) {
            return sessions.start(a.user().id(), client.id(), scope, a.amr(), a.acr(), channel, request, a.note());
        }
        throw new OAuthException(refusal(outcome, surface));
    }

    /**
     * The one check behind every password sign-in on a page (which starts a single sign-on session, not a family).
     *
     * @param clientId audited with a failure; null for none
     */
    public SignInOutcome check(String clientId, String username, String password, RequestInfo request) {
        return signIn.password(new SignIn.Attempt(username, password, MfaTokens.Surface.PAGE, clientId, null, request));
    }

    /** What {@code mfaToken} holds on {@code surface} (a sign-in or a refresh); empty for a token that does not open there. */
    public Optional<MfaTokens.Pending> held(String mfaToken, Surface surface) {
        return signIn.held(mfaToken, surface.held());
    }

    /**
     * Checks the second factor of a refresh of session {@code familyId} held on {@code surface} for {@code client}: what
     * the refresh then carries into the session ({@code otp} in {@code amr}, the raised {@code acr}).
     *
     * @throws OAuthException the surface's answer to a wrong code, or to a token that is expired or not this session's
     */
    public Sessions.StepUp refreshStepUp(Client client, String mfaToken, SecondFactors.Proof proof, String familyId, RequestInfo request,
                                         Surface surface) {
        SignInOutcome outcome = signIn.refreshSecondFactor(mfaToken, proof, surface.held(), client.id(), familyId, request);
        if (outcome instanceof SignInOutcome.Authenticated a) return new Sessions.StepUp(a.amr(), a.acr());
        throw new OAuthException(refusal(outcome, surface));
    }

    /** Finishes a sign-in held for a second factor on a page. @param clientId the page's client; null for none */
    public SignInOutcome secondFactor(String clientId, String mfaToken, SecondFactors.Proof proof, RequestInfo request) {
        return signIn.secondFactor(mfaToken, proof, MfaTokens.Surface.PAGE, clientId, request);
    }

    /** The second factors of the user whose page sign-in {@code mfaToken} holds; empty for a token that does not open. */
    public List<String> heldMethods(String mfaToken) {
        return signIn.heldMethods(mfaToken, MfaTokens.Surface.PAGE);
    }

    /** What {@code surface} answers to an outcome that starts nothing. */
    public static OAuthError refusal(SignInOutcome outcome, Surface surface) {
        return switch (outcome) {
            case SignInOutcome.Malformed m -> OAuthError.of(ErrorCode.INVALID_REQUEST, m.problem());
            case SignInOutcome.BadCredentials b -> OAuthError.of(surface.badCredentials(), "invalid username or password");
            case SignInOutcome.Throttled t -> new OAuthError(ErrorCode.SLOW_DOWN, "too many failed sign-ins; try again later",
                    "throttled for " + t.retryAfter().toSeconds() + " s").withHeader("Retry-After", seconds(t.retryAfter()));
            case SignInOutcome.Denied d -> new OAuthError(ErrorCode.ACCESS_DENIED, "the sign-in was refused", "denied: " + d.reason());
            case SignInOutcome.StepUpRequired s -> new OAuthError(ErrorCode.MFA_REQUIRED, "a second factor is required", "step-up required")
                    .withStatus(surface.stepUpStatus()).withExtra("mfa_token", s.mfaToken()).withExtra("mfa_methods", s.methods());
            case SignInOutcome.WrongSecondFactor w -> OAuthError.of(surface.badCredentials(), "the code is wrong or was used already");
            case SignInOutcome.StepUpExpired x -> OAuthError.of(ErrorCode.INVALID_GRANT, "the mfa_token is invalid or expired; sign in again");
            case SignInOutcome.Authenticated a -> throw new IllegalArgumentException("not a refusal");
        };
    }

    private static String seconds(Duration d) {
        return Long.toString(Math.max(1, d.toSeconds()));
    }
}
