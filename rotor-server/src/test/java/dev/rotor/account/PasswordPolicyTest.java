package dev.rotor.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PasswordPolicyTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("lengths")
    void checkAppliesNistLengthRulesAfterNfkc(String why, String password, boolean accepted) {
        String problem = PasswordPolicy.check(password);
        if (accepted) {
            assertThat(problem).isNull();
        } else {
            assertThat(problem).isNotNull();
        }
    }

    static Stream<Arguments> lengths() {
        String emoji = "\uD83D\uDD11"; // one code point, two UTF-16 units
        return Stream.of(
                Arguments.of("empty", "", false),
                Arguments.of("7 characters", "abcdefg", false),
                Arguments.of("8 characters (minimum)", "abcdefgh", true),
                Arguments.of("8 spaces: no composition rules", "        ", true),
                Arguments.of("7 emoji are 7 characters, not 14", emoji.repeat(7), false),
                Arguments.of("8 emoji", emoji.repeat(8), true),
                Arguments.of("64 characters", "a".repeat(64), true),
                Arguments.of("256 characters (maximum)", "a".repeat(256), true),
                Arguments.of("257 characters", "a".repeat(257), false),
                Arguments.of("256 emoji (512 UTF-16 units) are 256 characters", emoji.repeat(256), true),
                Arguments.of("e + combining acute x8 composes to 8 characters", "e\u0301".repeat(8), true),
                Arguments.of("e + combining acute x4 composes to 4 characters", "e\u0301".repeat(4), false),
                Arguments.of("3 ffi ligatures expand to 9 characters", "\uFB03".repeat(3), true),
                Arguments.of("86 ffi ligatures expand to 258 characters", "\uFB03".repeat(86), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("equivalents")
    void normalizeMapsCompatibilityFormsToOneSpelling(String input, String expected) {
        assertThat(PasswordPolicy.normalize(input)).isEqualTo(expected);
    }

    static Stream<Arguments> equivalents() {
        return Stream.of(
                Arguments.of("\uFF50\uFF41\uFF53\uFF53", "pass"),  // fullwidth
                Arguments.of("e\u0301", "\u00e9"),                  // composed
                Arguments.of("\u2460", "1"),                        // circled digit
                Arguments.of("plain", "plain"));
    }
}
