package dev.rotor.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ScopesTest {
    private static final String ALLOWED = "openid profile email orders:read";

    @ParameterizedTest(name = "''{0}'' -> ''{1}''")
    @CsvSource(delimiter = '|', value = {
            "openid                            | openid",
            "openid profile                    | openid profile",
            "profile openid                    | profile openid",
            "orders:read                       | orders:read",
            "openid profile email orders:read  | openid profile email orders:read",
            "'  openid   profile '             | openid profile",
            "openid openid                     | openid"})
    void grantWhenRequestIsASubsetThenGrantsExactlyTheRequest(String requested, String granted) {
        assertThat(Scopes.grant(requested, ALLOWED)).isEqualTo(granted);
    }

    @ParameterizedTest(name = "''{0}''")
    @NullAndEmptySource
    @ValueSource(strings = {"   "})
    void grantWhenNothingRequestedThenEverythingAllowed(String requested) {
        assertThat(Scopes.grant(requested, ALLOWED)).isEqualTo(ALLOWED);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"admin", "openid admin", "openid profile email orders:read orders:write", "OPENID", "orders",
            "orders:read:all"})
    void grantWhenRequestExceedsAllowedThenInvalidScope(String requested) {
        assertThatThrownBy(() -> Scopes.grant(requested, ALLOWED))
                .isInstanceOfSatisfying(OAuthException.class, e -> {
                    assertThat(e.error().code()).isEqualTo(ErrorCode.INVALID_SCOPE);
                    assertThat(e.error().description()).doesNotContain(ALLOWED);
                });
    }

    @Test
    void grantWhenNothingAllowedThenAnyRequestIsInvalidScope() {
        assertThatThrownBy(() -> Scopes.grant("openid", "")).isInstanceOf(OAuthException.class);
        assertThat(Scopes.grant(null, "")).isEmpty();
    }

    @ParameterizedTest(name = "[{index}]")
    @ValueSource(strings = {"openid\"", "open\\id", "openid\tprofile", "openid\nprofile", "caf\u00e9", "openid\u0000"})
    void grantWhenMalformedThenInvalidScope(String requested) {
        assertThatThrownBy(() -> Scopes.grant(requested, ALLOWED))
                .isInstanceOfSatisfying(OAuthException.class, e -> assertThat(e.error().code()).isEqualTo(ErrorCode.INVALID_SCOPE));
    }

    @Test
    void grantWhenLongerThan1024CharactersThenInvalidScope() {
        String many = "openid ".repeat(200);
        assertThatThrownBy(() -> Scopes.grant(many, ALLOWED))
                .isInstanceOfSatisfying(OAuthException.class, e -> assertThat(e.error().code()).isEqualTo(ErrorCode.INVALID_SCOPE));
        String longest = "s".repeat(1024);
        assertThat(Scopes.grant(longest, longest)).as("1024 characters are allowed").isEqualTo(longest);
        assertThatThrownBy(() -> Scopes.grant(longest + "s", longest + "s"))
                .isInstanceOfSatisfying(OAuthException.class, e -> assertThat(e.error().code()).isEqualTo(ErrorCode.INVALID_SCOPE));
    }

    @Test
    void parseSplitsOnSpacesKeepsOrderAndDropsDuplicates() {
        assertThat(Scopes.parse(" b a  b c ")).containsExactly("b", "a", "c");
        assertThat(Scopes.parse(null)).isEmpty();
        assertThat(Scopes.parse("  ")).isEmpty();
    }
}
