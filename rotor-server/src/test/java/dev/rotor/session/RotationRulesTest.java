package dev.rotor.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.audit.AuditEvent;
import dev.rotor.audit.RequestInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RotationRulesTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final Instant T0 = CLOCK.instant();
    private static final Duration GRACE = Duration.ofSeconds(10);
    private static final Duration IDLE = Duration.ofHours(1);
    private static final Duration ABSOLUTE = Duration.ofDays(1);
    private static final String CLIENT = "spa";
    private static final String OTHER_CLIENT = "evil";

    private static final String PRESENTED = "hash-g0";
    private static final String SUCCESSOR = "hash-g1";
    private static final Instant FIRST_USE = T0.plus(Duration.ofMinutes(5));
    private static final RequestInfo FIRST_REQUEST = new RequestInfo("203.0.113.7", "Firefox/128");
    private static final RequestInfo REUSE_REQUEST = new RequestInfo("198.51.100.9", "curl/8.5");

    private final RotationRules rules = new RotationRules(GRACE, IDLE);

    private static Session session(Instant lastUsedAt, Instant revokedAt) {
        return new Session("fam-1", "user-1", CLIENT, "openid profile", T0, T0.plus(ABSOLUTE), lastUsedAt, T0,
                List.of("pwd"), "1", "203.0.113.7", "Firefox/128", "203.0.113.7", "Firefox/128", 1, revokedAt,
                revokedAt == null ? null : "logout");
    }

    private static Session live() {
        return session(FIRST_USE, null);
    }

    private static TokenState current() {
        return new TokenState(PRESENTED, "fam-1", 0, T0, null, null, null, null, null, null);
    }

    /** Used at FIRST_USE, with the grace secret still present until FIRST_USE + GRACE. */
    private static TokenState used() {
        return new TokenState(PRESENTED, "fam-1", 0, T0, FIRST_USE, FIRST_REQUEST.ip(), FIRST_REQUEST.userAgent(), SUCCESSOR,
                new byte[] {1, 2, 3}, FIRST_USE.plus(GRACE));
    }

    /** Used under strict rotation (grace 0): no grace secret, no window. */
    private static TokenState usedStrict() {
        return new TokenState(PRESENTED, "fam-1", 0, T0, FIRST_USE, FIRST_REQUEST.ip(), FIRST_REQUEST.userAgent(), SUCCESSOR,
                null, null);
    }

    private static RotationAttempt attempt(Instant now, String clientId) {
        return new RotationAttempt(PRESENTED, clientId, now, REUSE_REQUEST, RefreshTokens.generate(new java.security.SecureRandom()),
                new byte[] {9});
    }

    private static RotationAttempt attempt(Instant now) {
        return attempt(now, CLIENT);
    }

    @Test
    void decideWhenTokenCurrentThenRotate() {
        assertThat(rules.decide(current(), live(), PRESENTED, attempt(FIRST_USE))).isEqualTo(Decision.ROTATE);
    }

    @Test
    void decideWhenTokenUsedWithinGraceBySameClientAndSuccessorCurrentThenGraceReplay() {
        assertThat(rules.decide(used(), live(), SUCCESSOR, attempt(FIRST_USE.plusSeconds(3)))).isEqualTo(Decision.GRACE_REPLAY);
        assertThat(rules.decide(used(), live(), SUCCESSOR, attempt(FIRST_USE.plus(GRACE).minusMillis(1))))
                .isEqualTo(Decision.GRACE_REPLAY);
    }

    @Test
    void decideWhenTokenUsedWithinGraceButSuccessorAlreadyUsedThenReuse() {
        // The successor was rotated in turn (the family's current token is now generation 2): no replay, no fork.
        assertThat(rules.decide(used(), live(), "hash-g2", attempt(FIRST_USE.plusSeconds(3)))).isEqualTo(Decision.REUSE);
    }

    @Test
    void decideWhenTokenUsedWithinGraceButGraceSecretWipedThenReuse() {
        TokenState wiped = new TokenState(PRESENTED, "fam-1", 0, T0, FIRST_USE, "203.0.113.7", "Firefox/128", SUCCESSOR,
                null, FIRST_USE.plus(GRACE));
        assertThat(rules.decide(wiped, live(), SUCCESSOR, attempt(FIRST_USE.plusSeconds(3)))).isEqualTo(Decision.REUSE);
    }

    @ParameterizedTest(name = "used {0} after first use -> REUSE")
    @MethodSource("afterGrace")
    void decideWhenTokenUsedOutsideGraceThenReuse(Duration sinceFirstUse) {
        assertThat(rules.decide(used(), live(), SUCCESSOR, attempt(FIRST_USE.plus(sinceFirstUse)))).isEqualTo(Decision.REUSE);
    }

    static Stream<Duration> afterGrace() {
        // The window is half-open: exactly at graceUntil the retry is already a reuse.
        return Stream.of(GRACE, GRACE.plusMillis(1), Duration.ofMinutes(30));
    }

    @ParameterizedTest(name = "grace 0, used {0} after first use -> REUSE")
    @MethodSource("anyTimeAfterUse")
    void decideWhenGraceZeroThenAnyReuseIsReuse(Duration sinceFirstUse) {
        RotationRules strict = new RotationRules(Duration.ZERO, IDLE);
        assertThat(strict.decide(usedStrict(), live(), SUCCESSOR, attempt(FIRST_USE.plus(sinceFirstUse)))).isEqualTo(Decision.REUSE);
    }

    static Stream<Duration> anyTimeAfterUse() {
        return Stream.of(Duration.ZERO, Duration.ofMillis(1), Duration.ofSeconds(1), Duration.ofMinutes(10));
    }

    @Test
    void graceUntilWhenGraceZeroThenNullElseNowPlusGrace() {
        Instant now = T0.plusSeconds(42);
        assertThat(new RotationRules(Duration.ZERO, IDLE).graceUntil(attempt(now))).isNull();
        assertThat(rules.graceUntil(attempt(now))).isEqualTo(now.plus(GRACE));
    }

    @Test
    void decideWhenFamilyRevokedThenRevoked() {
        Session revoked = session(FIRST_USE, FIRST_USE.plusSeconds(1));
        assertThat(rules.decide(current(), revoked, PRESENTED, attempt(FIRST_USE.plusSeconds(2)))).isEqualTo(Decision.REVOKED);
        assertThat(rules.decide(used(), revoked, SUCCESSOR, attempt(FIRST_USE.plusSeconds(2)))).isEqualTo(Decision.REVOKED);
    }

    @Test
    void decideWhenFamilyRevokedAndExpiredThenRevoked() {
        Session revoked = session(FIRST_USE, FIRST_USE.plusSeconds(1));
        assertThat(rules.decide(current(), revoked, PRESENTED, attempt(T0.plus(ABSOLUTE).plusSeconds(1)))).isEqualTo(Decision.REVOKED);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("expiryTable")
    void decideWhenFamilyPastAbsoluteOrIdleExpiryThenExpired(String why, Instant lastUsedAt, Instant now, Decision expected) {
        Session s = session(lastUsedAt, null);
        assertThat(rules.decide(current(), s, PRESENTED, attempt(now))).isEqualTo(expected);
    }

    static Stream<Arguments> expiryTable() {
        Instant end = T0.plus(ABSOLUTE);
        Instant lateUse = end.minus(Duration.ofMinutes(30));
        return Stream.of(
                Arguments.of("idle: 1 ms before lastUsed+idle -> ROTATE", T0, T0.plus(IDLE).minusMillis(1), Decision.ROTATE),
                Arguments.of("idle: exactly at lastUsed+idle -> EXPIRED", T0, T0.plus(IDLE), Decision.EXPIRED),
                Arguments.of("idle: long after -> EXPIRED", T0, T0.plus(IDLE).plusSeconds(60), Decision.EXPIRED),
                Arguments.of("absolute: 1 ms before expiresAt -> ROTATE", lateUse, end.minusMillis(1), Decision.ROTATE),
                Arguments.of("absolute: exactly at expiresAt -> EXPIRED", lateUse, end, Decision.EXPIRED),
                Arguments.of("absolute: after expiresAt -> EXPIRED", lateUse, end.plusSeconds(1), Decision.EXPIRED));
    }

    @Test
    void decideWhenUsedTokenOfExpiredFamilyThenExpiredNotReuse() {
        // An expired family is dead already: a replay of its used token reveals nothing and revokes nothing.
        assertThat(rules.decide(used(), live(), SUCCESSOR, attempt(FIRST_USE.plus(IDLE)))).isEqualTo(Decision.EXPIRED);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrongClientTable")
    void decideWhenOtherClientThenWrongClientWhateverTheState(String why, TokenState token, Session session, Instant now) {
        assertThat(rules.decide(token, session, SUCCESSOR, attempt(now, OTHER_CLIENT))).isEqualTo(Decision.WRONG_CLIENT);
    }

    static Stream<Arguments> wrongClientTable() {
        return Stream.of(
                Arguments.of("current token", current(), live(), FIRST_USE),
                Arguments.of("used token within grace", used(), live(), FIRST_USE.plusSeconds(1)),
                Arguments.of("used token after grace (would be REUSE for its own client)", used(), live(), FIRST_USE.plusSeconds(60)),
                Arguments.of("revoked family", used(), session(FIRST_USE, FIRST_USE.plusSeconds(1)), FIRST_USE.plusSeconds(60)),
                Arguments.of("expired family", current(), live(), T0.plus(ABSOLUTE).plusSeconds(1)));
    }

    @Test
    void decideWhenTokenUnknownThenUnknown() {
        assertThat(rules.decide(null, live(), PRESENTED, attempt(FIRST_USE))).isEqualTo(Decision.UNKNOWN);
        assertThat(rules.decide(current(), null, null, attempt(FIRST_USE))).isEqualTo(Decision.UNKNOWN);
        assertThat(rules.decide(null, null, null, attempt(FIRST_USE, OTHER_CLIENT))).isEqualTo(Decision.UNKNOWN);
    }

    @Test
    void reuseEventCarriesBothUses() {
        Instant reuseAt = FIRST_USE.plusSeconds(60);
        RotationAttempt reuse = attempt(reuseAt);
        AuditEvent e = rules.reuseEvent(used(), live(), reuse);

        assertThat(e.type()).isEqualTo("refresh_token.reuse_detected");
        assertThat(e.at()).isEqualTo(reuseAt);
        assertThat(e.userId()).isEqualTo("user-1");
        assertThat(e.sessionId()).isEqualTo("fam-1");
        assertThat(e.clientId()).isEqualTo(CLIENT);
        assertThat(e.request()).isEqualTo(REUSE_REQUEST);
        assertThat(e.detail())
                .containsEntry("first_use_at", FIRST_USE.toString())
                .containsEntry("first_use_ip", FIRST_REQUEST.ip())
                .containsEntry("first_use_user_agent", FIRST_REQUEST.userAgent())
                .containsEntry("reuse_at", reuseAt.toString())
                .containsEntry("reuse_ip", REUSE_REQUEST.ip())
                .containsEntry("reuse_user_agent", REUSE_REQUEST.userAgent())
                .containsEntry("generation", "0")
                .containsEntry("family_generation", "1");
        // Never a secret in the audit log: no token hash, no sealed successor.
        assertThat(e.detail().values()).noneMatch(v -> v.contains(PRESENTED) || v.contains(SUCCESSOR));
    }
}
