package dev.rotor.mfa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Totp} against the test vectors of RFC 6238 Appendix B and RFC 4226 Appendix D. */
class TotpTest {
    private static final byte[] SEED_SHA1 = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEED_SHA256 = "12345678901234567890123456789012".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEED_SHA512 = "1234567890123456789012345678901234567890123456789012345678901234".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest(name = "T={0}s {2}")
    @CsvSource({
            "59,          0000000000000001, HmacSHA1,   94287082",
            "59,          0000000000000001, HmacSHA256, 46119246",
            "59,          0000000000000001, HmacSHA512, 90693936",
            "1111111109,  00000000023523EC, HmacSHA1,   07081804",
            "1111111109,  00000000023523EC, HmacSHA256, 68084774",
            "1111111109,  00000000023523EC, HmacSHA512, 25091201",
            "1111111111,  00000000023523ED, HmacSHA1,   14050471",
            "1111111111,  00000000023523ED, HmacSHA256, 67062674",
            "1111111111,  00000000023523ED, HmacSHA512, 99943326",
            "1234567890,  000000000273EF07, HmacSHA1,   89005924",
            "1234567890,  000000000273EF07, HmacSHA256, 91819424",
            "1234567890,  000000000273EF07, HmacSHA512, 93441116",
            "2000000000,  0000000003F940AA, HmacSHA1,   69279037",
            "2000000000,  0000000003F940AA, HmacSHA256, 90698825",
            "2000000000,  0000000003F940AA, HmacSHA512, 38618901",
            "20000000000, 0000000027BC86AA, HmacSHA1,   65353130",
            "20000000000, 0000000027BC86AA, HmacSHA256, 77737706",
            "20000000000, 0000000027BC86AA, HmacSHA512, 47863826"})
    void rfc6238AppendixBVectors(long seconds, String stepHex, String algorithm, String expected) {
        Totp totp = new Totp(algorithm, 8, Duration.ofSeconds(30));
        byte[] seed = switch (algorithm) {
            case "HmacSHA1" -> SEED_SHA1;
            case "HmacSHA256" -> SEED_SHA256;
            default -> SEED_SHA512;
        };
        long step = totp.step(Instant.ofEpochSecond(seconds));

        assertThat(step).isEqualTo(Long.parseLong(stepHex, 16));
        assertThat(totp.code(seed, step)).isEqualTo(expected);
        assertThat(totp.matches(seed, step, expected)).isTrue();
        assertThat(totp.matches(seed, step + 1, expected)).isFalse();
    }

    @ParameterizedTest(name = "counter {0}")
    @CsvSource({"0, 755224", "1, 287082", "2, 359152", "3, 969429", "4, 338314", "5, 254676", "6, 287922", "7, 162583",
            "8, 399871", "9, 520489"})
    void rfc4226AppendixDVectorsAsStepsOfUsersTotp(long counter, String expected) {
        // A TOTP step is the HOTP counter (RFC 6238 §4.2), so users' 6-digit SHA-1 codes are RFC 4226's.
        assertThat(Totp.USERS.code(SEED_SHA1, counter)).isEqualTo(expected);
        assertThat(Totp.USERS.matches(SEED_SHA1, counter, expected)).isTrue();
    }

    @Test
    void usersTotpHasThirtySecondStepsFromTheEpoch() {
        assertThat(Totp.USERS.step(Instant.ofEpochSecond(0))).isZero();
        assertThat(Totp.USERS.step(Instant.ofEpochSecond(29))).isZero();
        assertThat(Totp.USERS.step(Instant.ofEpochSecond(30))).isEqualTo(1);
        assertThat(Totp.USERS.step(Instant.ofEpochSecond(59, 999_999_999))).isEqualTo(1);
        assertThat(Totp.USERS.digits()).isEqualTo(6);
        assertThat(Totp.USERS.period()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void codesAreAsciiDigitsWhateverTheDefaultLocale() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag("ar-EG-u-nu-arab"));
            assertThat(Totp.USERS.code(SEED_SHA1, 0)).isEqualTo("755224");
        } finally {
            Locale.setDefault(before);
        }
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"", "75522", "7552240", "75522a", " 755224", "755224 ", "-55224", "+55224", "٧٥٥٢٢٤", "７５５２２４"})
    void aCodeThatIsNotSixAsciiDigitsNeverMatches(String code) {
        assertThat(Totp.USERS.matches(SEED_SHA1, 0, code)).isFalse();
        assertThat(Totp.USERS.isWellFormed(code)).isFalse();
    }

    @Test
    void nullNeverMatches() {
        assertThat(Totp.USERS.matches(SEED_SHA1, 0, null)).isFalse();
    }

    @Test
    void parametersOutsideRfc4226AreRefused() {
        assertThatThrownBy(() -> new Totp("HmacSHA1", 5, Duration.ofSeconds(30))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Totp("HmacSHA1", 9, Duration.ofSeconds(30))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Totp("HmacSHA1", 6, Duration.ofMillis(1500))).isInstanceOf(IllegalArgumentException.class);
    }
}
