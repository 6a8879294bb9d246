package dev.rotor.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.rotor.audit.AuditEvent;
import dev.rotor.audit.RequestInfo;
import dev.rotor.crypto.Sealer;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;

class SessionsTest {
    private static final Duration SESSION_TTL = Duration.ofDays(7);
    private static final Duration IDLE_TTL = Duration.ofDays(7);
    private static final Duration GRACE = Duration.ofSeconds(10);
    private static final String CLIENT = "spa";
    private static final RequestInfo LAPTOP = new RequestInfo("203.0.113.7", "Firefox/128");
    private static final RequestInfo ATTACKER = new RequestInfo("198.51.100.9", "curl/8.5");

    private final MutableClock clock = new MutableClock();
    private final SecureRandom random = new SecureRandom();
    private final Sealer sealer = new Sealer(new byte[32], random);
    private final InMemoryRefreshTokenStore store = new InMemoryRefreshTokenStore();

    private Sessions sessions(Duration idle, Duration grace) {
        return new Sessions(store, sealer, clock, random, SESSION_TTL, idle, grace);
    }

    private final Sessions sessions = sessions(IDLE_TTL, GRACE);

    private Sessions.Started start(Sessions s) {
        return s.start("user-1", CLIENT, "openid profile", List.of("pwd"), "1", LAPTOP);
    }

    private static String rotated(RotationOutcome outcome) {
        assertThat(outcome).isInstanceOf(RotationOutcome.Rotated.class);
        return ((RotationOutcome.Rotated) outcome).refreshToken();
    }

    @Test
    void startCreatesFamilyAtGenerationZero() {
        Sessions.Started started = start(sessions);

        Session s = started.session();
        assertThat(s.generation()).isZero();
        assertThat(s.userId()).isEqualTo("user-1");
        assertThat(s.clientId()).isEqualTo(CLIENT);
        assertThat(s.createdAt()).isEqualTo(clock.instant());
        assertThat(s.lastUsedAt()).isEqualTo(clock.instant());
        assertThat(s.expiresAt()).isEqualTo(clock.instant().plus(SESSION_TTL));
        assertThat(s.amr()).containsExactly("pwd");
        assertThat(s.isRevoked()).isFalse();
        assertThat(started.refreshToken()).hasSize(RefreshTokens.LENGTH).matches("[A-Za-z0-9_-]{43}");
        assertThat(started.toString()).doesNotContain(started.refreshToken());

        assertThat(store.find(s.id())).contains(s);
        assertThat(sessions.findByToken(started.refreshToken())).contains(s);
        // Only the hash is stored, never the plaintext.
        assertThat(store.token(started.refreshToken())).isEmpty();
        assertThat(store.token(RefreshTokens.hash(started.refreshToken()))).get()
                .satisfies(t -> assertThat(t.generation()).isZero())
                .satisfies(t -> assertThat(t.isUsed()).isFalse());
        assertThat(store.events()).extracting(AuditEvent::type).containsExactly("session.created");
    }

    @Test
    void refreshWhenChainOfFiveThenEachRotationAdvancesOneGeneration() {
        Sessions.Started started = start(sessions);
        Set<String> seen = new HashSet<>(List.of(started.refreshToken()));
        String token = started.refreshToken();
        for (int i = 1; i <= 5; i++) {
            clock.advance(Duration.ofMinutes(15));
            RotationOutcome outcome = sessions.refresh(token, CLIENT, LAPTOP);
            token = rotated(outcome);
            Session s = ((RotationOutcome.Rotated) outcome).session();
            assertThat(s.generation()).isEqualTo(i);
            assertThat(s.lastUsedAt()).isEqualTo(clock.instant());
            // Rotation never extends the absolute lifetime.
            assertThat(s.expiresAt()).isEqualTo(started.session().expiresAt());
            assertThat(seen.add(token)).as("every successor is new").isTrue();
        }
        assertThat(store.find(started.session().id())).get().extracting(Session::generation).isEqualTo(5);
    }

