package dev.rotor.oauth;

import dev.rotor.audit.RequestInfo;
import dev.rotor.session.RefreshTokenFamily;
import dev.rotor.session.Sessions;
import dev.rotor.signin.SignIn;
import dev.rotor.signin.SignInOutcome;
import java.time.Duration;
import java.util.List;

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

    /** How a surface words its refusals: the code and status of a wrong password and of a second factor asked for. */
    public record Surface(ErrorCode badCredentials, int stepUpStatus) {
        /** The cookie API: {@code 401 invalid_credentials}, {@code 401 mfa_required}. */
        public static final Surface COOKIE = new Surface(ErrorCode.INVALID_CREDENTIALS, 401);
        /** The password grant (RFC 6749 §5.2): {@code 400 invalid_grant}, {@code 403 mfa_required}. */
        public static final Surface TOKEN_ENDPOINT = new Surface(ErrorCode.INVALID_GRANT, 403);
    }

    /**
     * A new session when the credentials are right and nothing else is asked.
     *
     * @throws OAuthException the surface's answer to every other outcome ({@link #refusal})
     */
    public Sessions.Started signIn(Client client, String username, String password, String scope, RefreshTokenFamily.Channel channel,
                                   RequestInfo request, Surface surface) {
        SignInOutcome outcome = check(client.id(), username, password, request);
        if (outcome instanceof SignInOutcome.Authenticated a) {
            return sessions.start(a.user().id(), client.id(), scope, a.amr(), a.acr(), channel, request);
        }
        throw new OAuthException(refusal(outcome, surface));
    }

    /** The one check behind every password sign-in. @param clientId audited with a failure; null for none */
    public SignInOutcome check(String clientId, String username, String password, RequestInfo request) {
        return signIn.password(new SignIn.Attempt(username, password, clientId, request, false));
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
            case SignInOutcome.Authenticated a -> throw new IllegalArgumentException("not a refusal");
        };
    }

    private static String seconds(Duration d) {
        return Long.toString(Math.max(1, d.toSeconds()));
    }
}
