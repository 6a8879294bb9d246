package dev.rotor.risk;

import dev.rotor.config.RiskConfig;
import java.util.EnumMap;
import java.util.Map;

/**
 * Weights and thresholds: how many points each signal is worth and what a score leads to. A record rather than an
 * interface: deployments differ in these numbers (settings {@code ROTOR_RISK_*}), not in the rule that maps a score to a
 * decision. Defaults and why are in docs/SECURITY.md.
 *
 * @param stepUpAt                a score at or above this asks for a second factor
 * @param denyAt                  a score at or above this is denied
 * @param denyWithoutSecondFactor a step-up for a user with no second factor becomes a deny (true) or an allow (false)
 * @param travelKmh               travel faster than this between two sign-ins is impossible
 * @param travelMinKm             distances up to this are never impossible travel (GeoIP places are that coarse)
 * @param freeAccountFailures     failed sign-ins on the account that cost nothing
 * @param freeIpFailures          failed sign-ins from the IP that cost nothing
 * @param historySize             values of each kind remembered per user
 * @param trustKnownDevices       a user with a second factor is not asked for it on a known device with a score of 0
 */
public record RiskPolicy(Map<Signal, Integer> weights, int stepUpAt, int denyAt, boolean denyWithoutSecondFactor, int travelKmh,
                         int travelMinKm, int freeAccountFailures, int freeIpFailures, int historySize,
                         boolean trustKnownDevices) {

    public RiskPolicy {
        weights = Map.copyOf(weights);
        if (stepUpAt < 1 || denyAt < stepUpAt) throw new IllegalArgumentException("need 1 <= stepUpAt <= denyAt");
    }

    public static RiskPolicy of(RiskConfig c) {
        Map<Signal, Integer> w = new EnumMap<>(Signal.class);
        w.put(Signal.NEW_DEVICE, c.newDevice());
        w.put(Signal.NEW_NETWORK, c.newNetwork());
        w.put(Signal.NEW_COUNTRY, c.newCountry());
        w.put(Signal.IMPOSSIBLE_TRAVEL, c.impossibleTravel());
        // A deny-listed IP is denied whatever the score; its weight is the deny threshold so that the score says so too.
        w.put(Signal.DENY_LISTED_IP, c.denyAt());
        w.put(Signal.ACCOUNT_FAILURES, c.accountFailure());
        w.put(Signal.IP_FAILURES, c.ipFailure());
        w.put(Signal.REFRESH_NETWORK, c.refreshNetwork());
        w.put(Signal.REFRESH_COUNTRY, c.refreshCountry());
        w.put(Signal.REFRESH_USER_AGENT, c.refreshUserAgent());
        w.put(Signal.REFRESH_DEVICE, c.refreshDevice());
        w.put(Signal.NO_SECOND_FACTOR, 0);
        return new RiskPolicy(w, c.stepUpAt(), c.denyAt(), c.denyWithoutSecondFactor(), c.travelKmh(), c.travelMinKm(),
                c.freeAccountFailures(), c.freeIpFailures(), c.historySize(), c.trustKnownDevices());
    }

    /** The documented defaults. */
    public static RiskPolicy defaults() {
        return of(RiskConfig.defaults());
    }

    /** Points of one occurrence of {@code signal} (per failure beyond the free ones, for the failure signals). */
    public int weight(Signal signal) {
        return weights.getOrDefault(signal, 0);
    }

    /** What a score means, before the second-factor rule: DENY from {@code denyAt}, STEP_UP from {@code stepUpAt}. */
    public Decision decide(int score) {
        return score >= denyAt ? Decision.DENY : score >= stepUpAt ? Decision.STEP_UP : Decision.ALLOW;
    }
}
