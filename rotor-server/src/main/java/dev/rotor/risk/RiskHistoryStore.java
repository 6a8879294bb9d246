package dev.rotor.risk;

import java.util.List;

/**
 * Persistence of {@link RiskHistory}. Bounded: each user keeps at most {@code keep} values of each kind (devices,
 * networks, countries); when a new one would exceed it, the least recently seen are forgotten (ties: the smallest
 * value first), so a user costs a fixed amount of storage however many places they sign in from.
 */
public interface RiskHistoryStore {
    /** The user's history; {@link RiskHistory#EMPTY} for a user with none (never null, never an error). */
    RiskHistory find(String userId);

    /**
     * Remembers a successful sign-in, atomically: every value given is marked seen at {@code last.at()} (added if new;
     * a value's last-seen time never moves back), each kind is trimmed to {@code keep}, and {@code last} becomes the
     * user's last sign-in unless the stored one is later (two nodes recording out of order keep the newer).
     *
     * @param deviceHash null when the sign-in had no device id
     * @param networks   the network prefix and, when known, {@code AS<number>}; may be empty
     * @param country    null when unknown
     */
    void recordSignIn(String userId, String deviceHash, List<String> networks, String country, RiskHistory.LastSignIn last, int keep);

    /** Forgets everything about the user (their account is gone, or an operator resets it); a no-op when there is nothing. */
    void forget(String userId);
}
