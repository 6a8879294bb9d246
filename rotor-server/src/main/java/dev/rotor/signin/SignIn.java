package dev.rotor.signin;

import dev.rotor.account.Accounts;
import dev.rotor.account.PasswordPolicy;
import dev.rotor.account.User;
import dev.rotor.account.UserStore;
import dev.rotor.audit.AuditEvent;
import dev.rotor.audit.AuditLog;
import dev.rotor.audit.RequestInfo;
import dev.rotor.throttle.Throttle;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The one seam of every password sign-in: the cookie login, the password grant, the hosted sign-in page and the
 * account page all come here and get a {@link SignInOutcome}. In order: the fields are checked (nothing is counted
 * for a malformed attempt); the throttle is asked
 * before any hashing (a refused attempt costs a database read, not an Argon2 hash); the password is checked, and a
 * failure is counted and audited; a right password ends the source's count.
 */
public final class SignIn {
    /** OIDC {@code acr} for a single-factor sign-in; step-up raises it. */
    public static final String ACR_PASSWORD = "1";
    /** OIDC {@code acr} once a second factor was shown too. */
    public static final String ACR_SECOND_FACTOR = "2";
    /** OIDC {@code amr} (RFC 8176) of a password sign-in. */
    public static final List<String> AMR_PASSWORD = List.of("pwd");
    /** RFC 8176: a password and a one-time code (TOTP or a recovery code), two factors. */
    public static final List<String> AMR_PASSWORD_OTP = List.of("pwd", "otp", "mfa");
    public static final int MAX_USERNAME = 256;

    private final Accounts accounts;
    private final UserStore users;
    private final Throttle throttle;
    private final SecondFactors factors;
    private final MfaTokens mfaTokens;
    private final AuditLog audit;
    private final Clock clock;

    public SignIn(Accounts accounts, UserStore users, Throttle throttle, SecondFactors factors, MfaTokens mfaTokens, AuditLog audit, Clock clock) {
        this.accounts = accounts;
        this.users = users;
        this.throttle = throttle;
        this.factors = factors;
        this.mfaTokens = mfaTokens;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * A username and password typed on some surface.
     *
     * @param surface     where the sign-in happens, and so where a held one may be finished
     * @param clientId    the client the sign-in is for, as audited; null for none (the account page)
     * @param scope       what the sign-in will grant, kept with a held one; null when the surface decides later
     * @param knownDevice whether the request comes from a device this account signed in from before
     */
    public record Attempt(String username, String password, MfaTokens.Surface surface, String clientId, String scope, RequestInfo request,
                          boolean knownDevice) {
        @Override
        public String toString() {
            return "Attempt[username=" + username + ", clientId=" + clientId + "]";
        }
    }

    public SignInOutcome password(Attempt a) {
        if (a.username() == null || a.username().isEmpty()) return new SignInOutcome.Malformed("missing parameter: username");
        if (a.password() == null || a.password().isEmpty()) return new SignInOutcome.Malformed("missing parameter: password");
        if (a.username().length() > MAX_USERNAME) return new SignInOutcome.Malformed("username too long");
        if (a.password().length() > PasswordPolicy.MAX_LENGTH * 4) return new SignInOutcome.Malformed("password too long");
        String ip = a.request().ip();
        if (throttle.check(a.username(), ip, a.knownDevice()) instanceof Throttle.Throttled t) {
            audit.record(AuditEvent.of(clock.instant(), "login.throttled", null, null, a.clientId(), a.request(),
                    Map.of("username", a.username(), "retry_after", Long.toString(t.retryAfter().toSeconds()))));
            return new SignInOutcome.Throttled(t.retryAfter());
        }
        return switch (accounts.check(a.username(), a.password())) {
            case Accounts.Valid v -> {
                throttle.succeeded(ip);
                yield secondFactorIfAny(a, v.user());
            }
            case Accounts.Disabled d -> failed(a, "disabled");
            case Accounts.Invalid i -> failed(a, "bad_credentials");
        };
    }

    /**
     * Finishes a sign-in held for its second factor: the token must be one of ours, fresh, from {@code surface} and for
     * {@code clientId}; the user still enabled; the code right (each code works once; wrong codes are throttled by the
     * second factors themselves).
     */
    public SignInOutcome secondFactor(String mfaToken, SecondFactors.Proof proof, MfaTokens.Surface surface, String clientId,
                                      RequestInfo request) {
        Optional<MfaTokens.Pending> pending = mfaTokens.open(mfaToken, surface).filter(p -> Objects.equals(p.clientId(), clientId));
        if (pending.isEmpty()) return new SignInOutcome.StepUpExpired();
        Optional<User> user = users.findById(pending.get().userId()).filter(u -> !u.disabled());
        if (user.isEmpty()) return new SignInOutcome.StepUpExpired();
        if (!factors.verify(user.get().id(), proof, request)) return new SignInOutcome.WrongSecondFactor();
        return new SignInOutcome.Authenticated(user.get(), AMR_PASSWORD_OTP, ACR_SECOND_FACTOR);
    }

    /** The sign-in {@code mfaToken} holds, when it opens on {@code surface}: its user, client and scope. */
    public Optional<MfaTokens.Pending> held(String mfaToken, MfaTokens.Surface surface) {
        return mfaTokens.open(mfaToken, surface);
    }

    /** The second factors of the user a held sign-in is for; empty for a token that does not open here. */
    public List<String> heldMethods(String mfaToken, MfaTokens.Surface surface) {
        return mfaTokens.open(mfaToken, surface).map(p -> factors.methods(p.userId())).orElse(List.of());
    }

    /** A user with a second factor is asked for it at every password sign-in. */
    private SignInOutcome secondFactorIfAny(Attempt a, User user) {
        List<String> methods = factors.methods(user.id());
        if (methods.isEmpty()) return new SignInOutcome.Authenticated(user, AMR_PASSWORD, ACR_PASSWORD);
        String token = mfaTokens.seal(new MfaTokens.Pending(user.id(), a.surface(), a.clientId(), a.scope(), clock.instant()));
        audit.record(AuditEvent.of(clock.instant(), "login.step_up", user.id(), null, a.clientId(), a.request(),
                Map.of("methods", String.join(" ", methods), "reason", "second_factor_enrolled")));
        return new SignInOutcome.StepUpRequired(token, methods);
    }

    private SignInOutcome failed(Attempt a, String reason) {
        throttle.failed(a.username(), a.request().ip());
        audit.record(AuditEvent.of(clock.instant(), "login.failed", null, null, a.clientId(), a.request(),
                Map.of("username", a.username(), "reason", reason)));
        return new SignInOutcome.BadCredentials();
    }
}
