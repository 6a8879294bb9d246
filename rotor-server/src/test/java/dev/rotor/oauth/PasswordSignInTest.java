package dev.rotor.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotor.account.Accounts;
import dev.rotor.account.InMemoryUserStore;
import dev.rotor.account.PasswordHasher;
import dev.rotor.audit.AuditEvent;
import dev.rotor.audit.RequestInfo;
import dev.rotor.session.InMemoryRefreshTokenStore;
import dev.rotor.session.MutableClock;
import dev.rotor.session.RefreshTokenCodec;
import dev.rotor.session.RefreshTokenFamily.Channel;
import dev.rotor.session.Sessions;
import dev.rotor.testing.RecordingAuditLog;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import dev.rotor.signin.SignInFixture;
import dev.rotor.signin.SignInOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PasswordSignInTest {
    private static final String PASSWORD = "correct horse battery staple";
    private static final RequestInfo LAPTOP = new RequestInfo("203.0.113.7", "Firefox/128");
    private static final Client NATIVE = new Client("native", Client.Type.PUBLIC, null, List.of(), Set.of("password"), Set.of(), true,
            "openid", MutableClock.T0, Set.of());

    private final MutableClock clock = new MutableClock();
    private final RecordingAuditLog audit = new RecordingAuditLog();
    private final List<AuditEvent> audited = audit.events;
    private final InMemoryUserStore users = new InMemoryUserStore();
    private final Accounts accounts = new Accounts(users,
            new PasswordHasher(new PasswordHasher.Params(19456, 2, 1), 2, 10_000, new SecureRandom()), clock);
    private final Sessions sessions = new Sessions(new InMemoryRefreshTokenStore(), new RefreshTokenCodec(new byte[32]), clock,
            Duration.ofDays(7), Duration.ofDays(7), Duration.ofHours(1));
    private final PasswordSignIn signIn = new PasswordSignIn(SignInFixture.signIn(accounts, users, audit, clock), sessions);

    @ParameterizedTest(name = "{0}")
    @CsvSource({"an unknown user, mallory, " + PASSWORD, "a wrong password, alice, correct horse battery stapler"})
    void signInWhenCredentialsWrongThenNoSessionAndTheSurfacesOwnAnswer(String why, String username, String password) {
        accounts.register("alice", null, null, PASSWORD);

        assertThatThrownBy(() -> signIn.signIn(NATIVE, username, password, "openid", Channel.TOKEN_ENDPOINT, LAPTOP,
                PasswordSignIn.Surface.TOKEN_ENDPOINT)).isInstanceOfSatisfying(OAuthException.class, e -> {
                    assertThat(e.error().code()).isEqualTo(ErrorCode.INVALID_GRANT);
                    assertThat(e.error().status()).isEqualTo(400);
                });
        assertThatThrownBy(() -> signIn.signIn(NATIVE, username, password, "openid", Channel.COOKIE, LAPTOP, PasswordSignIn.Surface.COOKIE))
                .isInstanceOfSatisfying(OAuthException.class, e -> {
                    assertThat(e.error().code()).isEqualTo(ErrorCode.INVALID_CREDENTIALS);
                    assertThat(e.error().status()).isEqualTo(401);
                });
        assertThat(audited).hasSize(2).allSatisfy(e -> {
            assertThat(e.type()).isEqualTo("login.failed");
            assertThat(e.toString()).doesNotContain(password);
        });
    }

    @Test
    void signInWhenRightThenASessionOfThatUserClientScopeAndChannel() {
        accounts.register("alice", null, null, PASSWORD);

        Sessions.Started started = signIn.signIn(NATIVE, "alice", PASSWORD, "openid", Channel.COOKIE, LAPTOP, PasswordSignIn.Surface.COOKIE);

        assertThat(started.family().clientId()).isEqualTo("native");
        assertThat(started.family().scope()).isEqualTo("openid");
        assertThat(started.family().channel()).isEqualTo(Channel.COOKIE);
        assertThat(started.family().amr()).containsExactly("pwd");
    }

    @Test
    void aThrottledSignInIs429SlowDownWithRetryAfterInWholeSeconds() {
        OAuthError e = PasswordSignIn.refusal(new SignInOutcome.Throttled(Duration.ofSeconds(4)), PasswordSignIn.Surface.COOKIE);

        assertThat(e.code()).isEqualTo(ErrorCode.SLOW_DOWN);
        assertThat(e.status()).isEqualTo(429);
        assertThat(e.headers()).containsEntry("Retry-After", "4");
        assertThat(PasswordSignIn.refusal(new SignInOutcome.Throttled(Duration.ofMillis(200)), PasswordSignIn.Surface.TOKEN_ENDPOINT).headers())
                .as("never 0, which would invite an immediate retry").containsEntry("Retry-After", "1");
    }

    @Test
    void aStepUpIs401OnTheCookieApiAnd403AtTheTokenEndpointWithTheTokenAndMethods() {
        SignInOutcome stepUp = new SignInOutcome.StepUpRequired("sealed", List.of("totp", "recovery_code"));

        OAuthError cookie = PasswordSignIn.refusal(stepUp, PasswordSignIn.Surface.COOKIE);
        OAuthError grant = PasswordSignIn.refusal(stepUp, PasswordSignIn.Surface.TOKEN_ENDPOINT);

        assertThat(cookie.code()).isEqualTo(ErrorCode.MFA_REQUIRED);
        assertThat(cookie.status()).isEqualTo(401);
        assertThat(grant.status()).isEqualTo(403);
        assertThat(cookie.extra()).containsEntry("mfa_token", "sealed").containsEntry("mfa_methods", List.of("totp", "recovery_code"));
    }

    @Test
    void aDenialIs403AccessDeniedAndAMalformedAttemptInvalidRequest() {
        assertThat(PasswordSignIn.refusal(new SignInOutcome.Denied("deny-listed address"), PasswordSignIn.Surface.COOKIE))
                .satisfies(e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_DENIED);
                    assertThat(e.description()).as("the reason is for the audit log").doesNotContain("deny-listed");
                });
        assertThat(PasswordSignIn.refusal(new SignInOutcome.Malformed("missing parameter: username"), PasswordSignIn.Surface.COOKIE).code())
                .isEqualTo(ErrorCode.INVALID_REQUEST);
    }
}
