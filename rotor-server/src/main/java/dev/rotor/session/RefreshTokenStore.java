package dev.rotor.session;

import dev.rotor.audit.AuditEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Persistence of sessions (refresh-token families) and their refresh tokens, by hash only.
 */
public interface RefreshTokenStore {

    /** Creates the family and its first token (generation 0) atomically, with the audit event, durably. */
    void create(Session session, String firstTokenHash, AuditEvent event);

    /**
     * The atomic rotation step of DESIGN.md §4. In one transaction per family: read the presented token and its
     * family, ask {@code rules} for a decision, apply it (ROTATE: mark used with a conditional update, insert the
     * successor with the attempt's sealed plaintext, touch the family; GRACE_REPLAY: touch the family; REUSE:
     * revoke the family, wipe its grace secret and append {@link RotationRules#reuseEvent}), commit durably, then
     * return. {@link TokenState#graceSealed()} of a used token is its successor's sealed plaintext, if still kept.
     * Of any number of concurrent attempts with one token, on this node or others, exactly one sees ROTATE.
     */
    RotationResult rotate(RotationAttempt attempt, RotationRules rules);

    /** The family of a token hash, used or not; empty when unknown. */
    Optional<Session> findByTokenHash(String tokenHash);

    Optional<Session> find(String sessionId);

    /** Sessions of the user that are not revoked and not past their absolute expiry, newest first. */
    List<Session> listForUser(String userId, Instant now);

    /** Every non-revoked, unexpired session (newest first, at most {@code limit}). */
    List<Session> listActive(Instant now, int limit);

    /** Revokes one family with the audit event; false when it was unknown or already revoked. */
    boolean revoke(String sessionId, String reason, Instant now, AuditEvent event);

    /** Revokes every live family of a user; returns how many. */
    int revokeAllForUser(String userId, String reason, Instant now, AuditEvent event);

    /**
     * Wipes the grace-window secrets of tokens created before {@code createdBefore} (their window is over). Works
     * in small transactions so that rotations are not held up; returns how many were wiped.
     */
    int wipeGraceSecrets(Instant createdBefore);

    /**
     * Deletes families whose absolute expiry is before {@code expiredBefore}, with all their tokens (revoked
     * families stay until then, for the audit trail); returns how many families were deleted.
     */
    int deleteExpired(Instant expiredBefore);
}
