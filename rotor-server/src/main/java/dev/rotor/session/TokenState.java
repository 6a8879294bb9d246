package dev.rotor.session;

import java.time.Instant;

/**
 * A stored refresh token as the rotation step sees it.
 *
 * @param usedAt        null while the token is current (never used)
 * @param successorHash the token that replaced it, once used
 * @param graceSealed   the successor's plaintext, encrypted; present only within the grace window
 * @param graceUntil    end of the window in which a retry of this used token gets the successor back
 */
public record TokenState(String hash, String sessionId, int generation, Instant createdAt, Instant usedAt,
                         String usedIp, String usedUserAgent, String successorHash, byte[] graceSealed, Instant graceUntil) {

    public boolean isUsed() {
        return usedAt != null;
    }
}
