package dev.rotor.mfa;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-based one-time passwords (RFC 6238) over HOTP (RFC 4226), computed by java-otp; Rotor adds the time steps and
 * the comparison. Thread-safe: the generator clones its {@code Mac} for every code.
 */
public final class Totp {
    /** What users' authenticator apps compute: HMAC-SHA1, 6 digits, 30-second steps (RFC 6238 §5.2, the apps' default). */
    public static final Totp USERS = new Totp(TimeBasedOneTimePasswordGenerator.TOTP_ALGORITHM_HMAC_SHA1, 6, Duration.ofSeconds(30));

    private final TimeBasedOneTimePasswordGenerator generator;
    private final String algorithm;
    private final int digits;
    private final long periodSeconds;

    /**
     * @param algorithm the JCA name of the HMAC: {@code HmacSHA1}, {@code HmacSHA256} or {@code HmacSHA512}
     * @param digits    6 to 8 (RFC 4226 §5.3)
     * @param period    the time step X of RFC 6238 §4.1, whole seconds
     */
    public Totp(String algorithm, int digits, Duration period) {
        if (digits < 6 || digits > 8) throw new IllegalArgumentException("digits must be 6 to 8, not " + digits);
        if (period.toSeconds() < 1 || period.toMillis() % 1000 != 0) throw new IllegalArgumentException("period must be whole seconds");
        this.generator = new TimeBasedOneTimePasswordGenerator(period, digits, algorithm);
        this.algorithm = algorithm;
        this.digits = digits;
        this.periodSeconds = period.toSeconds();
    }

    public int digits() {
        return digits;
    }

    public Duration period() {
        return Duration.ofSeconds(periodSeconds);
    }

    /** RFC 6238 §4.2: T = floor((now - T0) / X), with T0 the Unix epoch. */
    public long step(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), periodSeconds);
    }

    /** The code of {@code step}, zero-padded to {@link #digits} ASCII digits (never the default locale's digits). */
    public String code(byte[] key, long step) {
        try {
            return generator.generateOneTimePasswordString(new SecretKeySpec(key, algorithm), Instant.ofEpochSecond(step * periodSeconds),
                    Locale.ROOT);
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("not an HMAC key", e);
        }
    }

    /**
     * Whether {@code code} is the code of {@code step}, compared in constant time (no early exit on the first wrong
     * digit, which would tell a timing attacker how many leading digits were right). False for anything that is not
     * exactly {@link #digits} ASCII digits.
     */
    public boolean matches(byte[] key, long step, String code) {
        if (!isWellFormed(code)) return false;
        return MessageDigest.isEqual(code(key, step).getBytes(StandardCharsets.US_ASCII), code.getBytes(StandardCharsets.US_ASCII));
    }

    /** Exactly {@link #digits} ASCII digits. */
    public boolean isWellFormed(String code) {
        if (code == null || code.length() != digits) return false;
        for (int i = 0; i < code.length(); i++) {
            if (code.charAt(i) < '0' || code.charAt(i) > '9') return false;
        }
        return true;
    }
}
