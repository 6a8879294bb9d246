package dev.rotor.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The risk engine's settings, checked at start-up. Defaults and their reasons are on {@link Setting} and in
 * docs/SECURITY.md; scores are points, a decision compares their sum with {@code stepUpAt} and {@code denyAt}.
 *
 * @param geoIpDb          the {@code .mmdb} file; null when none is configured (the geo signals are then absent)
 * @param denyIps          the deny-list file; null when none is configured
 * @param denyIpsReload    how often the deny-list file is checked for changes
 * @param stepUpAt         a score at or above this asks for a second factor
 * @param denyAt           a score at or above this is denied; at least {@code stepUpAt}
 * @param denyWithoutSecondFactor whether a step-up for a user without a second factor becomes a deny (true) or an allow
 * @param historySize      devices, networks and countries remembered per user, least recently seen dropped first
 * @param trustKnownDevices whether a user with a second factor skips it on a known device when nothing else is new
 * @param refreshDevice    points of a refresh from another device than the session's
 */
public record RiskConfig(
        Path geoIpDb,
        Path denyIps,
        Duration denyIpsReload,
        int stepUpAt,
        int denyAt,
        boolean denyWithoutSecondFactor,
        int newDevice,
        int newNetwork,
        int newCountry,
        int impossibleTravel,
        int travelKmh,
        int travelMinKm,
        int accountFailure,
        int freeAccountFailures,
        int ipFailure,
        int freeIpFailures,
        int refreshNetwork,
        int refreshCountry,
        int refreshUserAgent,
        int historySize,
        boolean trustKnownDevices,
        int refreshDevice) {

    public RiskConfig {
        if (stepUpAt < 1 || denyAt < stepUpAt) throw new IllegalArgumentException("need 1 <= stepUpAt <= denyAt");
        if (historySize < 1) throw new IllegalArgumentException("historySize must be positive");
    }

    /** The defaults of {@link Setting}, without GeoIP or deny list: for tests and tools. */
    public static RiskConfig defaults() {
        return new RiskConfig(null, null, Duration.ofSeconds(5), 40, 80, true, 20, 10, 30, 80, 1000, 500, 10, 3, 2, 10, 10, 40, 30, 20, false, 40);
    }
}
