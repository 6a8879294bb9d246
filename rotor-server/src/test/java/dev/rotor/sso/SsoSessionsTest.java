package dev.rotor.sso;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.audit.AuditEvent;
import dev.rotor.audit.AuditLog;
import dev.rotor.audit.RequestInfo;
import dev.rotor.crypto.Digests;
import dev.rotor.session.MutableClock;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;

/** Single sign-on sessions: a CSPRNG cookie secret stored only as its hash, a fixed lifetime, ended once. */
class SsoSessionsTest {
    private static final Duration LIFETIME = Duration.ofHours(12);
    private static final RequestInfo LAPTOP = new RequestInfo("203.0.113.7", "Firefox/128");

    private final MutableClock clock = new MutableClock();
    private final InMemorySsoSessionStore store = new InMemorySsoSessionStore();
    private final List<AuditEvent> audited = new ArrayList<>();
    private final SsoSessions sso = new SsoSessions(store, new AuditLog() {
        @Override
        public void record(AuditEvent event) {
            audited.add(event);
        }

        @Override
        public List<AuditEvent> after(long afterId, int limit) {
            return audited;
        }

        @Override
        public List<AuditEvent> tail(int limit) {
            return audited;
        }
    }, clock, new SecureRandom(), LIFETIME);

    @Test
    void startStoresTheSessionUnderTheHashOfASecretThatIsGivenOnlyToTheBrowser() {
        SsoSessions.Started started = sso.start("alice", List.of("pwd"), "1", LAPTOP);

        assertThat(started.cookieSecret()).matches("[A-Za-z0-9_-]{43}");
        assertThat(store.findBySecretHash(Digests.sha256(started.cookieSecret()))).contains(started.session());
        assertThat(store.findBySecretHash(started.cookieSecret())).isEmpty();
        assertThat(started.session()).isEqualTo(new SsoSession(started.session().id(), "alice", clock.instant(), List.of("pwd"), "1",
                clock.instant(), clock.instant().plus(LIFETIME), clock.instant(), "203.0.113.7", "Firefox/128", null, null));
        assertThat(started.toString()).contains(started.session().id()).doesNotContain(started.cookieSecret());
        assertThat(audited).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("sso.started");
            assertThat(e.userId()).isEqualTo("alice");
            assertThat(e.detail()).containsEntry("sso_session", started.session().id());
            assertThat(e.toString()).doesNotContain(started.cookieSecret());
        });
    }

    @Test
    void startGivesEachSignInItsOwnIdAndSecret() {
        SsoSessions.Started a = sso.start("alice", List.of("pwd"), "1", LAPTOP);
        SsoSessions.Started b = sso.start("alice", List.of("pwd"), "1", LAPTOP);

        assertThat(a.session().id()).isNotEqualTo(b.session().id());
        assertThat(a.cookieSecret()).isNotEqualTo(b.cookieSecret());
    }

    @Test
    void currentUntilJustBeforeTheLifetimeEndsAndUsingItDoesNotExtendIt() {
        SsoSessions.Started started = sso.start("alice", List.of("pwd"), "1", LAPTOP);

        clock.advance(LIFETIME.minusMillis(1));
        assertThat(sso.current(started.cookieSecret())).contains(started.session());
        clock.advance(Duration.ofMillis(1));
        assertThat(sso.current(started.cookieSecret())).as("at exactly its lifetime").isEmpty();
    }

    @Test
    void currentWhenEndedThenEmptyAndEndingTwiceEndsAndAuditsOnce() {
        SsoSessions.Started started = sso.start("alice", List.of("pwd"), "1", LAPTOP);
        audited.clear();

        assertThat(sso.end(started.session(), "logout", LAPTOP)).isTrue();
        assertThat(sso.end(started.session(), "logout", LAPTOP)).isFalse();

        assertThat(sso.current(started.cookieSecret())).isEmpty();
        assertThat(audited).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("sso.ended");
            assertThat(e.detail()).containsEntry("reason", "logout").containsEntry("sso_session", started.session().id());
        });
    }

    @ParameterizedTest
    @NullAndEmptySource
    void currentWhenNoCookieThenEmpty(String secret) {
        sso.start("alice", List.of("pwd"), "1", LAPTOP);
        assertThat(sso.current(secret)).isEmpty();
    }

    @Test
    void currentWhenTheCookieIsUnknownOrOversizedThenEmpty() {
        SsoSessions.Started started = sso.start("alice", List.of("pwd"), "1", LAPTOP);

        assertThat(sso.current(started.cookieSecret() + "x")).isEmpty();
        assertThat(sso.current(started.session().id())).as("the public id is not the secret").isEmpty();
        // A store whose hash would match anything still sees no look-up for an oversized value.
        String oversized = "a".repeat(SsoSessions.MAX_SECRET + 1);
        store.create(new SsoSession("s-long", "alice", clock.instant(), List.of(), "1", clock.instant(), clock.instant().plus(LIFETIME),
                clock.instant(), null, null, null, null), Digests.sha256(oversized));
        assertThat(sso.current(oversized)).isEmpty();
        String longest = "b".repeat(SsoSessions.MAX_SECRET);
        store.create(new SsoSession("s-max", "alice", clock.instant(), List.of(), "1", clock.instant(), clock.instant().plus(LIFETIME),
                clock.instant(), null, null, null, null), Digests.sha256(longest));
        assertThat(sso.current(longest)).isPresent();
    }

    @Test
    void endAllForUserEndsOnlyThatUsersSessions() {
        SsoSessions.Started a = sso.start("alice", List.of("pwd"), "1", LAPTOP);
        SsoSessions.Started b = sso.start("bob", List.of("pwd"), "1", LAPTOP);

        assertThat(sso.endAllForUser("alice", "disabled", LAPTOP)).containsExactly(a.session().id());

        assertThat(sso.current(a.cookieSecret())).isEmpty();
        assertThat(sso.current(b.cookieSecret())).isPresent();
    }

    @Test
    void linkedFamiliesAreFoundFromEitherSide() {
        SsoSessions.Started a = sso.start("alice", List.of("pwd"), "1", LAPTOP);
        sso.linkFamily(a.session(), "fam-1", "web");

        assertThat(sso.families(a.session().id())).containsExactly(new SsoSessionStore.Link("fam-1", "web"));
        assertThat(sso.sessionOfFamily("fam-1")).contains(a.session().id());
        assertThat(sso.find(a.session().id())).contains(a.session());
    }

    @Test
    void deleteExpiredRemovesWhatExpiredBeforeNow() {
        SsoSessions.Started a = sso.start("alice", List.of("pwd"), "1", LAPTOP);
        clock.advance(LIFETIME);
        assertThat(sso.deleteExpired()).as("expires exactly now: kept until after").isZero();
        clock.advance(Duration.ofMillis(1));
        assertThat(sso.deleteExpired()).isEqualTo(1);
        assertThat(sso.find(a.session().id())).isEmpty();
    }
}
