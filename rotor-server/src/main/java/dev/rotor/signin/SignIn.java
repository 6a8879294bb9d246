package dev.rotor.signin;

import dev.rotor.account.Accounts;
import dev.rotor.account.PasswordPolicy;
import dev.rotor.account.User;
import dev.rotor.account.UserStore;
import dev.rotor.audit.AuditEvent;
import dev.rotor.audit.AuditLog;
import dev.rotor.audit.RequestInfo;
import dev.rotor.risk.Assessment;
import dev.rotor.risk.Decision;
import dev.rotor.risk.RiskEngine;
import dev.rotor.risk.Signal;
import dev.rotor.risk.SignInContext;
import dev.rotor.throttle.Throttle;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The one seam of every password sign-in: the cookie login, the password grant, the hosted sign-in page and the
 * account page all come here and get a {@link SignInOutcome}. In order:
 * <ol>
 * <li>the fields are checked (nothing is counted for a malformed attempt);</li>
 * <li>the throttle is asked before any hashing (a refused attempt costs a database read, not an Argon2 hash); the
 *     account's block does not apply to a device the account signed in from before;</li>
 * <li>an IP on the deny list is denied before any credential is looked at;</li>
 * <li>the password is checked; a failure is counted and audited; a right password ends the source's count;</li>
 * <li>the risk engine scores the sign-in (device, network, country, travel, failures) and the policy decides: deny,
 *     a second factor, or through. A user with a second factor is asked for it in any case, unless the policy trusts
 *     known devices and this is one with nothing else new;</li>
 * <li>a sign-in that goes through is remembered by the risk engine (its device, network, country and place), never
 *     one that was denied or abandoned. Every decision is audited with its score and reasons.</li>
 * </ol>
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
    private final RiskEngine risk;
    private final AuditLog audit;
    private final Clock clock;

    public SignIn(Accounts accounts, UserStore users, Throttle throttle, SecondFactors factors, MfaTokens mfaTokens, RiskEngine risk,
                  AuditLog audit, Clock clock) {
        this.risk = risk;
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
     * @param request     where it comes from, with the device ({@link RequestInfo#deviceHash}) when the surface has one
     */
    public record Attempt(String username, String password, MfaTokens.Surface surface, String clientId, String scope, RequestInfo request) {
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
        Throttle.Verdict verdict = throttle.check(a.username(), ip, false);
        boolean knownDevice = false;
        if (verdict instanceof Throttle.Throttled && a.request().deviceHash() != null) {
            knownDevice = knownDevice(a.username(), a.request().deviceHash());
            if (knownDevice) verdict = throttle.check(a.username(), ip, true);
        }
        if (verdict instanceof Throttle.Throttled t) {
            audit.record(AuditEvent.of(clock.instant(), "login.throttled", null, null, a.clientId(), a.request(),
                    Map.of("username", a.username(), "retry_after", Long.toString(t.retryAfter().toSeconds()))));
            return new SignInOutcome.Throttled(t.retryAfter());
        }
        Optional<Assessment> denyListed = risk.denyListed(ip);
        if (denyListed.isPresent()) {
            Map<String, String> detail = new LinkedHashMap<>(denyListed.get().auditDetail());
            detail.put("username", a.username());
            audit.record(AuditEvent.of(clock.instant(), "login.denied", null, null, a.clientId(), a.request(), detail));
            return new SignInOutcome.Denied(denyListed.get().summary());
        }
        Throttle.Allowed counts = (Throttle.Allowed) verdict;
        return switch (accounts.check(a.username(), a.password())) {
            case Accounts.Valid v -> {
                throttle.succeeded(ip);
                yield assessed(a, v.user(), counts);
            }
            case Accounts.Disabled d -> failed(a, "disabled");
            case Accounts.Invalid i -> failed(a, "bad_credentials");
        };
    }

    /**
     * Finishes a sign-in held for its second factor: the token must be one of ours, fresh, from {@code surface} and for
     * {@code clientId}; the user still enabled; the code right (each code works once; wrong codes are throttled by the
     * second factors themselves). A finished sign-in is remembered by the risk engine as the held one saw it.
     */
    public SignInOutcome secondFactor(String mfaToken, SecondFactors.Proof proof, MfaTokens.Surface surface, String clientId,
                                      RequestInfo request) {
        Optional<MfaTokens.Pending> pending = mfaTokens.open(mfaToken, surface)
                .filter(p -> !p.isRefresh() && Objects.equals(p.clientId(), clientId));
        SignInOutcome outcome = verified(pending, proof, request);
        if (!(outcome instanceof SignInOutcome.Authenticated a)) return outcome;
        MfaTokens.Pending held = pending.get();
        SignInContext c = new SignInContext(held.userId(), request.ip(), request.userAgent(), held.deviceHash(), 0, 0, true, clock.instant());
        Map<String, String> detail = new LinkedHashMap<>();
        detail.put("second_factor", proof instanceof SecondFactors.Proof.Otp ? SecondFactors.TOTP : SecondFactors.RECOVERY_CODE);
        return succeeded(a.user(), c, held.note(), a.note(), held.clientId(), request, detail, AMR_PASSWORD_OTP, ACR_SECOND_FACTOR);
    }

    /**
     * Finishes a refresh held for its second factor: the token must be one of ours, fresh, from {@code surface}, for
     * {@code clientId} and for the session {@code familyId} (the refresh token presented with it is that session's);
     * then as {@link #secondFactor}. Nothing is remembered or audited here: the refresh that follows records its use.
     */
    public SignInOutcome refreshSecondFactor(String mfaToken, SecondFactors.Proof proof, MfaTokens.Surface surface, String clientId,
                                             String familyId, RequestInfo request) {
        return verified(mfaTokens.open(mfaToken, surface)
                .filter(p -> p.isRefresh() && p.familyId().equals(familyId) && Objects.equals(p.clientId(), clientId)), proof, request);
    }

    /**
     * The held user, still enabled, with the right code: authenticated with both factors; the note says how. The code
     * step comes from an address of its own: one on the deny list is denied there too, before the code is checked.
     */
    private SignInOutcome verified(Optional<MfaTokens.Pending> pending, SecondFactors.Proof proof, RequestInfo request) {
        if (pending.isEmpty()) return new SignInOutcome.StepUpExpired();
        MfaTokens.Pending held = pending.get();
        Optional<Assessment> denyListed = risk.denyListed(request.ip());
        if (denyListed.isPresent()) {
            audit.record(AuditEvent.of(clock.instant(), held.isRefresh() ? "refresh.denied" : "login.denied", held.userId(), held.familyId(),
                    held.clientId(), request, denyListed.get().auditDetail()));
            return new SignInOutcome.Denied(denyListed.get().summary());
        }
        Optional<User> user = users.findById(held.userId()).filter(u -> !u.disabled());
        if (user.isEmpty()) return new SignInOutcome.StepUpExpired();
        if (!factors.verify(user.get().id(), proof, request)) return new SignInOutcome.WrongSecondFactor();
        String verified = "verified with " + (proof instanceof SecondFactors.Proof.Otp ? "TOTP" : "a recovery code");
        return new SignInOutcome.Authenticated(user.get(), AMR_PASSWORD_OTP, ACR_SECOND_FACTOR, held.note() == null ? verified : held.note() + ", " + verified);
    }

    /** The sign-in {@code mfaToken} holds, when it opens on {@code surface}: its user, client and scope. */
    public Optional<MfaTokens.Pending> held(String mfaToken, MfaTokens.Surface surface) {
        return mfaTokens.open(mfaToken, surface);
    }

    /** The second factors of the user a held sign-in is for; empty for a token that does not open here. */
    public List<String> heldMethods(String mfaToken, MfaTokens.Surface surface) {
        return mfaTokens.open(mfaToken, surface).map(p -> factors.methods(p.userId())).orElse(List.of());
    }

    /** The risk policy's decision on a sign-in whose password was right (the scorer reads the user's history once). */
    private SignInOutcome assessed(Attempt a, User user, Throttle.Allowed counts) {
        List<String> methods = factors.methods(user.id());
        RequestInfo r = a.request();
        SignInContext c = new SignInContext(user.id(), r.ip(), r.userAgent(), r.deviceHash(), counts.accountFailures(), counts.sourceFailures(),
                !methods.isEmpty(), clock.instant());
        Assessment assessment = risk.assessSignIn(c);
        String note = assessment.has(Signal.NEW_DEVICE) || assessment.has(Signal.NEW_COUNTRY) || assessment.has(Signal.NEW_NETWORK)
                ? assessment.summary() : null;
        if (assessment.decision() == Decision.DENY) {
            audit.record(AuditEvent.of(clock.instant(), "login.denied", user.id(), null, a.clientId(), r, assessment.auditDetail()));
            return new SignInOutcome.Denied(assessment.summary());
        }
        // Read only when it could skip the code: a known device is otherwise the scorer's business.
        boolean trusted = !methods.isEmpty() && risk.policy().trustKnownDevices() && assessment.score() == 0
                && risk.knowsDevice(user.id(), r.deviceHash());
        if (assessment.decision() == Decision.STEP_UP || (!methods.isEmpty() && !trusted)) {
            String reason = assessment.decision() == Decision.STEP_UP ? "risk" : "second_factor_enrolled";
            String token = mfaTokens.seal(new MfaTokens.Pending(user.id(), a.surface(), a.clientId(), a.scope(), clock.instant(),
                    r.deviceHash(), note));
            Map<String, String> detail = new LinkedHashMap<>(assessment.auditDetail());
            detail.put("methods", String.join(" ", methods));
            detail.put("reason", reason);
            audit.record(AuditEvent.of(clock.instant(), "login.step_up", user.id(), null, a.clientId(), r, detail));
            return new SignInOutcome.StepUpRequired(token, methods);
        }
        return succeeded(user, c, note, note, a.clientId(), r, assessment.auditDetail(), AMR_PASSWORD, ACR_PASSWORD);
    }

    /**
     * A sign-in that goes through: remembered by the risk engine, audited as {@code login.allowed}, and as
     * {@code login.new_device} too when the risk engine saw a new device (what a user or a SIEM is told of).
     *
     * @param seen what the risk engine saw (null for nothing new); {@code note} is that and how it was verified
     */
    private SignInOutcome.Authenticated succeeded(User user, SignInContext c, String seen, String note, String clientId, RequestInfo request,
                                                  Map<String, String> detail, List<String> amr, String acr) {
        risk.recordSuccess(c);
        audit.record(AuditEvent.of(clock.instant(), "login.allowed", user.id(), null, clientId, request, detail));
        if (seen != null && seen.contains("new device")) {
            Map<String, String> told = new LinkedHashMap<>();
            told.put("seen", seen);
            String place = risk.place(request.ip()).label();
            if (place != null) told.put("place", place);
            told.put("verified", detail.getOrDefault("second_factor", "password"));
            audit.record(AuditEvent.of(clock.instant(), "login.new_device", user.id(), null, clientId, request, told));
        }
        return new SignInOutcome.Authenticated(user, amr, acr, note);
    }

    /**
     * Whether {@code deviceHash} is a device the account signed in from. The same reads whether or not the user exists
     * (the history of an unknown user is read too, and is empty), so that a throttled answer does not take longer for
     * a real account.
     */
    private boolean knownDevice(String username, String deviceHash) {
        String userId = users.findByUsername(username).map(User::id).orElse(NO_USER);
        return risk.knowsDevice(userId, deviceHash);
    }

    /** An id no user has (ids are UUIDs): what {@link #knownDevice} reads for an unknown username. */
    private static final String NO_USER = "";

    private SignInOutcome failed(Attempt a, String reason) {
        throttle.failed(a.username(), a.request().ip());
        audit.record(AuditEvent.of(clock.instant(), "login.failed", null, null, a.clientId(), a.request(),
                Map.of("username", a.username(), "reason", reason)));
        return new SignInOutcome.BadCredentials();
    }
}
