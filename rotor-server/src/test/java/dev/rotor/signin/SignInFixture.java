package dev.rotor.signin;

import dev.rotor.account.Accounts;
import dev.rotor.account.UserStore;
import dev.rotor.audit.AuditLog;
import dev.rotor.crypto.Sealer;
import dev.rotor.throttle.InMemoryThrottleStore;
import dev.rotor.throttle.Throttle;
import java.security.SecureRandom;
import java.time.Clock;

/** A {@link SignIn} for tests of the surfaces: in-memory throttle counters at the default policy, a fresh sealing key. */
public final class SignInFixture {
    private SignInFixture() {}

    public static SignIn signIn(Accounts accounts, UserStore users, SecondFactors factors, AuditLog audit, Clock clock) {
        byte[] key = new byte[32];
        SecureRandom random = new SecureRandom();
        random.nextBytes(key);
        return new SignIn(accounts, users, new Throttle(new InMemoryThrottleStore(), Throttle.Policy.DEFAULT, clock), factors,
                new MfaTokens(new Sealer(key, random), clock), audit, clock);
    }

    public static SignIn signIn(Accounts accounts, UserStore users, AuditLog audit, Clock clock) {
        return signIn(accounts, users, SecondFactors.NONE, audit, clock);
    }
}
