package dev.rotor.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.rotor.audit.AuditEvent;
import dev.rotor.audit.RequestInfo;
import dev.rotor.session.RefreshTokenFamily.Channel;
import dev.rotor.session.RotationOutcome.Reason;
import dev.rotor.testing.StdErr;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;

/** {@link Sessions} on the in-memory store: what the core does around the rules (the rules on every store: the contract). */
class SessionsTest {
    private static final Duration SESSION_TTL = Duration.ofDays(7);
    private static final Duration IDLE_TTL = Duration.ofDays(7);
    private static final Duration RETRY = Duration.ofHours(1);
    private static final String CLIENT = "spa";
    private static final RequestInfo LAPTOP = new RequestInfo("203.0.113.7", "Firefox/128");
    private static final byte[] MAC_KEY = new byte[32];

    static {
        new SecureRandom().nextBytes(MAC_KEY);
    }

    private final MutableClock clock = new MutableClock();
    private final InMemoryRefreshTokenStore store = new InMemoryRefreshTokenStore();
    private final RefreshTokenCodec codec = new RefreshTokenCodec(MAC_KEY);

    private Sessions sessions(Duration idle, Duration retry) {
        return new Sessions(store, codec, clock, SESSION_TTL, idle, retry);
    }

    private final Sessions sessions = sessions(IDLE_TTL, RETRY);

    private Sessions.Started start(Sessions s) {
        return s.start("user-1", CLIENT, "openid profile", List.of("pwd"), "1", Channel.TOKEN_ENDPOINT, LAPTOP);
    }

    private RotationOutcome refresh(Sessions s, String token) {
        return s.refresh(token, CLIENT, Channel.TOKEN_ENDPOINT, LAPTOP);
    }

    private String rotated(Sessions s, String token) {
        RotationOutcome outcome = refresh(s, token);
        assertThat(outcome).isInstanceOf(RotationOutcome.Rotated.class);
        return s.refreshToken(((RotationOutcome.Rotated) outcome).family());
    }

    @Test
    void startCreatesFamilyAtGenerationZeroWithATokenNamingIt() {
        Sessions.Started started = start(sessions);

        RefreshTokenFamily f = started.family();
        assertThat(f.generation()).isZero();
        assertThat(f.userId()).isEqualTo("user-1");
        assertThat(f.clientId()).isEqualTo(CLIENT);
        assertThat(f.channel()).isEqualTo(Channel.TOKEN_ENDPOINT);
        assertThat(f.createdAt()).isEqualTo(clock.instant());
        assertThat(f.lastUsedAt()).isEqualTo(clock.instant());
        assertThat(f.expiresAt()).isEqualTo(clock.instant().plus(SESSION_TTL));
        assertThat(f.rotatedAt()).isNull();
        assertThat(f.legacyHash()).isNull();
        assertThat(f.amr()).containsExactly("pwd");
        assertThat(started.refreshToken()).hasSize(RefreshTokenCodec.LENGTH).matches("[A-Za-z0-9_-]{71}")
                .isEqualTo(codec.issue(f.id(), 0));
        assertThat(started.toString()).contains(f.id()).doesNotContain(started.refreshToken());
        assertThat(store.find(f.id())).contains(f);
        assertThat(sessions.findByToken(started.refreshToken())).contains(f);
        assertThat(store.events()).extracting(AuditEvent::type).containsExactly("session.created");
        assertThat(store.events().getFirst().detail()).containsEntry("channel", "token_endpoint");
    }

    @Test
    void startForAPasswordSignInKeepsItsNoteThroughRotations() {
        Sessions.Started started = sessions.start("user-1", CLIENT, "openid", List.of("pwd", "otp", "mfa"), "2", Channel.COOKIE, LAPTOP,
                "new device, verified with TOTP");

        assertThat(started.family().signInNote()).isEqualTo("new device, verified with TOTP");
        assertThat(store.find(started.family().id()).orElseThrow().signInNote()).isEqualTo("new device, verified with TOTP");
        clock.advance(Duration.ofMinutes(15));
        RotationOutcome next = sessions.refresh(started.refreshToken(), CLIENT, Channel.COOKIE, LAPTOP);
        assertThat(next).isInstanceOfSatisfying(RotationOutcome.Rotated.class, r ->
                assertThat(r.family().signInNote()).isEqualTo("new device, verified with TOTP"));
        assertThat(start(sessions).family().signInNote()).as("any other start has nothing to say").isNull();
    }

