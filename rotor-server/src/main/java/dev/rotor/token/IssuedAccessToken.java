package dev.rotor.token;

import java.time.Instant;

/** A signed access token and when it expires. */
public record IssuedAccessToken(String value, Instant expiresAt, long expiresIn) {
    @Override
    public String toString() {
        return "IssuedAccessToken[expiresAt=" + expiresAt + "]";
    }
}
