package dev.rotor.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 of a full-entropy secret (refresh tokens, client secrets), as base64url without padding. */
public final class Digests {

    /** Made once, on first use (after start-up has installed the crypto provider), and cloned per call. */
    private static final MessageDigest PROTOTYPE = newSha256();

    private Digests() {}

    /** Runs on every refresh (hashing the presented token): a clone skips the provider lookup of getInstance. */
    public static String sha256(String secret) {
        MessageDigest md;
        try {
            md = (MessageDigest) PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            md = newSha256();
        }
        return Base64Url.encode(md.digest(secret.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
