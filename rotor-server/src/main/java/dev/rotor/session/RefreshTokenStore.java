package dev.rotor.session;

import dev.rotor.audit.AuditEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Persistence of refresh-token families: reads, and conditional changes that report whether they took effect. The
 * store runs no rotation rule; {@link Sessions} decides with {@link RotationRules}. Writes are durable when they
 * return.
 */
public interface RefreshTokenStore {

    /** Creates the family (its first token is generation 0) with its audit event, atomically. */
    void create(RefreshTokenFamily family, AuditEvent event);

    /** The family as stored now, revoked or expired ones included; empty when there is none (never made, or deleted). */
    Optional<RefreshTokenFamily> find(String familyId);

    /**
     * The family and generation of a token issued before tokens named them, by the token's SHA-256; empty when no
     * such token is known.
     */
    Optional<PresentedToken> findLegacy(String tokenHash);

    /** The recorded first use of generation {@code generation} of the family; empty when it was never used or is forgotten. */
    Optional<TokenUse> findUse(String familyId, int generation);

    /** The family's kept uses, newest first. */
    List<TokenUse> uses(String familyId);

    /**
     * Applies {@code change} if the family is still in the state it is conditional on (see each change), atomically
     * with what it writes; false, with nothing written, when it is not. Of any number of concurrent changes
     * conditional on one state, on this node or on others sharing the database, at most one takes effect.
     */
    boolean apply(FamilyChange change);

    /** Families of the user that are not revoked and not past their absolute expiry, newest first. */
    List<RefreshTokenFamily> listForUser(String userId, Instant now);

    /** Every non-revoked, unexpired family (newest first, at most {@code limit}). */
    List<RefreshTokenFamily> listActive(Instant now, int limit);

    /**
     * Revokes every live family of a user with one audit event that counts them, and queues {@code notices}
     * (back-channel logouts) in the same transaction; returns how many.
     */
    int revokeAllForUser(String userId, String reason, Instant now, AuditEvent event, List<LogoutNotice> notices);

    /**
     * Deletes families whose absolute expiry is before {@code expiredBefore}, with their history and any tokens of the
     * old format (revoked families stay until then, for the audit trail); returns how many families were deleted.
     * Safe to run on every node at once.
     */
    int deleteExpired(Instant expiredBefore);
}
