package dev.rotor.oauth.authorize;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** {@link AuthorizationCodeStore} in memory for unit tests; checked by the same contract as the SQL store. */
public final class InMemoryAuthorizationCodeStore implements AuthorizationCodeStore {
    private final Map<String, AuthorizationCode> codes = new HashMap<>();

    @Override
    public synchronized void create(String hash, AuthorizationCode code) {
        if (codes.putIfAbsent(hash, code) != null) throw new IllegalStateException("code hash exists");
    }

    @Override
    public synchronized Optional<AuthorizationCode> find(String hash) {
        return Optional.ofNullable(codes.get(hash));
    }

    @Override
    public synchronized boolean redeem(String hash, Instant now) {
        AuthorizationCode c = codes.get(hash);
        if (c == null || c.redeemedAt() != null) return false;
        codes.put(hash, with(c, now, c.familyId()));
        return true;
    }

    @Override
    public synchronized void recordFamily(String hash, String familyId) {
        AuthorizationCode c = codes.get(hash);
        if (c != null) codes.put(hash, with(c, c.redeemedAt(), familyId));
    }

    @Override
    public synchronized int deleteExpired(Instant before) {
        int n = codes.size();
        codes.values().removeIf(c -> c.expiresAt().isBefore(before));
        return n - codes.size();
    }

    /** How many codes are stored, expired and redeemed ones included. */
    public synchronized int size() {
        return codes.size();
    }

    private static AuthorizationCode with(AuthorizationCode c, Instant redeemedAt, String familyId) {
        return new AuthorizationCode(c.clientId(), c.userId(), c.redirectUri(), c.scope(), c.codeChallenge(), c.nonce(), c.ssoSessionId(),
                c.authTime(), c.amr(), c.acr(), c.createdAt(), c.expiresAt(), redeemedAt, familyId);
    }
}
