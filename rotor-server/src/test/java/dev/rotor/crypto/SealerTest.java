package dev.rotor.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SealerTest {
    private static final byte[] AAD = "rotor-key:kid-1".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SECRET = "{\"kty\":\"EC\",\"d\":\"private\"}".getBytes(StandardCharsets.UTF_8);

    private final SecureRandom random = new SecureRandom();
    private final byte[] key = randomKey();
    private final Sealer sealer = new Sealer(key, random);

    private byte[] randomKey() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return k;
    }

    @Test
    void sealThenOpenRoundTrips() throws Exception {
        byte[] sealed = sealer.seal(SECRET, AAD);

        assertThat(sealed).hasSize(12 + SECRET.length + 16);
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("private");
        assertThat(sealer.open(sealed, AAD)).isEqualTo(SECRET);
        assertThat(new Sealer(key.clone(), random).open(sealed, AAD)).as("another instance with the same key").isEqualTo(SECRET);
    }

    @Test
    void sealUsesAFreshNonceEachTime() {
        byte[] a = sealer.seal(SECRET, AAD);
        byte[] b = sealer.seal(SECRET, AAD);

        assertThat(Arrays.copyOf(a, 12)).isNotEqualTo(Arrays.copyOf(b, 12));
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void sealThenOpenEmptyPlaintext() throws Exception {
        assertThat(sealer.open(sealer.seal(new byte[0], AAD), AAD)).isEmpty();
    }

    @Test
    void openWhenAssociatedDataDiffersThenGeneralSecurityException() {
        byte[] sealed = sealer.seal(SECRET, AAD);

        assertThatThrownBy(() -> sealer.open(sealed, "rotor-key:kid-2".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(GeneralSecurityException.class);
        assertThatThrownBy(() -> sealer.open(sealed, new byte[0])).isInstanceOf(GeneralSecurityException.class);
    }

    @ParameterizedTest(name = "byte {0} flipped")
    @ValueSource(ints = {0, 11, 12, 20, -1})
    void openWhenAnyByteTamperedThenGeneralSecurityException(int index) {
        byte[] sealed = sealer.seal(SECRET, AAD);
        int i = index < 0 ? sealed.length + index : index;
        sealed[i] ^= 0x01;

        assertThatThrownBy(() -> sealer.open(sealed, AAD)).isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void openWhenTruncatedThenGeneralSecurityException() {
        byte[] sealed = sealer.seal(SECRET, AAD);

        assertThatThrownBy(() -> sealer.open(Arrays.copyOf(sealed, sealed.length - 1), AAD)).isInstanceOf(GeneralSecurityException.class);
        assertThatThrownBy(() -> sealer.open(Arrays.copyOf(sealed, 27), AAD)).isInstanceOf(GeneralSecurityException.class);
        assertThatThrownBy(() -> sealer.open(new byte[0], AAD)).isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void openWhenOtherKeyThenGeneralSecurityException() {
        byte[] sealed = sealer.seal(SECRET, AAD);

        assertThatThrownBy(() -> new Sealer(randomKey(), random).open(sealed, AAD)).isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void sealerCopiesItsKey() throws Exception {
        byte[] k = randomKey();
        Sealer s = new Sealer(k, random);
        byte[] sealed = s.seal(SECRET, AAD);
        Arrays.fill(k, (byte) 0);

        assertThat(s.open(sealed, AAD)).isEqualTo(SECRET);
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 16, 24, 31, 33, 64})
    void sealerWhenKeyNot32BytesThenRefused(int length) {
        assertThatThrownBy(() -> new Sealer(new byte[length], random)).isInstanceOf(IllegalArgumentException.class);
    }
}
