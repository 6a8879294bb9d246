package dev.rotor.mfa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TotpSecretTest {
    @Test
    void base32IsRfc4648UpperCaseWithoutPadding() {
        // The RFC 6238 seed, as authenticator apps' documentation writes it.
        TotpSecret s = new TotpSecret("12345678901234567890".getBytes(StandardCharsets.US_ASCII));

        assertThat(s.base32()).isEqualTo("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    }

    @Test
    void generatedSecretsAre160RandomBitsAnd32Characters() {
        SecureRandom random = new SecureRandom();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            TotpSecret s = TotpSecret.generate(random);
            assertThat(s.key()).hasSize(20);
            assertThat(s.base32()).matches("[A-Z2-7]{32}");
            seen.add(s.base32());
        }
        assertThat(seen).hasSize(100);
    }

    @Test
    void toStringShowsNoSecretAndTheKeyIsCopied() {
        byte[] key = new byte[20];
        key[0] = 42;
        TotpSecret s = new TotpSecret(key);
        key[0] = 0;
        s.key()[1] = 7;

        assertThat(s.key()[0]).isEqualTo((byte) 42);
        assertThat(s.key()[1]).isZero();
        assertThat(s.toString()).isEqualTo("TotpSecret[***]").doesNotContain(s.base32());
    }

    @Test
    void aKeyOfAnotherSizeIsRefused() {
        assertThatThrownBy(() -> new TotpSecret(new byte[16])).isInstanceOf(IllegalArgumentException.class);
    }
}
