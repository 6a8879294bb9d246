package dev.rotor.session;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A session: one sign-in on one device, which is one refresh-token family.
 *
 * @param expiresAt  absolute end; rotation never moves it
 * @param lastUsedAt last sign-in or refresh, for the idle timeout
 * @param generation generation of the family's current refresh token (0 for the first)
 * @param revokedAt  null while not revoked
 */
public record Session(String id, String userId, String clientId, String scope, Instant createdAt, Instant expiresAt,
                      Instant lastUsedAt, Instant authTime, List<String> amr, String acr, String createdIp,
                      String createdUserAgent, String lastIp, String lastUserAgent, int generation,
                      Instant revokedAt, String revokeReason) {
    public Session {
        Objects.requireNonNull(id);
        Objects.requireNonNull(userId);
        Objects.requireNonNull(clientId);
        amr = List.copyOf(amr);
    }

    /** This session after a sign-in, refresh or replay at {@code now} from {@code ip} / {@code userAgent}. */
    public Session usedAt(Instant now, String ip, String userAgent, int newGeneration) {
        return new Session(id, userId, clientId, scope, createdAt, expiresAt, now, authTime, amr, acr, createdIp, createdUserAgent,
                ip, userAgent, newGeneration, revokedAt, revokeReason);
    }

    /** This session revoked at {@code now}. */
    public Session revoked(Instant now, String reason) {
        return new Session(id, userId, clientId, scope, createdAt, expiresAt, lastUsedAt, authTime, amr, acr, createdIp, createdUserAgent,
                lastIp, lastUserAgent, generation, now, reason);
    }

    public boolean isRevoked() {
        return revokedAt != null;
    }

    /** Past the absolute lifetime or idle for longer than {@code idleTtl}. */
    public boolean isExpired(Instant now, Duration idleTtl) {
        return !now.isBefore(expiresAt) || !now.isBefore(lastUsedAt.plus(idleTtl));
    }

    public boolean isActive(Instant now, Duration idleTtl) {
        return !isRevoked() && !isExpired(now, idleTtl);
    }
}
