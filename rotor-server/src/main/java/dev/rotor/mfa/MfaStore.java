package dev.rotor.mfa;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Persistence of users' second factors: one TOTP secret per user (sealed by the caller; the store never sees it in
 * the clear) and its recovery codes (by hash only). The store reads and applies conditional changes; every rule
 * (which step is acceptable, when a user is throttled) is {@link TotpFactors}'s. Each method is one atomic step, also
 * across nodes sharing one database.
 */
public interface MfaStore {

    /**
     * A user's TOTP enrolment as stored: its sealed secret and what the rules need of it.
     *
     * @param confirmedAt null while the enrolment is pending
     * @param lastStep    the time step of the last code accepted, null before the first
     * @param failures    wrong codes (TOTP or recovery) since the last accepted one
     * @param failedAt    when the last of those was, null when there was none
     */
    record Enrolment(String userId, byte[] sealedSecret, Instant createdAt, Instant confirmedAt, Long lastStep, int failures,
                Instant failedAt) {
        public boolean confirmed() {
            return confirmedAt != null;
        }

        @Override
        public String toString() {
            return "Enrolment[userId=" + userId + ", confirmed=" + confirmed() + ", lastStep=" + lastStep + ", failures=" + failures + "]";
        }
    }

    /** The user's TOTP secret, pending or confirmed; empty when there is none. */
    Optional<Enrolment> find(String userId);

    /**
     * Stores a pending secret for the user, replacing a pending one (its steps and failures are forgotten with it).
     * False, changing nothing, when the user's secret is confirmed.
     */
    boolean savePending(String userId, byte[] sealedSecret, Instant now);

    /**
     * In one transaction: confirms the pending secret that is exactly {@code sealedSecret}, records {@code step} as its
     * last accepted step, and replaces the user's recovery codes with {@code recoveryCodeHashes} (all unused). False,
     * changing nothing, when the user's secret is not that pending one any more (replaced, confirmed or removed).
     */
    boolean confirm(String userId, byte[] sealedSecret, long step, List<String> recoveryCodeHashes, Instant now);

    /**
     * Compare-and-set: records {@code step} as the last accepted step of the user's confirmed secret and clears its
     * failures, only if no step as late or later was accepted before. False, changing nothing, when one was (the code
     * was used already, here or on another node) or when the user has no confirmed secret.
     */
    boolean acceptStep(String userId, long step);

    /** Counts one more wrong code on the user's secret, pending or confirmed; a no-op when there is none. */
    void recordFailure(String userId, Instant now);

    /** What spending a recovery code did. */
    enum Spend {
        /** The code was unused and is now used. */
        SPENT,
        /** The user has this code, used before (of two concurrent spends, the loser sees this). */
        ALREADY_USED,
        /** The user has no such code. */
        UNKNOWN
    }

    /**
     * Marks the user's unused recovery code with this hash used and clears the secret's failures ({@link Spend#SPENT});
     * otherwise changes nothing and says why not. Only one of two concurrent spends of one code is {@code SPENT}.
     */
    Spend spendRecoveryCode(String userId, String codeHash, Instant now);

    /** How many of the user's recovery codes are unused; 0 when there are none. */
    int unusedRecoveryCodes(String userId);

    /** Removes the user's secret and recovery codes in one transaction; false when there was no secret. */
    boolean remove(String userId);
}
