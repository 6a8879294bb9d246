package dev.rotor.mfa;

import dev.rotor.account.User;
import dev.rotor.account.UserStore;
import dev.rotor.audit.AuditEvent;
import dev.rotor.audit.AuditLog;
import dev.rotor.audit.RequestInfo;
import dev.rotor.crypto.Sealer;
import dev.rotor.oauth.ErrorCode;
import dev.rotor.oauth.OAuthError;
import dev.rotor.oauth.OAuthException;
import dev.rotor.signin.SecondFactors;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Users' second factors: a TOTP secret (RFC 6238) enrolled, confirmed with a first code and disabled with a fresh
 * one, and the recovery codes that a confirmation issues. As {@link SecondFactors}, what sign-in asks.
 *
 * <p>Each code works once, on every node: a TOTP code is accepted for the current time step or one step either side
 * (RFC 6238 §5.2, for clock drift and typing time), and only for a step later than the last one accepted, which the
 * store moves forward by compare-and-set; a recovery code is spent by a conditional update. Wrong codes are throttled
 * per user ({@link GuessThrottle}), and attempts during the wait are refused unchecked.
 */
public final class TotpFactors implements SecondFactors {
    /**
     * How recent the sign-in behind the request must be to enrol or confirm TOTP: a stolen access token, or one
     * refreshed for days by script in a page, must not be enough to put an attacker's factor on the account.
     */
    public static final Duration RECENT_SIGN_IN = Duration.ofMinutes(10);
    /**
     * Refusals that do not count towards throttling. A replayed TOTP code or an already used recovery code is a right
     * code used twice (two tabs, a retry, a race between nodes), not a guess: counting it would throttle a user for
     * their own double submit, and it cannot advance a search, since it matches only a code already accepted.
     */
    private static final Set<String> NOT_GUESSES = Set.of("replayed", "already_used", "secret_unreadable");
    /** Steps either side of the current one that are still accepted. */
    private static final int WINDOW = 1;

    private final MfaStore store;
    private final UserStore users;
    private final Sealer sealer;
    private final AuditLog audit;
    private final Clock clock;
    private final SecureRandom random;
    private final String issuerName;
    private final Totp totp = Totp.USERS;

    /** @param issuerUrl Rotor's issuer; its host names Rotor in authenticator apps */
    public TotpFactors(MfaStore store, UserStore users, Sealer sealer, AuditLog audit, Clock clock, SecureRandom random, String issuerUrl) {
        this.store = store;
        this.users = users;
        this.sealer = sealer;
        this.audit = audit;
        this.clock = clock;
        this.random = random;
        this.issuerName = OtpAuthUri.issuerName(issuerUrl);
    }

    /**
     * Starts an enrolment: a fresh secret, pending until {@link #confirm}, replacing a pending one.
     *
     * @param authTime when the user signed in (with a password or through single sign-on) for the session asking
     * @throws OAuthException {@code insufficient_user_authentication} when that is more than {@link #RECENT_SIGN_IN}
     *                        ago, {@code mfa_already_enabled} when the user's TOTP is confirmed (nothing changes)
     */
    public TotpEnrolment enroll(String userId, Instant authTime, RequestInfo request) {
        requireRecentSignIn(authTime);
        User user = users.findById(userId).orElseThrow(() -> new OAuthException(ErrorCode.INVALID_REQUEST, "no such user"));
        TotpSecret secret = TotpSecret.generate(random);
        // Everything shown is made before anything is stored: a failure here leaves no pending secret behind.
        String uri = OtpAuthUri.of(issuerName, user.username(), secret, totp);
        TotpEnrolment enrolment = new TotpEnrolment(secret.base32(), uri, QrSvg.of(uri));
        Instant now = clock.instant();
        if (!store.savePending(userId, sealer.seal(secret.key(), associatedData(userId)), now)) throw alreadyEnabled();
        audit.record(AuditEvent.of(now, "mfa.totp.enrolled", userId, null, null, request, Map.of()));
        return enrolment;
    }