    @Test
    void refreshWhenRetriedWithinGraceThenSameSuccessorAgain() {
        Sessions.Started started = start(sessions);
        String successor = rotated(sessions.refresh(started.refreshToken(), CLIENT, LAPTOP));

        clock.advance(Duration.ofSeconds(3));
        RotationOutcome retry = sessions.refresh(started.refreshToken(), CLIENT, LAPTOP);

        assertThat(retry).isInstanceOfSatisfying(RotationOutcome.GraceReplay.class, g -> {
            assertThat(g.refreshToken()).isEqualTo(successor);
            assertThat(g.session().generation()).isEqualTo(1);
        });
        // No fork: the successor is still the one current token and rotates normally.
        assertThat(rotated(sessions.refresh(successor, CLIENT, LAPTOP))).isNotEqualTo(successor);
    }

    @Test
    void refreshKeepsGraceSuccessorOnlySealed() {
        Sessions.Started started = start(sessions);
        String successor = rotated(sessions.refresh(started.refreshToken(), CLIENT, LAPTOP));

        TokenState used = store.token(RefreshTokens.hash(started.refreshToken())).orElseThrow();
        TokenState next = store.token(RefreshTokens.hash(successor)).orElseThrow();
        assertThat(used.graceUntil()).isEqualTo(clock.instant().plus(GRACE));
        assertThat(next.graceSealed()).isNotNull();
        assertThat(new String(next.graceSealed(), StandardCharsets.ISO_8859_1)).doesNotContain(successor);
    }

    @Test
    void refreshWhenReplayedAfterGraceThenReuseRevokesFamilyAndCurrentSuccessorFails() {
        Sessions.Started started = start(sessions);
        String successor = rotated(sessions.refresh(started.refreshToken(), CLIENT, LAPTOP));

        clock.advance(GRACE);
        RotationOutcome replay = sessions.refresh(started.refreshToken(), CLIENT, ATTACKER);

        assertThat(replay).isInstanceOfSatisfying(RotationOutcome.Reused.class,
                r -> assertThat(r.session().revokeReason()).isEqualTo("refresh_token_reuse"));
        assertThat(sessions.refresh(successor, CLIENT, LAPTOP)).isEqualTo(new RotationOutcome.Refused(Decision.REVOKED));
        assertThat(sessions.find(started.session().id())).get().extracting(Session::isRevoked).isEqualTo(true);
        AuditEvent reuse = store.events().getLast();
        assertThat(reuse.type()).isEqualTo("refresh_token.reuse_detected");
        assertThat(reuse.detail()).containsEntry("first_use_ip", LAPTOP.ip()).containsEntry("reuse_ip", ATTACKER.ip());
    }

    @Test
    void refreshWhenOlderGenerationReplayedWithinGraceOfNewerRotationThenReuse() {
        Sessions.Started started = start(sessions);
        String g1 = rotated(sessions.refresh(started.refreshToken(), CLIENT, LAPTOP));
        String g2 = rotated(sessions.refresh(g1, CLIENT, LAPTOP));

        // g0 is still within its grace window, but its successor g1 is no longer current.
        assertThat(sessions.refresh(started.refreshToken(), CLIENT, LAPTOP)).isInstanceOf(RotationOutcome.Reused.class);
        assertThat(sessions.refresh(g2, CLIENT, LAPTOP)).isEqualTo(new RotationOutcome.Refused(Decision.REVOKED));
    }

    @Test
    void refreshWhenGraceZeroThenImmediateReplayIsReuse() {
        Sessions strict = sessions(IDLE_TTL, Duration.ZERO);
        Sessions.Started started = start(strict);
        String successor = rotated(strict.refresh(started.refreshToken(), CLIENT, LAPTOP));

        assertThat(store.token(RefreshTokens.hash(successor))).get().extracting(TokenState::graceSealed).isNull();
        assertThat(strict.refresh(started.refreshToken(), CLIENT, LAPTOP)).isInstanceOf(RotationOutcome.Reused.class);
        assertThat(strict.refresh(successor, CLIENT, LAPTOP)).isEqualTo(new RotationOutcome.Refused(Decision.REVOKED));
    }

