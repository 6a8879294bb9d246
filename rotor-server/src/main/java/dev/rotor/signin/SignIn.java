package dev.rotor.signin;

import dev.rotor.account.Accounts;
import dev.rotor.account.PasswordPolicy;
import dev.rotor.audit.AuditEvent;
import dev.rotor.audit.AuditLog;
import dev.rotor.audit.RequestInfo;
import dev.rotor.throttle.Throttle;
import java.time.Clock;
import java.util.List;
import java.util.Map;

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
    /** OIDC {@code amr} (RFC 8176) of a password sign-in. */
    public static final List<String> AMR_PASSWORD = List.of("pwd");
    public static final int MAX_USERNAME = 256;

    private final Accounts accounts;
    private final Throttle throttle;
    private final AuditLog audit;
    private final Clock clock;

    public SignIn(Accounts accounts, Throttle throttle, AuditLog audit, Clock clock) {
        this.accounts = accounts;
        this.throttle = throttle;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * A username and password typed on some surface.
     *
     * @param clientId    the client the sign-in is for, as audited; null for none (the account page)
     * @param knownDevice whether the request comes from a device this account signed in from before
     */
    public record Attempt(String username, String password, String clientId, RequestInfo request, boolean knownDevice) {
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
                yield new SignInOutcome.Authenticated(v.user(), AMR_PASSWORD, ACR_PASSWORD);
            }
            case Accounts.Disabled d -> failed(a, "disabled");
            case Accounts.Invalid i -> failed(a, "bad_credentials");
        };
    }

    private SignInOutcome failed(Attempt a, String reason) {
        throttle.failed(a.username(), a.request().ip());
        audit.record(AuditEvent.of(clock.instant(), "login.failed", null, null, a.clientId(), a.request(),
                Map.of("username", a.username(), "reason", reason)));
        return new SignInOutcome.BadCredentials();
    }
}
