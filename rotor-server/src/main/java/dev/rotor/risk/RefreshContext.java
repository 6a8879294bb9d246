package dev.rotor.risk;

import dev.rotor.session.RefreshTokenFamily;
import java.time.Instant;
import java.util.Objects;

/**
 * A refresh, before the rotation: the request's IP and User-Agent beside what the family recorded at creation and
 * last use.
 *
 * @param hasSecondFactor whether the user has a confirmed second factor (so a step-up is possible)
 */
public record RefreshContext(String userId, String familyId, String ip, String userAgent, String createdIp, String createdUserAgent,
                             String lastIp, String lastUserAgent, boolean hasSecondFactor, Instant now) {
    public RefreshContext {
        Objects.requireNonNull(userId);
        Objects.requireNonNull(now);
    }

    /** The refresh of {@code family} from {@code ip} with {@code userAgent}. */
    public static RefreshContext of(RefreshTokenFamily family, String ip, String userAgent, boolean hasSecondFactor, Instant now) {
        return new RefreshContext(family.userId(), family.id(), ip, userAgent, family.createdIp(), family.createdUserAgent(),
                family.lastIp(), family.lastUserAgent(), hasSecondFactor, now);
    }
}
