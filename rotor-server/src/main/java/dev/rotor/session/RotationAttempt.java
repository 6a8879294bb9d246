package dev.rotor.session;

import dev.rotor.audit.RequestInfo;
import java.time.Instant;

/**
 * One presentation of a refresh token.
 *
 * @param tokenHash   hash of the presented token
 * @param clientId    the client presenting it (authenticated, or the one whose origin was checked)
 * @param successor   a fresh token, used only if this attempt rotates
 * @param sealedSuccessor the successor's plaintext encrypted for the grace window (null when grace is 0)
 */
public record RotationAttempt(String tokenHash, String clientId, Instant now, RequestInfo request,
                              RefreshTokens.NewToken successor, byte[] sealedSuccessor) {}
