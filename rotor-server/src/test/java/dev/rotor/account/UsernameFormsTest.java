package dev.rotor.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UsernameFormsTest {
    // RFC 8265 §3.3: width mapping, case mapping, NFC.
    @ParameterizedTest
    @CsvSource({
        "alice, alice",
        "Alice, alice",
        "ALICE, alice",
        "\uff41\uff4c\uff49\uff43\uff45, alice",
        "\u212bngstr\u00f6m, \u00e5ngstr\u00f6m",
        "A\u030angstro\u0308m, \u00e5ngstr\u00f6m",
        "juliet@example.com, juliet@example.com",
    })
    void keyMapsWidthCaseAndNormalisation(String typed, String key) {
        assertThat(UsernameForms.key(typed)).isEqualTo(key);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "foo bar", "x\u0000", "\u2163", "\u01c5", "a\u2665"})
    void keyWhenDisallowedOrEmptyThenRefused(String typed) {
        assertThatThrownBy(() -> UsernameForms.key(typed)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("username ");
    }

    // The collisions that made this necessary, as ICU's confusables table really has them.
    @ParameterizedTest
    @ValueSource(strings = {"alice", "\u0430lice", "\uff41lice", "Alice", "ALICE", "a1ice"})
    void lookAlikesOfAliceShareItsSkeleton(String typed) {
        assertThat(UsernameForms.skeleton(UsernameForms.key(typed))).isEqualTo(UsernameForms.skeleton("alice"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bob", "alicia", "al1ce"})
    void otherNamesHaveOtherSkeletons(String typed) {
        assertThat(UsernameForms.skeleton(UsernameForms.key(typed))).isNotEqualTo(UsernameForms.skeleton("alice"));
    }
}
