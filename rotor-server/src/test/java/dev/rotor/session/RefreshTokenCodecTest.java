package dev.rotor.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotor.crypto.Digests;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RefreshTokenCodecTest {
    private final byte[] key = new byte[32];
    private final RefreshTokenCodec codec;

    RefreshTokenCodecTest() {
        new SecureRandom().nextBytes(key);
        codec = new RefreshTokenCodec(key);
    }

    @Test
    void issueIsDeterministicPerFamilyAndGenerationAndParsesBack() {
        String family = UUID.randomUUID().toString();
        String t = codec.issue(family, 12);

        assertThat(t).hasSize(RefreshTokenCodec.LENGTH).matches("[A-Za-z0-9_-]+").isEqualTo(codec.issue(family, 12));
        assertThat(new RefreshTokenCodec(key.clone()).issue(family, 12)).as("every node with the key computes it").isEqualTo(t);
        assertThat(codec.parse(t)).contains(new RefreshTokenCodec.Presented.Current(new PresentedToken(family, 12, null)));
    }

    @Test
    void tokensDifferAcrossGenerationsFamiliesAndKeys() {
        String family = UUID.randomUUID().toString();
        Set<String> seen = new HashSet<>();
        for (int g = 0; g < 100; g++) seen.add(codec.issue(family, g));
        seen.add(codec.issue(UUID.randomUUID().toString(), 0));
        seen.add(new RefreshTokenCodec(new byte[32]).issue(family, 0));
        assertThat(seen).hasSize(102);
    }

    @Test
    void everySingleBitFlipIsRefused() {
        String t = codec.issue(UUID.randomUUID().toString(), 3);
        byte[] raw = Base64.getUrlDecoder().decode(t);
        for (int bit = 0; bit < raw.length * 8; bit++) {
            byte[] copy = raw.clone();
            copy[bit / 8] ^= (byte) (1 << (bit % 8));
            String altered = Base64.getUrlEncoder().withoutPadding().encodeToString(copy);
            assertThat(codec.parse(altered)).as("bit %d", bit).isEmpty();
        }
    }

    @Test
    void oldFormatTokensAreRecognisedByTheirHash() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        String old = Base64.getUrlEncoder().withoutPadding().encodeToString(b);

        assertThat(codec.parse(old)).contains(new RefreshTokenCodec.Presented.Legacy(Digests.sha256(old)));
        assertThat(codec.parse(old.substring(1) + "+")).isEmpty();
    }

    @Test
    void aShortKeyIsRefused() {
        assertThatThrownBy(() -> new RefreshTokenCodec(new byte[16])).isInstanceOf(IllegalArgumentException.class);
    }
}
