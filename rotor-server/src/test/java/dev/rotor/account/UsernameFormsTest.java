package dev.rotor.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
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

    // RFC 8265 §3.3 applies the Bidi Rule (RFC 5893 §2) to a name that holds a right-to-left character, the whole
    // name taken as one label. Hebrew shalom, dana, dana.cohen; Arabic marhaba; Arabic-Indic digits are AN.
    @ParameterizedTest
    @ValueSource(strings = {"\u05e9\u05dc\u05d5\u05dd", "\u05d3\u05e0\u05d4123", "\u05d3\u05e0\u05d4.\u05db\u05d4\u05df",
        "\u0645\u0631\u062d\u0628\u0627", "\u0645\u0631\u062d\u0628\u0627\u0661\u0662"})
    void keyWhenRightToLeftNameKeepsTheBidiRuleThenAccepted(String typed) {
        assertThat(UsernameForms.key(typed)).isEqualTo(typed);
    }

    @ParameterizedTest(name = "{0}: rule {2}")
    @CsvSource({
        "Hebrew then Latin letters, \u05e9\u05dc\u05d5\u05ddabc, 2",
        "Latin and a dot before Hebrew, alice.\u05e9\u05dc\u05d5\u05dd, 5",
        "Latin letters then an Arabic-Indic digit, alice\u0661, 5",
        "European digit first, 1\u05e9\u05dc\u05d5\u05dd, 1",
        "Arabic-Indic digit first, \u0661alice, 1",
        "Hebrew ending in a dot, \u05e9\u05dc\u05d5\u05dd., 3",
        "Arabic with Arabic-Indic then European digits, \u0645\u0631\u062d\u0628\u0627\u06612, 4",
    })
    void keyWhenNameBreaksTheBidiRuleThenRefusedNamingTheRule(String why, String typed, int rule) {
        assertThatThrownBy(() -> UsernameForms.key(typed)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("username is not allowed: Bidi Rule " + rule + ":").hasMessageContaining("right-to-left letters")
                .hasMessageNotContaining("symbols");
    }

    // Left-to-right only: the Bidi Rule does not apply, so a leading digit is allowed (RFC 5893's rule 1 would refuse it).
    @Test
    void keyWhenNoRightToLeftCharacterThenTheBidiRuleDoesNotApply() {
        assertThat(UsernameForms.key("1alice")).isEqualTo("1alice");
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