    /**
     * Confirms the pending enrolment with a first code of its secret, and issues {@link RecoveryCodes#COUNT} recovery
     * codes (replacing any earlier ones). That code's step counts as used.
     *
     * @param authTime as for {@link #enroll}
     * @throws OAuthException {@code insufficient_user_authentication} as for {@link #enroll}, {@code mfa_not_enabled}
     *                        without a pending enrolment, {@code mfa_already_enabled} when it is confirmed,
     *                        {@code invalid_grant} for a wrong code; nothing changes but the failure count
     */
    public IssuedRecoveryCodes confirm(String userId, String code, Instant authTime, RequestInfo request) {
        requireRecentSignIn(authTime);
        MfaStore.Enrolment pending = store.find(userId)
                .orElseThrow(() -> new OAuthException(ErrorCode.MFA_NOT_ENABLED, "no TOTP enrolment is pending: enroll first"));
        if (pending.confirmed()) throw alreadyEnabled();
        Instant now = clock.instant();
        if (GuessThrottle.isThrottled(pending.failures(), pending.failedAt(), now)) {
            throw refused(userId, TOTP, "confirm", "throttled", request, false);
        }
        Optional<byte[]> key = open(pending);
        if (key.isEmpty()) throw refused(userId, TOTP, "confirm", "secret_unreadable", request, false);
        Match match = match(key.get(), code, totp.step(now), null);
        if (match.step() == null) throw refused(userId, TOTP, "confirm", match.failure(), request, true);
        List<String> codes = RecoveryCodes.generate(random);
        List<String> hashes = codes.stream().map(c -> RecoveryCodes.hash(userId, RecoveryCodes.normalize(c).orElseThrow())).toList();
        if (!store.confirm(userId, pending.sealedSecret(), match.step(), hashes, now)) {
            // Lost to a concurrent confirmation or a new enrolment: the code proved a secret that is no longer pending.
            if (store.find(userId).filter(MfaStore.Enrolment::confirmed).isPresent()) throw alreadyEnabled();
            throw refused(userId, TOTP, "confirm", "enrolment_replaced", request, false);
        }
        audit.record(AuditEvent.of(now, "mfa.totp.confirmed", userId, null, null, request,
                Map.of("recovery_codes", Integer.toString(codes.size()))));
        return new IssuedRecoveryCodes(codes);
    }

    /**
     * Disables TOTP, removing the secret and the recovery codes, after a second factor proved right then (a TOTP code
     * or a recovery code, spent by this check): an access token alone does not remove a factor.
     *
     * @throws OAuthException {@code mfa_not_enabled} without a confirmed TOTP, {@code invalid_grant} for a wrong proof
     */
    public void disable(String userId, Proof proof, RequestInfo request) {
        if (store.find(userId).filter(MfaStore.Enrolment::confirmed).isEmpty()) {
            throw new OAuthException(ErrorCode.MFA_NOT_ENABLED, "TOTP is not enabled");
        }
        if (!verify(userId, proof, "disable", request)) throw wrongCode("see the audit log");
        if (!store.remove(userId)) throw new OAuthException(ErrorCode.MFA_NOT_ENABLED, "TOTP is not enabled");
        audit.record(AuditEvent.of(clock.instant(), "mfa.totp.disabled", userId, null, null, request, Map.of("method", method(proof))));
    }

    @Override
    public List<String> methods(String userId) {
        if (store.find(userId).filter(MfaStore.Enrolment::confirmed).isEmpty()) return List.of();
        return store.unusedRecoveryCodes(userId) > 0 ? List.of(TOTP, RECOVERY_CODE) : List.of(TOTP);
    }

    @Override
    public boolean verify(String userId, Proof proof, RequestInfo request) {
        return verify(userId, proof, "sign_in", request);
    }

    private boolean verify(String userId, Proof proof, String action, RequestInfo request) {
        String method = method(proof);
        Optional<MfaStore.Enrolment> enrolment = store.find(userId).filter(MfaStore.Enrolment::confirmed);
        if (enrolment.isEmpty()) return failed(userId, method, action, "not_enabled", request, false);
        Instant now = clock.instant();
        if (GuessThrottle.isThrottled(enrolment.get().failures(), enrolment.get().failedAt(), now)) {
            return failed(userId, method, action, "throttled", request, false);
        }
        String failure = switch (proof) {
            case Proof.Otp otp -> acceptOtp(enrolment.get(), otp.code(), now);
            case Proof.RecoveryCode recovery -> spendRecoveryCode(userId, recovery.code(), now);
        };
        if (failure != null) return failed(userId, method, action, failure, request, !NOT_GUESSES.contains(failure));
        if (proof instanceof Proof.RecoveryCode) {
            audit.record(AuditEvent.of(now, "mfa.recovery_code.used", userId, null, null, request,
                    Map.of("action", action, "remaining", Integer.toString(store.unusedRecoveryCodes(userId)))));
        }
        return true;
    }

