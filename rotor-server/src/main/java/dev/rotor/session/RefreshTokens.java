package dev.rotor.session;

import dev.rotor.crypto.Digests;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Refresh-token values: 256 bits from a CSPRNG, base64url (43 characters). Only the SHA-256 of a token is
 * stored; a fast hash suffices because the input has full entropy (no dictionary to try).
 */
public final class RefreshTokens {
    public static final int LENGTH = 43;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private RefreshTokens() {}

    /** A freshly generated token: the plaintext goes to the client once, the hash to the store. */
    public record NewToken(String plaintext, String hash) {
        @Override
        public String toString() {
            return "NewToken[hash=" + hash + "]";
        }
    }

    public static NewToken generate(SecureRandom random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = B64.encodeToString(bytes);
        return new NewToken(token, hash(token));
    }

    public static String hash(String token) {
        return Digests.sha256(token);
    }

    /** True when the value could be a token Rotor issued; anything else is refused without a database look-up. */
    public static boolean isWellFormed(String token) {
        if (token == null || token.length() != LENGTH) return false;
        for (int i = 0; i < LENGTH; i++) {
            char c = token.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok) return false;
        }
        return true;
    }
}
