package dev.rotor.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OAuthErrorTest {
    @Test
    void ofWhenNoStatusGivenThenTheCodesOwnAndNoExtrasOrHeaders() {
        OAuthError e = OAuthError.of(ErrorCode.INVALID_CLIENT, "client authentication failed");
        assertThat(e.status()).isEqualTo(401);
        assertThat(e.detail()).isEqualTo(e.description());
        assertThat(e.extra()).isEmpty();
        assertThat(e.headers()).isEmpty();
    }

    @Test
    void withersReturnNewValuesAndKeepTheOrderMembersWereAdded() {
        OAuthError base = OAuthError.of(ErrorCode.ACCESS_DENIED, "denied");
        OAuthError e = base.withExtra("z_first", 1).withExtra("a_second", "two").withHeader("Retry-After", "3").withStatus(429);
        assertThat(base.extra()).isEmpty();
        assertThat(base.status()).isEqualTo(403);
        assertThat(e.extra().keySet()).containsExactly("z_first", "a_second");
        assertThat(e.headers()).containsEntry("Retry-After", "3");
        assertThat(e.status()).isEqualTo(429);
    }

    @Test
    void unavailableAsksTheClientToRetry() {
        OAuthError e = OAuthError.unavailable("busy", "the pool is full");
        assertThat(e.status()).isEqualTo(503);
        assertThat(e.code()).isEqualTo(ErrorCode.TEMPORARILY_UNAVAILABLE);
        assertThat(e.headers()).containsEntry("Retry-After", "1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"error", "error_description"})
    void withExtraWhenItWouldOverwriteTheErrorItselfThenRefused(String member) {
        assertThatThrownBy(() -> OAuthError.of(ErrorCode.INVALID_GRANT, "x").withExtra(member, "forged"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 302, 399, 600})
    void withStatusWhenNotAnErrorStatusThenRefused(int status) {
        assertThatThrownBy(() -> OAuthError.of(ErrorCode.INVALID_GRANT, "x").withStatus(status)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyCodeAnswersAnErrorStatus() {
        for (ErrorCode c : ErrorCode.values()) {
            assertThat(c.status()).as(c.value()).isBetween(400, 599);
            assertThat(c.value()).as(c.name()).isEqualTo(c.name().toLowerCase(java.util.Locale.ROOT));
        }
    }
}