    /** Null when the code is accepted (its step now used), else why not. */
    private String acceptOtp(MfaStore.Enrolment enrolment, String code, Instant now) {
        Optional<byte[]> key = open(enrolment);
        if (key.isEmpty()) return "secret_unreadable";
        Match match = match(key.get(), code, totp.step(now), enrolment.lastStep());
        if (match.step() == null) return match.failure();
        // Another request (on this node or another) may have accepted this step since the read: the store decides.
        return store.acceptStep(enrolment.userId(), match.step()) ? null : "replayed";
    }

    private String spendRecoveryCode(String userId, String typed, Instant now) {
        Optional<String> code = RecoveryCodes.normalize(typed);
        if (code.isEmpty()) return "malformed";
        return switch (store.spendRecoveryCode(userId, RecoveryCodes.hash(userId, code.get()), now)) {
            case SPENT -> null;
            case ALREADY_USED -> "already_used";
            case UNKNOWN -> "wrong_code";
        };
    }

    /** The step a code matched, or why it matched none. */
    private record Match(Long step, String failure) {}

    /**
     * The earliest step within {@link #WINDOW} of {@code current}, and later than {@code lastStep}, whose code is
     * {@code code}. Every step of the window is computed and compared, matched or not, so that the time taken does
     * not tell which step (if any) matched.
     */
    private Match match(byte[] key, String typed, long current, Long lastStep) {
        String code = typed == null ? null : typed.replace(" ", ""); // apps show "123 456"
        if (!totp.isWellFormed(code)) return new Match(null, "malformed");
        Long accepted = null;
        boolean replayed = false;
        for (long step = current - WINDOW; step <= current + WINDOW; step++) {
            boolean matches = totp.matches(key, step, code);
            boolean later = lastStep == null || step > lastStep;
            if (matches && later && accepted == null) accepted = step;
            if (matches && !later) replayed = true;
        }
        if (accepted != null) return new Match(accepted, null);
        return new Match(null, replayed ? "replayed" : "wrong_code");
    }

    private Optional<byte[]> open(MfaStore.Enrolment enrolment) {
        try {
            return Optional.of(sealer.open(enrolment.sealedSecret(), associatedData(enrolment.userId())));
        } catch (GeneralSecurityException e) {
            return Optional.empty(); // a sealed value of another row, or damaged: audited by the caller
        }
    }

    /** Binds a sealed secret to its user: a value copied to another user's row does not open. */
    private static byte[] associatedData(String userId) {
        return ("rotor-mfa-totp:" + userId).getBytes(StandardCharsets.UTF_8);
    }

    /** Audits a refused code (never the code itself), counting it against the user when {@code counted}; false. */
    private boolean failed(String userId, String method, String action, String reason, RequestInfo request, boolean counted) {
        Instant now = clock.instant();
        if (counted) store.recordFailure(userId, now);
        Map<String, String> detail = new LinkedHashMap<>();
        detail.put("method", method);
        detail.put("action", action);
        detail.put("reason", reason);
        audit.record(AuditEvent.of(now, "mfa.failed", userId, null, null, request, detail));
        return false;
    }

    private OAuthException refused(String userId, String method, String action, String reason, RequestInfo request, boolean counted) {
        failed(userId, method, action, reason, request, counted);
        return wrongCode(reason);
    }

    /**
     * One answer for every refused code (wrong, replayed, too old, malformed, throttled), as the token endpoint's MFA
     * grant gives: the reason is in the audit log, not for whoever may be guessing.
     */
    private static OAuthException wrongCode(String detail) {
        return new OAuthException(new OAuthError(ErrorCode.INVALID_GRANT, "the code is wrong, expired or already used", detail));
    }

    /** RFC 9470 §3: the answer names the age it wants ({@code max_age}), so the app can send the user to sign in again. */
    private void requireRecentSignIn(Instant authTime) {
        if (authTime != null && !authTime.isBefore(clock.instant().minus(RECENT_SIGN_IN))) return;
        throw new OAuthException(new OAuthError(ErrorCode.INSUFFICIENT_USER_AUTHENTICATION,
                "sign in again to change the second factor", "auth_time " + authTime + " is older than " + RECENT_SIGN_IN)
                .withHeader("WWW-Authenticate", "Bearer realm=\"rotor\", error=\"insufficient_user_authentication\", "
                        + "error_description=\"sign in again to change the second factor\", max_age=" + RECENT_SIGN_IN.toSeconds()));
    }

    private static OAuthException alreadyEnabled() {
        return new OAuthException(ErrorCode.MFA_ALREADY_ENABLED, "TOTP is enabled already: disable it before enrolling again");
    }

    private static String method(Proof proof) {
        return proof instanceof Proof.Otp ? TOTP : RECOVERY_CODE;
    }
}
