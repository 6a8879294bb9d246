package dev.rotor.mfa;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link MfaStore} in memory for unit tests: each method is atomic under the store's lock, as one SQL transaction is. */
public final class InMemoryMfaStore implements MfaStore {
    private final Map<String, Enrolment> enrolments = new HashMap<>();
    /** Per user: code hash to when it was used (null while unused). */
    private final Map<String, Map<String, Instant>> codes = new HashMap<>();
    private int acceptSteps;

    @Override
    public synchronized Optional<Enrolment> find(String userId) {
        return Optional.ofNullable(enrolments.get(userId));
    }

    @Override
    public synchronized boolean savePending(String userId, byte[] sealedSecret, Instant now) {
        Enrolment had = enrolments.get(userId);
        if (had != null && had.confirmed()) return false;
        enrolments.put(userId, new Enrolment(userId, sealedSecret.clone(), now, null, null, 0, null));
        return true;
    }

    @Override
    public synchronized boolean confirm(String userId, byte[] sealedSecret, long step, List<String> recoveryCodeHashes, Instant now) {
        Enrolment e = enrolments.get(userId);
        if (e == null || e.confirmed() || !java.util.Arrays.equals(e.sealedSecret(), sealedSecret)) return false;
        enrolments.put(userId, new Enrolment(userId, e.sealedSecret(), e.createdAt(), now, step, 0, null));
        Map<String, Instant> fresh = new LinkedHashMap<>();
        for (String hash : recoveryCodeHashes) fresh.put(hash, null);
        codes.put(userId, fresh);
        return true;
    }

    /** How many compare-and-sets of a step were asked for, won or lost. */
    public synchronized int acceptSteps() {
        return acceptSteps;
    }

    @Override
    public synchronized boolean acceptStep(String userId, long step) {
        acceptSteps++;
        Enrolment e = enrolments.get(userId);
        if (e == null || !e.confirmed() || (e.lastStep() != null && e.lastStep() >= step)) return false;
        enrolments.put(userId, new Enrolment(userId, e.sealedSecret(), e.createdAt(), e.confirmedAt(), step, 0, null));
        return true;
    }

    @Override
    public synchronized void recordFailure(String userId, Instant now) {
        Enrolment e = enrolments.get(userId);
        if (e != null) enrolments.put(userId, new Enrolment(userId, e.sealedSecret(), e.createdAt(), e.confirmedAt(), e.lastStep(), e.failures() + 1, now));
    }

    @Override
    public synchronized Spend spendRecoveryCode(String userId, String codeHash, Instant now) {
        Map<String, Instant> mine = codes.get(userId);
        if (mine == null || !mine.containsKey(codeHash)) return Spend.UNKNOWN;
        if (mine.get(codeHash) != null) return Spend.ALREADY_USED;
        mine.put(codeHash, now);
        Enrolment e = enrolments.get(userId);
        if (e != null) enrolments.put(userId, new Enrolment(userId, e.sealedSecret(), e.createdAt(), e.confirmedAt(), e.lastStep(), 0, null));
        return Spend.SPENT;
    }

    @Override
    public synchronized int unusedRecoveryCodes(String userId) {
        return (int) codes.getOrDefault(userId, Map.of()).values().stream().filter(java.util.Objects::isNull).count();
    }

    @Override
    public synchronized boolean remove(String userId) {
        codes.remove(userId);
        return enrolments.remove(userId) != null;
    }
}
