package dev.rotor.signin;

import dev.rotor.audit.RequestInfo;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Second factors for tests of sign-in: each user's methods, and codes that work once each. */
public final class FakeSecondFactors implements SecondFactors {
    private final Map<String, List<String>> methods = new HashMap<>();
    private final Set<String> codes = new HashSet<>();

    /** Gives {@code userId} a TOTP factor and recovery codes, with {@code validCodes} each accepted once. */
    public void enrol(String userId, String... validCodes) {
        methods.put(userId, List.of(TOTP, RECOVERY_CODE));
        for (String c : validCodes) codes.add(userId + ":" + c);
    }

    @Override
    public synchronized List<String> methods(String userId) {
        return methods.getOrDefault(userId, List.of());
    }

    @Override
    public synchronized boolean verify(String userId, Proof proof, RequestInfo request) {
        String code = switch (proof) {
            case Proof.Otp o -> o.code();
            case Proof.RecoveryCode r -> r.code();
        };
        return methods.containsKey(userId) && codes.remove(userId + ":" + code);
    }
}
