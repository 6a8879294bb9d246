package dev.rotor.crypto;

import java.util.Base64;

/**
 * base64url without padding (RFC 4648 §5) in its one canonical spelling: the JDK's decoder takes padding and leaves
 * the unused low bits of the last character unchecked, so a value is accepted only when encoding what it decodes to
 * gives the same text back. Without this, one token has several spellings that all verify, and anything keyed on
 * the text (a cache, a deny list, a log search) can be walked around.
 */
public final class Base64Url {
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private Base64Url() {}

    /** The bytes of {@code text}, or null when it is not canonical unpadded base64url. */
    public static byte[] decodeCanonical(String text) {
        byte[] bytes;
        try {
            bytes = DECODER.decode(text);
        } catch (IllegalArgumentException e) {
            return null; // a character outside the alphabet, or a length no encoding has
        }
        return ENCODER.encodeToString(bytes).equals(text) ? bytes : null;
    }

    public static String encode(byte[] bytes) {
        return ENCODER.encodeToString(bytes);
    }
}
