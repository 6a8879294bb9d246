package dev.rotor.mfa;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RecoveryCodesTest {
    @Test
    void tenReadableCodesOfThreeGroupsOfFiveAllDifferent() {
        List<String> codes = RecoveryCodes.generate(new SecureRandom());

        assertThat(codes).hasSize(10).doesNotHaveDuplicates()
                .allMatch(c -> c.matches("[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}"));
    }

    @Test
    void codesAreSpreadOverTheWholeAlphabet() {
        SecureRandom random = new SecureRandom();
        Set<Character> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            for (String code : RecoveryCodes.generate(random)) for (char c : code.replace("-", "").toCharArray()) seen.add(c);
        }
        assertThat(seen).hasSize(32); // 15 characters of 32: 75 bits
    }

    @ParameterizedTest(name = "[{0}]")
    @CsvSource({"7kq2m-x9c4d-h0tw3, 7kq2mx9c4dh0tw3", "7KQ2M-X9C4D-H0TW3, 7kq2mx9c4dh0tw3", "'7kq2m x9c4d h0tw3', 7kq2mx9c4dh0tw3",
            "7kq2mx9c4dh0tw3, 7kq2mx9c4dh0tw3", "-7kq2m--x9c4d-h0tw3-, 7kq2mx9c4dh0tw3", "7kq2m-x9c4d-hOtw3, 7kq2mx9c4dh0tw3", "ikq2m-x9c4d-h0tw3, 1kq2mx9c4dh0tw3",
            "Lkq2m-x9c4d-h0tw3, 1kq2mx9c4dh0tw3"})
    void normalizeReadsWhatAPersonTypes(String typed, String normalized) {
        assertThat(RecoveryCodes.normalize(typed)).contains(normalized);
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"", "7kq2m-x9c4d", "7kq2m-x9c4d-h0tw3x", "7kq2m-x9c4d-h0twu", "7kq2m_x9c4d_h0tw3",
            "7kq2m-x9c4d-h0tw\u0000", "７kq2m-x9c4d-h0tw3"})
    void normalizeRefusesWhatCannotBeACode(String typed) {
        assertThat(RecoveryCodes.normalize(typed)).isEmpty();
    }

    @Test
    void normalizeRefusesNullAndOversizedInput() {
        assertThat(RecoveryCodes.normalize(null)).isEmpty();
        assertThat(RecoveryCodes.normalize("-".repeat(100) + "7kq2mx9c4dh0tw3")).isEmpty();
    }

    @Test
    void theHashDependsOnTheUserAndNeverShowsTheCode() {
        String a = RecoveryCodes.hash("alice", "7kq2mx9c4dh0tw3");

        assertThat(a).isEqualTo(RecoveryCodes.hash("alice", "7kq2mx9c4dh0tw3")).isNotEqualTo(RecoveryCodes.hash("bob", "7kq2mx9c4dh0tw3"))
                .doesNotContain("7kq2m").hasSize(43);
    }
}
