package dev.rotor.mfa;

import java.security.SecureRandom;
import java.util.Locale;
import org.apache.commons.codec.binary.Base32;

/**
 * A user's TOTP key: 160 random bits, the HMAC-SHA1 output size that RFC 4226 §4 recommends (R6), shown to the user
 * once as Base32 (RFC 4648 §6, upper case, without padding, as authenticator apps read it).
 */
public record TotpSecret(byte[] key) {
    public static final int BYTES = 20;

    public TotpSecret {
        if (key.length != BYTES) throw new IllegalArgumentException("a TOTP key is " + BYTES + " bytes");
        key = key.clone();
    }

    public static TotpSecret generate(SecureRandom random) {
        byte[] key = new byte[BYTES];
        random.nextBytes(key);
        return new TotpSecret(key);
    }

    @Override
    public byte[] key() {
        return key.clone();
    }

    /** RFC 4648 Base32, no padding: 32 characters for the 20 bytes (160 bits are a whole number of 40-bit groups). */
    public String base32() {
        return new Base32().encodeAsString(key).replace("=", "").toUpperCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "TotpSecret[***]";
    }
}
