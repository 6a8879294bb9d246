package dev.rotor.risk;

import java.time.Instant;
import java.util.Objects;

/**
 * A sign-in whose password (or SSO session) checked out, as the edge sees it.
 *
 * @param ip              the client IP as {@code http/ClientAddress} resolved it
 * @param userAgent       the raw User-Agent; null when absent
 * @param deviceHash      {@link dev.rotor.risk.source.DeviceIds#browserHash} of the device cookie, or
 *                        {@link dev.rotor.risk.source.DeviceIds#nativeHash} of the {@code device_id} parameter; null when none
 * @param accountFailures recent failed sign-ins on this account, from the throttle
 * @param ipFailures      recent failed sign-ins from this IP, from the throttle
 * @param hasSecondFactor whether the user has a confirmed second factor (so a step-up is possible)
 */
public record SignInContext(String userId, String ip, String userAgent, String deviceHash, int accountFailures, int ipFailures,
                            boolean hasSecondFactor, Instant now) {
    public SignInContext {
        Objects.requireNonNull(userId);
        Objects.requireNonNull(now);
    }
}