    @Test
    void startVouchedForBySingleSignOnKeepsItsAuthTimeAndLivesAtMostTheSessionLifetime() {
        Instant signedIn = clock.instant().minus(Duration.ofHours(3));

        RefreshTokenFamily shorter = sessions.start("user-1", CLIENT, "openid", List.of("pwd"), "1", signedIn, Duration.ofDays(1),
                Channel.COOKIE, LAPTOP).family();
        RefreshTokenFamily longer = sessions.start("user-1", CLIENT, "openid", List.of("pwd"), "1", signedIn, SESSION_TTL.plusDays(30),
                Channel.COOKIE, LAPTOP).family();

        assertThat(shorter.authTime()).isEqualTo(signedIn);
        assertThat(shorter.createdAt()).isEqualTo(clock.instant());
        assertThat(shorter.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofDays(1)));
        assertThat(longer.expiresAt()).isEqualTo(clock.instant().plus(SESSION_TTL));
        assertThat(store.find(shorter.id())).contains(shorter);
    }

    @Test
    void aStepUpVerdictNeverShowsItsTokenInText() {
        assertThat(new RefreshCheck.Verdict.StepUp("sealed-mfa-token", List.of("totp", "recovery_code")).toString())
                .doesNotContain("sealed-mfa-token").contains("totp", "recovery_code");
    }

    @Test
    void refreshWhenChainOfFiveThenEachRotationAdvancesOneGenerationWithANewToken() {
        String token = start(sessions).refreshToken();
        Set<String> seen = new HashSet<>(List.of(token));
        for (int i = 1; i <= 5; i++) {
            clock.advance(Duration.ofMinutes(15));
            token = rotated(sessions, token);
            assertThat(seen.add(token)).as("generation %d is a new token", i).isTrue();
        }
        assertThat(sessions.findByToken(token)).get().extracting(RefreshTokenFamily::generation).isEqualTo(5);
        assertThat(sessions.uses(sessions.findByToken(token).orElseThrow().id())).hasSize(5);
    }

    @Test
    void refreshOfAPresentedTokenReadsTheFamilyOnceForTheCallersChecksAndTheRotation() {
        String token = start(sessions).refreshToken();
        int before = store.familyReads();

        Sessions.Presented presented = sessions.present(token).orElseThrow();
        RotationOutcome outcome = sessions.refresh(presented, CLIENT, Channel.TOKEN_ENDPOINT, LAPTOP);

        assertThat(outcome).isInstanceOf(RotationOutcome.Rotated.class);
        assertThat(store.familyReads() - before).isEqualTo(1);
    }

    @Test
    void refreshWhenPastAbsoluteLifetimeThenExpiredEvenWhenRefreshedDaily() {
        Sessions.Started started = start(sessions);
        String token = started.refreshToken();
        for (int day = 1; day < 7; day++) {
            clock.advance(Duration.ofDays(1));
            token = rotated(sessions, token);
        }
        clock.set(started.family().expiresAt());
        assertThat(refresh(sessions, token)).isEqualTo(new RotationOutcome.Refused(Reason.EXPIRED));
        assertThat(sessions.isActive(store.find(started.family().id()).orElseThrow())).isFalse();
    }

    @Test
    void refreshWhenIdleLongerThanIdleTtlThenExpired() {
        Sessions idle = sessions(Duration.ofHours(1), RETRY);
        Sessions.Started started = start(idle);
        clock.advance(Duration.ofMinutes(59));
        String token = rotated(idle, started.refreshToken());

        clock.advance(Duration.ofHours(1));
        assertThat(refresh(idle, token)).isEqualTo(new RotationOutcome.Refused(Reason.EXPIRED));
        assertThat(idle.activeFor("user-1")).isEmpty();
    }

    @Test
    void revokeOnceThenRefreshIsRefused() {
        Sessions.Started started = start(sessions);
        assertThat(sessions.revoke(started.family(), "logout", LAPTOP)).isTrue();
        assertThat(sessions.revoke(started.family(), "logout", LAPTOP)).isFalse();

        assertThat(refresh(sessions, started.refreshToken())).isEqualTo(new RotationOutcome.Refused(Reason.REVOKED));
        assertThat(sessions.activeFor("user-1")).isEmpty();
        assertThat(store.events().getLast().type()).isEqualTo("session.revoked");
    }

    @Test
    void revokeAllRevokesEveryLiveFamilyOfTheUser() {
        Sessions.Started a = start(sessions);
        Sessions.Started b = start(sessions);
        Sessions.Started other = sessions.start("user-2", CLIENT, "openid", List.of("pwd"), "1", Channel.TOKEN_ENDPOINT, LAPTOP);

        assertThat(sessions.revokeAll("user-1", "logout_all", LAPTOP)).isEqualTo(2);

        assertThat(refresh(sessions, a.refreshToken())).isEqualTo(new RotationOutcome.Refused(Reason.REVOKED));
        assertThat(refresh(sessions, b.refreshToken())).isEqualTo(new RotationOutcome.Refused(Reason.REVOKED));
        assertThat(refresh(sessions, other.refreshToken())).isInstanceOf(RotationOutcome.Rotated.class);
        assertThat(store.events().getLast().detail()).containsEntry("sessions", "2");
    }

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @NullAndEmptySource
    @MethodSource("malformed")
    void refreshWhenMalformedOrForgedThenRefusedWithoutTouchingTheStore(String presented) {
        Sessions guarded = new Sessions(untouchableStore(), codec, clock, SESSION_TTL, IDLE_TTL, RETRY);

        assertThat(guarded.refresh(presented, CLIENT, Channel.TOKEN_ENDPOINT, LAPTOP)).isEqualTo(new RotationOutcome.Refused(Reason.UNKNOWN));
        assertThat(guarded.findByToken(presented)).isEmpty();
    }

    static Stream<String> malformed() {
        RefreshTokenCodec c = new RefreshTokenCodec(MAC_KEY);
        String valid = c.issue("0b6f3a4e-6d6c-4c47-9c2f-6f3f2b1d7e10", 7);
        char last = valid.charAt(valid.length() - 1);
        char flipped = valid.charAt(30) == 'A' ? 'B' : 'A';
        return Stream.of(
                valid.substring(1),                                           // 70 characters
                valid + "A",                                                  // 72 characters
                valid.substring(1) + "=",                                     // padding
                valid.substring(1) + "+",                                     // standard base64, not base64url
                valid.substring(1) + "/",
                valid.substring(1) + " ",
                valid.substring(1) + "\u00e9",                                // non-ASCII
                valid.substring(0, 70) + (char) (last + 1),                   // altered unused bits: not canonical
                valid.substring(0, 30) + flipped + valid.substring(31),       // a bit of the family, generation or MAC
                new RefreshTokenCodec(new byte[32]).issue("0b6f3a4e-6d6c-4c47-9c2f-6f3f2b1d7e10", 7), // another server's key
                "x".repeat(10_000),
                "' OR 1=1 --" + "A".repeat(RefreshTokenCodec.LENGTH - 11));
    }

    /** A store that fails the test on any call. */
    private static RefreshTokenStore untouchableStore() {
        return (RefreshTokenStore) Proxy.newProxyInstance(RefreshTokenStore.class.getClassLoader(), new Class<?>[] {RefreshTokenStore.class},
                (proxy, method, args) -> fail("the store was touched: " + method.getName()));
    }

    @Test
    void deleteExpiredDropsFamiliesADayPastTheirAbsoluteExpiry() {
        Sessions.Started old = start(sessions);
        clock.advance(Duration.ofDays(2));
        Sessions.Started recent = start(sessions);
        sessions.revoke(recent.family(), "logout", LAPTOP);

        clock.set(old.family().expiresAt().plus(Duration.ofDays(1)));
        assertThat(sessions.deleteExpired()).isZero();
        clock.advance(Duration.ofMillis(1));
        assertThat(sessions.deleteExpired()).isEqualTo(1);

        assertThat(sessions.find(old.family().id())).isEmpty();
        assertThat(sessions.findByToken(old.refreshToken())).isEmpty();
        assertThat(refresh(sessions, old.refreshToken())).isEqualTo(new RotationOutcome.Refused(Reason.UNKNOWN));
        assertThat(sessions.find(recent.family().id())).as("revoked, but not yet expired").isPresent();
    }

    @Test
    void listActiveListsLiveFamiliesNewestFirst() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(start(sessions).family().id());
            clock.advance(Duration.ofSeconds(1));
        }
        sessions.revoke(store.find(ids.get(1)).orElseThrow(), "admin", RequestInfo.NONE);

        assertThat(sessions.listActive(10)).extracting(RefreshTokenFamily::id).containsExactly(ids.get(2), ids.get(0));
        assertThat(sessions.listActive(1)).extracting(RefreshTokenFamily::id).containsExactly(ids.get(2));
    }

    @Test
    void listActiveLeavesOutFamiliesIdleLongerThanTheIdleLifetime() {
        Sessions idle = sessions(Duration.ofHours(1), RETRY);
        String idled = start(idle).family().id();
        clock.advance(Duration.ofMinutes(30));
        String used = start(idle).family().id();
        clock.advance(Duration.ofMinutes(31));

        assertThat(store.listActive(clock.instant(), 10)).as("the store knows only absolute expiry").hasSize(2);
        assertThat(idle.listActive(10)).extracting(RefreshTokenFamily::id).containsExactly(used).doesNotContain(idled);
    }

    @Test
    void refreshWhenUsedTokenComesBackThenReuseIsLoggedAsAWarningNamingTheSessionNotTheToken() {
        Sessions strict = sessions(IDLE_TTL, Duration.ZERO);
        Sessions.Started started = start(strict);
        String successor = rotated(strict, started.refreshToken());

        RotationOutcome[] outcome = new RotationOutcome[1];
        String log = StdErr.during(() -> outcome[0] = refresh(strict, started.refreshToken()));

        assertThat(outcome[0]).isInstanceOf(RotationOutcome.Reused.class);
        assertThat(log).contains("WARN").contains("refresh token reuse").contains(started.family().id())
                .doesNotContain(started.refreshToken()).doesNotContain(successor);
        assertThat(store.events()).extracting(AuditEvent::type).containsExactly("session.created", "refresh_token.reuse_detected");
    }

    @Test
    void refreshWhenAnotherRequestRevokesTheFamilyBeforeTheReuseRevocationThenRevokedOnceAndNoReuseReported() {
        Sessions racing = new Sessions(storeWhereALogoutLandsBeforeTheFirstRevoke(), codec, clock, SESSION_TTL, IDLE_TTL, Duration.ZERO);
        Sessions.Started started = start(racing);
        rotated(racing, started.refreshToken());

        RotationOutcome[] outcome = new RotationOutcome[1];
        String log = StdErr.during(() -> outcome[0] = refresh(racing, started.refreshToken()));

        // The reuse lost its conditional revoke: read again, the family is revoked, and nobody claims the revocation twice.
        assertThat(outcome[0]).isEqualTo(new RotationOutcome.Refused(Reason.REVOKED));
        assertThat(log).doesNotContain("refresh token reuse");
        assertThat(store.events()).extracting(AuditEvent::type).containsExactly("session.created", "session.revoked");
        assertThat(store.find(started.family().id()).orElseThrow().revokeReason()).isEqualTo("logout");
    }

    /** The in-memory store, where a logout revokes the family just before the first {@link FamilyChange.Revoke} lands. */
    private RefreshTokenStore storeWhereALogoutLandsBeforeTheFirstRevoke() {
        AtomicBoolean raced = new AtomicBoolean();
        return (RefreshTokenStore) Proxy.newProxyInstance(RefreshTokenStore.class.getClassLoader(), new Class<?>[] {RefreshTokenStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("apply") && args[0] instanceof FamilyChange.Revoke r && !raced.getAndSet(true)) {
                        assertThat(sessions.revoke(store.find(r.familyId()).orElseThrow(), "logout", LAPTOP)).isTrue();
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** A check that answers {@code verdict} and counts how often it was asked. */
    private static final class ScriptedCheck implements RefreshCheck {
        RefreshCheck.Verdict verdict = new RefreshCheck.Verdict.Allow();
        final List<RefreshTokenFamily> asked = new ArrayList<>();

        @Override
        public Verdict check(RefreshTokenFamily family, Channel channel, RequestInfo request) {
            asked.add(family);
            return verdict;
        }
    }

    private final ScriptedCheck check = new ScriptedCheck();
    /** Sessions on the same store that ask {@link #check} before each rotation. */
    private final Sessions checked = new Sessions(store, codec, clock, SESSION_TTL, IDLE_TTL, RETRY, LogoutNotices.NONE, check);

    @Test
    void aRefreshHeldForAStepUpConsumesNothingAndTheSameTokenStillWorksOnceAllowed() {
        Sessions s = checked;
        Sessions.Started started = start(s);
        check.verdict = new RefreshCheck.Verdict.StepUp("sealed-mfa-token", List.of("totp"));

        RotationOutcome held = refresh(s, started.refreshToken());

        assertThat(held).isInstanceOfSatisfying(RotationOutcome.HeldForStepUp.class, h -> {
            assertThat(h.mfaToken()).isEqualTo("sealed-mfa-token");
            assertThat(h.methods()).containsExactly("totp");
            assertThat(h.toString()).doesNotContain("sealed-mfa-token").contains(started.family().id(), "totp");
        });
        assertThat(store.find(started.family().id())).contains(started.family());
        check.verdict = new RefreshCheck.Verdict.Allow();
        assertThat(refresh(s, started.refreshToken())).isInstanceOf(RotationOutcome.Rotated.class);
    }

    @Test
    void aDeniedRefreshRevokesTheFamilyWithTheRiskDecision() {
        Sessions s = checked;
        Sessions.Started started = start(s);
        check.verdict = new RefreshCheck.Verdict.Deny(java.util.Map.of("risk_decision", "deny", "risk_score", "90"));

        RotationOutcome denied = refresh(s, started.refreshToken());

        assertThat(denied).isInstanceOf(RotationOutcome.Denied.class);
        RefreshTokenFamily after = store.find(started.family().id()).orElseThrow();
        assertThat(after.isRevoked()).isTrue();
        assertThat(after.revokeReason()).isEqualTo("risk_denied");
        assertThat(store.events()).last().satisfies(e -> {
            assertThat(e.type()).isEqualTo("session.revoked");
            assertThat(e.detail()).containsEntry("reason", "risk_denied").containsEntry("risk_score", "90");
        });
        check.verdict = new RefreshCheck.Verdict.Allow();
        assertThat(refresh(s, started.refreshToken())).as("revoked for good").isEqualTo(new RotationOutcome.Refused(Reason.REVOKED));
    }

    @Test
    void aReuseIsDetectedWhateverTheCheckWouldSayAndTheCheckIsNotAsked() {
        Sessions s = checked;
        Sessions.Started started = start(s);
        String next = rotated(s, started.refreshToken());
        rotated(s, next);
        check.asked.clear();
        check.verdict = new RefreshCheck.Verdict.StepUp("t", List.of("totp"));

        assertThat(refresh(s, started.refreshToken())).isInstanceOf(RotationOutcome.Reused.class);
        assertThat(check.asked).isEmpty();
    }

    @Test
    void aFinishedStepUpRotatesWithoutAskingAgainAndTheFamilyCarriesTheSecondFactor() {
        Sessions s = checked;
        Sessions.Started started = start(s);
        check.verdict = new RefreshCheck.Verdict.StepUp("t", List.of("totp"));
        Sessions.Presented presented = s.present(started.refreshToken()).orElseThrow();
        check.asked.clear();

        RotationOutcome done = s.refreshSteppedUp(presented, CLIENT, Channel.TOKEN_ENDPOINT, LAPTOP,
                new Sessions.StepUp(List.of("pwd", "otp", "mfa"), "2"));

        assertThat(done).isInstanceOfSatisfying(RotationOutcome.Rotated.class, r -> {
            assertThat(r.family().amr()).containsExactly("pwd", "otp", "mfa");
            assertThat(r.family().acr()).isEqualTo("2");
        });
        assertThat(check.asked).isEmpty();
        assertThat(store.find(started.family().id()).orElseThrow().amr()).as("stored").containsExactly("pwd", "otp", "mfa");
    }

    @Test
    void theCheckIsAskedOncePerRefreshWithTheFamilyAsRead() {
        Sessions s = checked;
        Sessions.Started started = start(s);

        rotated(s, started.refreshToken());

        assertThat(check.asked).containsExactly(started.family());
    }

    @Test
    void whenAnotherInstanceRotatesFirstTheRetriedRefreshIsNotAskedAgain() {
        Sessions racing = new Sessions(storeWhereAnotherInstanceRotatesBeforeTheFirstRotate(), codec, clock, SESSION_TTL, IDLE_TTL, RETRY,
                LogoutNotices.NONE, check);
        Sessions.Started started = start(racing);
        racedToken = started.refreshToken();

        RotationOutcome outcome = refresh(racing, started.refreshToken());

        // The rotation lost its compare-and-set to the other instance; read again, it is a retry within the window.
        assertThat(outcome).isInstanceOf(RotationOutcome.Retried.class);
        assertThat(check.asked).as("asked once, about the family as first read").containsExactly(started.family());
    }

    private String racedToken;

    /** The in-memory store, where another instance (no check) rotates {@link #racedToken} just before the first Rotate lands. */
    private RefreshTokenStore storeWhereAnotherInstanceRotatesBeforeTheFirstRotate() {
        AtomicBoolean raced = new AtomicBoolean();
        return (RefreshTokenStore) Proxy.newProxyInstance(RefreshTokenStore.class.getClassLoader(), new Class<?>[] {RefreshTokenStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("apply") && args[0] instanceof FamilyChange.Rotate && !raced.getAndSet(true)) {
                        assertThat(refresh(sessions, racedToken)).isInstanceOf(RotationOutcome.Rotated.class);
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
