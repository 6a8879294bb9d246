package dev.rotor.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** SHA-256 of a full-entropy secret (refresh tokens, client secrets), as base64url without padding. */
public final class Digests {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private Digests() {}

    public static String sha256(String secret) {
        try {
            return B64.encodeToString(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
