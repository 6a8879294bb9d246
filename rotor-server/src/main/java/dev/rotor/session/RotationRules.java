package dev.rotor.session;

import dev.rotor.audit.AuditEvent;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The rotation and reuse-detection rules of DESIGN.md §4 as pure functions of the stored state and the attempt.
 * The store calls them inside the one transaction that reads and writes the family.
 */
public final class RotationRules {
    private final Duration grace;
    private final Duration idleTtl;

    public RotationRules(Duration grace, Duration idleTtl) {
        this.grace = grace;
        this.idleTtl = idleTtl;
    }

    /**
     * @param token   the presented token's row, or null when the hash is unknown
     * @param session its family
     */
    public Decision decide(TokenState token, Session session, String currentHash, RotationAttempt attempt) {
        if (token == null || session == null) return Decision.UNKNOWN;
        Decision refused = refusal(session, attempt);
        if (refused != null) return refused;
        if (!token.isUsed()) return Decision.ROTATE;
        boolean withinGrace = token.graceSealed() != null && token.graceUntil() != null
                && attempt.now().isBefore(token.graceUntil());
        boolean successorCurrent = token.successorHash() != null && token.successorHash().equals(currentHash);
        if (withinGrace && successorCurrent) return Decision.GRACE_REPLAY;
        // RFC 6819 §5.2.2.3 / OAuth 2.0 Security BCP §4.14.2: a replayed refresh token means one of the two
        // holders is an attacker, and we cannot tell which, so the whole family dies.
        return Decision.REUSE;
    }

    /**
     * The refusals that depend on the family alone, whatever the token (so a store can answer them before it
     * looks up how the token was used); null when none applies.
     */
    public Decision refusal(Session session, RotationAttempt attempt) {
        // RFC 6749 §6: the refresh token was issued to the authenticated client; anyone else learns nothing.
        if (!session.clientId().equals(attempt.clientId())) return Decision.WRONG_CLIENT;
        if (session.isRevoked()) return Decision.REVOKED;
        if (session.isExpired(attempt.now(), idleTtl)) return Decision.EXPIRED;
        return null;
    }

    /** End of the grace window for a token used at {@code attempt.now()}; null when grace is off. */
    public java.time.Instant graceUntil(RotationAttempt attempt) {
        return grace.isZero() ? null : attempt.now().plus(grace);
    }

    /** The audit record of a detected reuse, carrying both uses of the token. */
    public AuditEvent reuseEvent(TokenState token, Session session, RotationAttempt attempt) {
        Map<String, String> detail = new LinkedHashMap<>();
        detail.put("generation", Integer.toString(token.generation()));
        detail.put("family_generation", Integer.toString(session.generation()));
        detail.put("first_use_at", String.valueOf(token.usedAt()));
        detail.put("first_use_ip", String.valueOf(token.usedIp()));
        detail.put("first_use_user_agent", String.valueOf(token.usedUserAgent()));
        detail.put("reuse_at", attempt.now().toString());
        detail.put("reuse_ip", String.valueOf(attempt.request().ip()));
        detail.put("reuse_user_agent", String.valueOf(attempt.request().userAgent()));
        return AuditEvent.of(attempt.now(), "refresh_token.reuse_detected", session.userId(), session.id(),
                session.clientId(), attempt.request(), detail);
    }
}
