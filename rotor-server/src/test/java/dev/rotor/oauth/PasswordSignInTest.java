package dev.rotor.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.account.Accounts;
import dev.rotor.account.InMemoryUserStore;
import dev.rotor.account.PasswordHasher;
import dev.rotor.audit.AuditEvent;
import dev.rotor.audit.AuditLog;
import dev.rotor.audit.RequestInfo;
import dev.rotor.session.InMemoryRefreshTokenStore;
import dev.rotor.session.MutableClock;
import dev.rotor.session.RefreshTokenCodec;
import dev.rotor.session.RefreshTokenFamily.Channel;
import dev.rotor.session.Sessions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PasswordSignInTest {
    private static final String PASSWORD = "correct horse battery staple";
    private static final RequestInfo LAPTOP = new RequestInfo("203.0.113.7", "Firefox/128");
    private static final Client NATIVE = new Client("native", Client.Type.PUBLIC, null, List.of(), Set.of("password"), Set.of(), true,
            "openid", MutableClock.T0, Set.of());

    private final MutableClock clock = new MutableClock();
    private final List<AuditEvent> audited = new ArrayList<>();
    private final AuditLog audit = new AuditLog() {
        @Override
        public void record(AuditEvent event) {
            audited.add(event);
        }

        @Override
        public List<AuditEvent> after(long afterId, int limit) {
            return List.copyOf(audited);
        }

        @Override
        public List<AuditEvent> tail(int limit) {
            return List.copyOf(audited);
        }
    };
    private final Accounts accounts = new Accounts(new InMemoryUserStore(),
            new PasswordHasher(new PasswordHasher.Params(19456, 2, 1), 2, 10_000, new SecureRandom()), clock);
    private final Sessions sessions = new Sessions(new InMemoryRefreshTokenStore(), new RefreshTokenCodec(new byte[32]), clock,
            Duration.ofDays(7), Duration.ofDays(7), Duration.ofHours(1));
    private final PasswordSignIn signIn = new PasswordSignIn(accounts, sessions, audit, clock);

    @ParameterizedTest(name = "{0}")
    @CsvSource({"an unknown user, mallory, " + PASSWORD, "a wrong password, alice, correct horse battery stapler"})
    void signInWhenCredentialsWrongThenNoSessionAndOneLoginFailedEventWithoutThePassword(String why, String username, String password) {
        accounts.register("alice", null, null, PASSWORD);

        assertThat(signIn.signIn(NATIVE, username, password, "openid", Channel.TOKEN_ENDPOINT, LAPTOP)).isEmpty();

        assertThat(audited).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("login.failed");
            assertThat(e.clientId()).isEqualTo("native");
            assertThat(e.userId()).isNull();
            assertThat(e.request()).isEqualTo(LAPTOP);
            assertThat(e.detail()).containsEntry("username", username);
            assertThat(e.toString()).doesNotContain(password);
        });
    }
}
