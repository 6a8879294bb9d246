package dev.rotor.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.Curve;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Base64;
import java.util.function.UnaryOperator;

/**
 * Other spellings of a base64url part of a JWS (RFC 7515 §2, RFC 4648 §5) that a lenient decoder reads as the same
 * bytes, and the high-S twin of an ES256 signature: for tests that each of them is refused. Each spelling asserts
 * that it changed the text, so a row cannot pass by testing the canonical token again.
 */
public final class JwsSpellings {
    /** The order n of P-256. */
    private static final BigInteger N = Curve.P_256.toECParameterSpec().getOrder();
    private static final String URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private JwsSpellings() {}

    /** With the {@code =} padding that base64 without the "no padding" rule would have. */
    public static final UnaryOperator<String> PADDED = part -> changed(part, part + "=".repeat((4 - part.length() % 4) % 4));

    /** With a character outside every base64 alphabet in the middle, which a lenient decoder skips. */
    public static final UnaryOperator<String> CHARACTER_INSERTED = part -> part.substring(0, part.length() / 2) + "!" + part.substring(part.length() / 2);

    /** In the standard alphabet ({@code +} and {@code /} for {@code -} and {@code _}). */
    public static final UnaryOperator<String> STANDARD_ALPHABET = part -> changed(part, part.replace('-', '+').replace('_', '/'));

    /** With the lowest of the unused bits of the last character set (a part whose length is not a multiple of 4 has some). */
    public static final UnaryOperator<String> UNUSED_BIT_SET = part -> {
        char last = part.charAt(part.length() - 1);
        return changed(part, part.substring(0, part.length() - 1) + URL.charAt(URL.indexOf(last) ^ 1));
    };

    /** An ES256 signature {@code R || S} with {@code s} replaced by {@code n - s}: the other valid signature of the same input. */
    public static final UnaryOperator<String> HIGH_S = part -> {
        byte[] rs = Base64.getUrlDecoder().decode(part);
        assertThat(rs).as("an ES256 signature").hasSize(64);
        byte[] twin = Arrays.copyOf(rs, 64);
        byte[] s = N.subtract(new BigInteger(1, Arrays.copyOfRange(rs, 32, 64))).toByteArray();
        int length = Math.min(s.length, 32);
        Arrays.fill(twin, 32, 64, (byte) 0);
        System.arraycopy(s, s.length - length, twin, 64 - length, length);
        return changed(part, Base64.getUrlEncoder().withoutPadding().encodeToString(twin));
    };

    /** Whether the part contains a character the two alphabets spell differently. */
    public static boolean hasUrlSafeCharacter(String part) {
        return part.indexOf('-') >= 0 || part.indexOf('_') >= 0;
    }

    /** The compact serialization with part {@code index} (0 header, 1 payload, 2 signature) respelled. */
    public static String respell(String jws, int index, UnaryOperator<String> spelling) {
        String[] parts = jws.split("\\.", -1);
        assertThat(parts).as("a JWS compact serialization").hasSize(3);
        parts[index] = spelling.apply(parts[index]);
        return String.join(".", parts);
    }

    private static String changed(String before, String after) {
        assertThat(after).as("the spelling changes the text of %s", before).isNotEqualTo(before);
        return after;
    }
}