    @Test
    void refreshWhenPastAbsoluteLifetimeThenExpired() {
        Sessions.Started started = start(sessions);
        String token = started.refreshToken();
        // Refreshing every day keeps the family alive only until its absolute end.
        for (int day = 1; day < 7; day++) {
            clock.advance(Duration.ofDays(1));
            token = rotated(sessions.refresh(token, CLIENT, LAPTOP));
        }
        clock.set(started.session().expiresAt());
        assertThat(sessions.refresh(token, CLIENT, LAPTOP)).isEqualTo(new RotationOutcome.Refused(Decision.EXPIRED));
        assertThat(sessions.isActive(store.find(started.session().id()).orElseThrow())).isFalse();
    }

    @Test
    void refreshWhenIdleLongerThanIdleTtlThenExpired() {
        Sessions idle = sessions(Duration.ofHours(1), GRACE);
        Sessions.Started started = start(idle);
        clock.advance(Duration.ofMinutes(59));
        String token = rotated(idle.refresh(started.refreshToken(), CLIENT, LAPTOP));

        clock.advance(Duration.ofHours(1));
        assertThat(idle.refresh(token, CLIENT, LAPTOP)).isEqualTo(new RotationOutcome.Refused(Decision.EXPIRED));
        assertThat(idle.activeFor("user-1")).isEmpty();
    }

    @Test
    void refreshWhenSessionRevokedThenRevoked() {
        Sessions.Started started = start(sessions);
        assertThat(sessions.revoke(started.session(), "logout", LAPTOP)).isTrue();
        assertThat(sessions.revoke(started.session(), "logout", LAPTOP)).isFalse();

        assertThat(sessions.refresh(started.refreshToken(), CLIENT, LAPTOP)).isEqualTo(new RotationOutcome.Refused(Decision.REVOKED));
        assertThat(sessions.activeFor("user-1")).isEmpty();
    }

    @Test
    void revokeAllRevokesEveryLiveFamilyOfTheUser() {
        Sessions.Started a = start(sessions);
        Sessions.Started b = start(sessions);
        Sessions.Started other = sessions.start("user-2", CLIENT, "openid", List.of("pwd"), "1", LAPTOP);

        assertThat(sessions.revokeAll("user-1", "logout_all", LAPTOP)).isEqualTo(2);

        assertThat(sessions.refresh(a.refreshToken(), CLIENT, LAPTOP)).isEqualTo(new RotationOutcome.Refused(Decision.REVOKED));
        assertThat(sessions.refresh(b.refreshToken(), CLIENT, LAPTOP)).isEqualTo(new RotationOutcome.Refused(Decision.REVOKED));
        assertThat(sessions.refresh(other.refreshToken(), CLIENT, LAPTOP)).isInstanceOf(RotationOutcome.Rotated.class);
        assertThat(store.events().getLast().detail()).containsEntry("sessions", "2");
    }

    @Test
    void refreshWhenOtherClientThenWrongClientAndTokenStillWorksForItsClient() {
        Sessions.Started started = start(sessions);

        assertThat(sessions.refresh(started.refreshToken(), "other", LAPTOP)).isEqualTo(new RotationOutcome.Refused(Decision.WRONG_CLIENT));
        assertThat(sessions.refresh(started.refreshToken(), CLIENT, LAPTOP)).isInstanceOf(RotationOutcome.Rotated.class);
    }

