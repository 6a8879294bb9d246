package dev.rotor.account;

import java.text.Normalizer;

/**
 * NIST SP 800-63B §5.1.1.2 rules for memorized secrets: at least 8 characters, at least 64 allowed, no
 * composition rules, Unicode normalized (NFKC) before hashing. Rotor allows up to 256 characters; longer input
 * is refused before hashing so that nobody can make the server hash megabytes.
 */
public final class PasswordPolicy {
    public static final int MIN_LENGTH = 8;
    public static final int MAX_LENGTH = 256;

    private PasswordPolicy() {}

    public static String normalize(String password) {
        return Normalizer.normalize(password, Normalizer.Form.NFKC);
    }

    /** Null when acceptable for a new password, else the reason. */
    public static String check(String password) {
        String normalized = normalize(password);
        int length = normalized.codePointCount(0, normalized.length());
        if (length < MIN_LENGTH) return "password must have at least " + MIN_LENGTH + " characters";
        if (length > MAX_LENGTH) return "password must have at most " + MAX_LENGTH + " characters";
        return null;
    }
}
