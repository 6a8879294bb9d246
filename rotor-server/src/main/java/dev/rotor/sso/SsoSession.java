package dev.rotor.sso;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One sign-in on the hosted page, shared by every client that signs in through it in the same browser. Distinct
 * from refresh-token families: ending it ends no family by itself (the user chooses at logout).
 *
 * @param id       public identifier: the {@code sid} of the ID tokens it yields and of back-channel logout tokens
 * @param authTime when the user last entered a password here (OIDC {@code auth_time})
 * @param endedAt  null while not ended
 */
public record SsoSession(String id, String userId, Instant authTime, List<String> amr, String acr, Instant createdAt,
                         Instant expiresAt, Instant lastSeenAt, String ip, String userAgent, Instant endedAt, String endReason) {
    public SsoSession {
        Objects.requireNonNull(id);
        Objects.requireNonNull(userId);
        amr = List.copyOf(amr);
    }

    public boolean isActive(Instant now) {
        return endedAt == null && now.isBefore(expiresAt);
    }
}
