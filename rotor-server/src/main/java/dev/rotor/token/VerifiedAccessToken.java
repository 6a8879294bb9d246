package dev.rotor.token;

import java.time.Instant;

/** The claims Rotor itself needs from a valid access token it issued. */
public record VerifiedAccessToken(String subject, String clientId, String scope, String sessionId, String jti, Instant expiresAt) {}
