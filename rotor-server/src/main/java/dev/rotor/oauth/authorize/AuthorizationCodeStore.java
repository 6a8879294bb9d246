package dev.rotor.oauth.authorize;

import java.time.Instant;
import java.util.Optional;

/** Persistence of authorization codes, by the SHA-256 of the code; the code itself is never stored. */
public interface AuthorizationCodeStore {
    void create(String hash, AuthorizationCode code);

    /** The code as stored, redeemed or expired ones included; empty when unknown (or deleted after expiry). */
    Optional<AuthorizationCode> find(String hash);

    /**
     * Marks the code redeemed at {@code now} if it is not redeemed yet; true when this call did. Of any number of
     * concurrent calls for one code, on any number of nodes, exactly one gets true.
     */
    boolean redeem(String hash, Instant now);

    /** Records the family a redemption started, so a second redemption can revoke it. */
    void recordFamily(String hash, String familyId);

    /** Deletes codes that expired before {@code before}; returns how many. */
    int deleteExpired(Instant before);
}