    @Test
    void refreshWhenWellFormedButUnknownThenUnknown() {
        String unknown = RefreshTokens.generate(random).plaintext();
        assertThat(sessions.refresh(unknown, CLIENT, LAPTOP)).isEqualTo(new RotationOutcome.Refused(Decision.UNKNOWN));
        assertThat(sessions.findByToken(unknown)).isEmpty();
    }

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @NullAndEmptySource
    @MethodSource("malformed")
    void refreshWhenMalformedThenRefusedWithoutTouchingTheStore(String presented) {
        Sessions guarded = new Sessions(untouchableStore(), sealer, clock, random, SESSION_TTL, IDLE_TTL, GRACE);

        assertThat(guarded.refresh(presented, CLIENT, LAPTOP)).isEqualTo(new RotationOutcome.Refused(Decision.UNKNOWN));
        assertThat(guarded.findByToken(presented)).isEmpty();
    }

    static Stream<String> malformed() {
        String valid = RefreshTokens.generate(new SecureRandom()).plaintext();
        return Stream.of(
                valid.substring(1),                        // 42 characters
                valid + "A",                               // 44 characters
                valid.substring(1) + "=",                  // padding
                valid.substring(1) + "+",                  // standard base64, not base64url
                valid.substring(1) + "/",
                valid.substring(1) + " ",
                valid.substring(1) + "\u00e9",             // non-ASCII
                "x".repeat(10_000),
                "' OR 1=1 --" + "A".repeat(RefreshTokens.LENGTH - 11));
    }

    /** A store that fails the test on any call. */
    private static RefreshTokenStore untouchableStore() {
        return (RefreshTokenStore) Proxy.newProxyInstance(RefreshTokenStore.class.getClassLoader(), new Class<?>[] {RefreshTokenStore.class},
                (proxy, method, args) -> fail("the store was touched: " + method.getName()));
    }

    @Test
    void wipeGraceSecretsWipesTheSealedSuccessorOnlyAfterTheWindow() {
        Sessions.Started started = start(sessions);
        String successor = rotated(sessions.refresh(started.refreshToken(), CLIENT, LAPTOP));

        assertThat(sessions.wipeGraceSecrets()).isZero();
        clock.advance(GRACE);
        assertThat(sessions.wipeGraceSecrets()).isZero();
        clock.advance(Duration.ofMillis(1));
        assertThat(sessions.wipeGraceSecrets()).isEqualTo(1);

        assertThat(store.token(RefreshTokens.hash(successor))).get().extracting(TokenState::graceSealed).isNull();
        // The successor itself is unaffected.
        assertThat(sessions.refresh(successor, CLIENT, LAPTOP)).isInstanceOf(RotationOutcome.Rotated.class);
    }

    @Test
    void deleteExpiredDropsFamiliesADayPastTheirAbsoluteExpiry() {
        Sessions.Started old = start(sessions);
        clock.advance(Duration.ofDays(2));
        Sessions.Started recent = start(sessions);
        sessions.revoke(recent.session(), "logout", LAPTOP);

        clock.set(old.session().expiresAt().plus(Duration.ofDays(1)));
        assertThat(sessions.deleteExpired()).isZero();
        clock.advance(Duration.ofMillis(1));
        assertThat(sessions.deleteExpired()).isEqualTo(1);

        assertThat(sessions.find(old.session().id())).isEmpty();
        assertThat(sessions.findByToken(old.refreshToken())).isEmpty();
        assertThat(sessions.find(recent.session().id())).as("revoked, but not yet expired").isPresent();
    }

    @Test
    void listActiveListsLiveSessionsNewestFirst() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(start(sessions).session().id());
            clock.advance(Duration.ofSeconds(1));
        }
        sessions.revoke(store.find(ids.get(1)).orElseThrow(), "admin", RequestInfo.NONE);

        assertThat(sessions.listActive(10)).extracting(Session::id).containsExactly(ids.get(2), ids.get(0));
        assertThat(sessions.listActive(1)).extracting(Session::id).containsExactly(ids.get(2));
    }
}
