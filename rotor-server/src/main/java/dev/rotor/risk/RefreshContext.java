package dev.rotor.risk;

import dev.rotor.session.RefreshTokenFamily;
import java.time.Instant;
import java.util.Objects;

/**
 * A refresh, before the rotation: the request's IP and User-Agent beside what the family recorded at creation and
 * last use.
 *
 * @param deviceHash       the device the request comes from (its device cookie or {@code device_id}); null when none
 * @param familyDeviceHash the device the family was signed in on; null when none was presented then
 * @param hasSecondFactor  whether the user has a confirmed second factor (so a step-up is possible)
 */
public record RefreshContext(String userId, String familyId, String ip, String userAgent, String deviceHash, String createdIp,
                             String createdUserAgent, String lastIp, String lastUserAgent, String familyDeviceHash, boolean hasSecondFactor,
                             Instant now) {
    public RefreshContext {
        Objects.requireNonNull(userId);
        Objects.requireNonNull(now);
    }

    /** The refresh of {@code family} from {@code ip} with {@code userAgent}, on the device hashed as {@code deviceHash}. */
    public static RefreshContext of(RefreshTokenFamily family, String ip, String userAgent, String deviceHash, boolean hasSecondFactor,
                                    Instant now) {
        return new RefreshContext(family.userId(), family.id(), ip, userAgent, deviceHash, family.createdIp(), family.createdUserAgent(),
                family.lastIp(), family.lastUserAgent(), family.deviceHash(), hasSecondFactor, now);
    }
}
