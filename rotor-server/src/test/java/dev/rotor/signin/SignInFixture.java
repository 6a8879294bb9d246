package dev.rotor.signin;

import dev.rotor.account.Accounts;
import dev.rotor.account.UserStore;
import dev.rotor.audit.AuditLog;
import dev.rotor.crypto.Sealer;
import dev.rotor.risk.InMemoryRiskHistoryStore;
import dev.rotor.risk.RiskEngine;
import dev.rotor.risk.RiskPolicy;
import dev.rotor.risk.source.DenyList;
import dev.rotor.risk.source.GeoIp;
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
                new MfaTokens(new Sealer(key, random), clock), noGeoRisk(), audit, clock);
    }

    /** The risk engine at its default policy with no GeoIP and no deny list, remembering in memory. */
    public static RiskEngine noGeoRisk() {
        return new RiskEngine(RiskPolicy.defaults(), GeoIp.NONE, DenyList.empty(), new InMemoryRiskHistoryStore());
    }

    public static SignIn signIn(Accounts accounts, UserStore users, AuditLog audit, Clock clock) {
        return signIn(accounts, users, SecondFactors.NONE, audit, clock);
    }
}
