package dev.rotor.mfa;

import dev.rotor.crypto.Digests;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Recovery codes: what signs a user in when the authenticator is lost. Each is 75 random bits written as three
 * groups of five characters of Crockford's Base32 ({@code 7kq2m-x9c4d-h0tw3}: no i, l, o or u, so nothing reads as
 * another character), shown once and stored only as a hash.
 *
 * <p>The hash is SHA-256 of the user id and the code, not Argon2: a code is 75 bits from a CSPRNG, not something a
 * person chose, so no dictionary shortens a search of 2^75 and a slow hash would only slow every check; the user id
 * keeps one search from trying every user's codes at once.
 */
public final class RecoveryCodes {
    public static final int COUNT = 10;
    private static final String ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
    private static final int GROUPS = 3;
    private static final int GROUP = 5;
    /** The length of a normalised code (without separators). */
    private static final int LENGTH = GROUPS * GROUP;

    private RecoveryCodes() {}

    /** {@link #COUNT} fresh codes, as the user sees them. */
    public static List<String> generate(SecureRandom random) {
        List<String> codes = new ArrayList<>(COUNT);
        while (codes.size() < COUNT) {
            StringBuilder code = new StringBuilder(LENGTH + GROUPS - 1);
            for (int i = 0; i < LENGTH; i++) {
                if (i > 0 && i % GROUP == 0) code.append('-');
                code.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            if (!codes.contains(code.toString())) codes.add(code.toString());
        }
        return List.copyOf(codes);
    }

    /**
     * The code as it is hashed: lower case, without hyphens and spaces, with Crockford's look-alikes read as what they
     * look like ({@code o} as {@code 0}, {@code i} and {@code l} as {@code 1}); empty when it cannot be a code.
     */
    public static Optional<String> normalize(String typed) {
        if (typed == null || typed.length() > 64) return Optional.empty();
        StringBuilder out = new StringBuilder(LENGTH);
        for (char c : typed.toLowerCase(Locale.ROOT).toCharArray()) {
            if (c == '-' || c == ' ') continue;
            char read = switch (c) {
                case 'o' -> '0';
                case 'i', 'l' -> '1';
                default -> c;
            };
            if (ALPHABET.indexOf(read) < 0) return Optional.empty();
            out.append(read);
        }
        return out.length() == LENGTH ? Optional.of(out.toString()) : Optional.empty();
    }

    /** What the store keeps of a normalised code of {@code userId}. */
    public static String hash(String userId, String normalized) {
        return Digests.sha256(userId + "\n" + normalized);
    }
}
