package dev.rotor.session;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One sign-in on one device: a refresh-token family. Its tokens are numbered by generation; the family row alone
 * says which generation is current, so a family costs the same storage whatever its number of rotations.
 *
 * @param expiresAt  absolute end; rotation never moves it
 * @param lastUsedAt last sign-in, refresh or retry, for the idle timeout
 * @param generation generation of the family's current refresh token (0 for the first)
 * @param rotatedAt  when the current token was issued by a rotation (the first use of its predecessor); null
 *                   while the first token is current. A retry of the predecessor is recognised until
 *                   {@code rotatedAt} plus the retry window.
 * @param legacyHash SHA-256 of the current token while it is one issued before tokens named their family; null
 *                   otherwise
 * @param channel    how the family's tokens travel; null for families started before channels were recorded
 * @param revokedAt  null while not revoked
 * @param signInNote how the sign-in that started it went, for its owner's session list (e.g. {@code new device in
 *                   Lisbon, verified with TOTP}); null when there is nothing to say
 * @param deviceHash the device it was signed in on (the hash of a browser's device cookie or a native app's
 *                   {@code device_id}), which a refresh is compared with; null when none was presented
 */
public record RefreshTokenFamily(String id, String userId, String clientId, String scope, Instant createdAt, Instant expiresAt,
                                 Instant lastUsedAt, Instant authTime, List<String> amr, String acr, String createdIp,
                                 String createdUserAgent, String lastIp, String lastUserAgent, int generation, Instant rotatedAt,
                                 String legacyHash, Channel channel, Instant revokedAt, String revokeReason,
                                 String signInNote, String deviceHash) {

    /** Where a family's refresh tokens are sent and presented. */
    public enum Channel {
        /** The first-party browser API: an HttpOnly cookie, refreshed only through {@code /auth/refresh}. */
        COOKIE,
        /** The token endpoint: the response body, refreshed only through {@code /oauth2/token}. */
        TOKEN_ENDPOINT;

        /** The name stored and shown: {@code cookie}, {@code token_endpoint}. */
        public String value() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** The channel named {@code value}; null for null (a family from before channels were recorded). */
        public static Channel of(String value) {
            return value == null ? null : valueOf(value.toUpperCase(java.util.Locale.ROOT));
        }
    }

    public RefreshTokenFamily {
        Objects.requireNonNull(id);
        Objects.requireNonNull(userId);
        Objects.requireNonNull(clientId);
        amr = List.copyOf(amr);
    }

    /** This family after its current token was used at {@code now}: the next generation is current. */
    public RefreshTokenFamily rotated(Instant now, String ip, String userAgent) {
        return new RefreshTokenFamily(id, userId, clientId, scope, createdAt, expiresAt, now, authTime, amr, acr, createdIp,
                createdUserAgent, ip, userAgent, generation + 1, now, null, channel, revokedAt, revokeReason, signInNote, deviceHash);
    }

    /** This family after a retry at {@code now}: only the last use changes. */
    public RefreshTokenFamily touched(Instant now, String ip, String userAgent) {
        return new RefreshTokenFamily(id, userId, clientId, scope, createdAt, expiresAt, now, authTime, amr, acr, createdIp,
                createdUserAgent, ip, userAgent, generation, rotatedAt, legacyHash, channel, revokedAt, revokeReason, signInNote, deviceHash);
    }

    /**
     * This family once its holder also showed a second factor (a refresh held for a step-up): the tokens it issues from
     * now on say so in {@code amr} and {@code acr}.
     */
    public RefreshTokenFamily steppedUp(List<String> amr, String acr) {
        return new RefreshTokenFamily(id, userId, clientId, scope, createdAt, expiresAt, lastUsedAt, authTime, amr, acr, createdIp,
                createdUserAgent, lastIp, lastUserAgent, generation, rotatedAt, legacyHash, channel, revokedAt, revokeReason, signInNote, deviceHash);
    }

    /** This family revoked at {@code now}. */
    public RefreshTokenFamily revoked(Instant now, String reason) {
        return new RefreshTokenFamily(id, userId, clientId, scope, createdAt, expiresAt, lastUsedAt, authTime, amr, acr, createdIp,
                createdUserAgent, lastIp, lastUserAgent, generation, rotatedAt, legacyHash, channel, now, reason, signInNote, deviceHash);
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
