package dev.rotor.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.audit.AuditEvent;
import dev.rotor.audit.RequestInfo;
import dev.rotor.session.RefreshTokenFamily.Channel;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The rotation rules as a table: a family as read, one presentation, the verdict. */
class RotationRulesTest {
    private static final Instant T0 = MutableClock.T0;
    private static final Duration ABSOLUTE = Duration.ofDays(7);
    private static final Duration IDLE = Duration.ofDays(1);
    private static final Duration RETRY = Duration.ofHours(1);
    private static final String CLIENT = "spa";
    private static final String OTHER_CLIENT = "other";
    /** The family was rotated to generation 3 at ROTATED. */
    private static final Instant ROTATED = T0.plus(Duration.ofHours(2));
    private static final RequestInfo FIRST = new RequestInfo("203.0.113.7", "Firefox/128");
    private static final RequestInfo REUSE = new RequestInfo("198.51.100.9", "curl/8.5");

    private final RotationRules rules = new RotationRules(RETRY, IDLE);

    private static RefreshTokenFamily family(int generation, Instant rotatedAt, Instant lastUsedAt, String legacyHash, Channel channel,
                                             Instant revokedAt) {
        return new RefreshTokenFamily("fam-1", "user-1", CLIENT, "openid", T0, T0.plus(ABSOLUTE), lastUsedAt, T0, List.of("pwd"), "1",
                FIRST.ip(), FIRST.userAgent(), FIRST.ip(), FIRST.userAgent(), generation, rotatedAt, legacyHash, channel, revokedAt,
                revokedAt == null ? null : "logout", null, null);
    }

    /** Generation 3, rotated at ROTATED, a token-endpoint family. */
    private static RefreshTokenFamily live() {
        return family(3, ROTATED, ROTATED, null, Channel.TOKEN_ENDPOINT, null);
    }

    private static PresentedToken gen(int generation) {
        return new PresentedToken("fam-1", generation, null);
    }

    private static RotationRules.Presentation at(PresentedToken t, Instant now) {
        return new RotationRules.Presentation(t, CLIENT, Channel.TOKEN_ENDPOINT, now, REUSE);
    }

    private static RotationRules.Presentation by(String client, PresentedToken t, Instant now) {
        return new RotationRules.Presentation(t, client, Channel.TOKEN_ENDPOINT, now, REUSE);
    }

    /** The verdict's kind, and the refusal reason for a refusal. */
    private static String kind(RotationOutcome o) {
        return o instanceof RotationOutcome.Refused r ? r.reason().name() : o.getClass().getSimpleName();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void decide(String why, RefreshTokenFamily family, RotationRules.Presentation p, String expected) {
        assertThat(kind(rules.decide(family, p))).isEqualTo(expected);
    }

    static Stream<Arguments> table() {
        Instant soon = ROTATED.plusSeconds(5);
        Instant end = T0.plus(ABSOLUTE);
        RefreshTokenFamily lateUse = family(3, end.minus(Duration.ofMinutes(30)), end.minus(Duration.ofMinutes(30)), null,
                Channel.TOKEN_ENDPOINT, null);
        return Stream.of(
                Arguments.of("current token -> rotate", live(), at(gen(3), soon), "Rotated"),
                Arguments.of("predecessor right after the rotation -> retry", live(), at(gen(2), soon), "Retried"),
                Arguments.of("predecessor 1 ms before the window closes -> retry", live(), at(gen(2), ROTATED.plus(RETRY).minusMillis(1)), "Retried"),
                Arguments.of("predecessor exactly when the window closes -> reuse", live(), at(gen(2), ROTATED.plus(RETRY)), "Reused"),
                Arguments.of("two generations back (successor presented) -> reuse at once", live(), at(gen(1), soon), "Reused"),
                Arguments.of("the first token, long ago -> reuse", live(), at(gen(0), soon), "Reused"),
                Arguments.of("a generation the family never reached -> refused, nothing changes", live(), at(gen(4), soon), "AHEAD"),
                Arguments.of("current token of another client -> refused, nothing changes", live(), by(OTHER_CLIENT, gen(3), soon), "WRONG_CLIENT"),
                Arguments.of("predecessor from another client, within the window -> reuse", live(), by(OTHER_CLIENT, gen(2), soon), "Reused"),
                Arguments.of("cookie family at the token endpoint -> refused", family(3, ROTATED, ROTATED, null, Channel.COOKIE, null),
                        at(gen(3), soon), "WRONG_CHANNEL"),
                Arguments.of("cookie family's old token at the token endpoint -> refused, no revocation",
                        family(3, ROTATED, ROTATED, null, Channel.COOKIE, null), at(gen(1), soon), "WRONG_CHANNEL"),
                Arguments.of("family without a recorded channel -> either channel", family(3, ROTATED, ROTATED, null, null, null),
                        at(gen(3), soon), "Rotated"),
                Arguments.of("revoked family, current token -> revoked", family(3, ROTATED, ROTATED, null, Channel.TOKEN_ENDPOINT, soon),
                        at(gen(3), soon), "REVOKED"),
                Arguments.of("revoked family, old token -> revoked (not revoked again)",
                        family(3, ROTATED, ROTATED, null, Channel.TOKEN_ENDPOINT, soon), at(gen(0), soon), "REVOKED"),
                Arguments.of("idle: 1 ms before lastUsed + idle -> rotate", live(), at(gen(3), ROTATED.plus(IDLE).minusMillis(1)), "Rotated"),
                Arguments.of("idle: exactly at lastUsed + idle -> expired", live(), at(gen(3), ROTATED.plus(IDLE)), "EXPIRED"),
                Arguments.of("idle: an old token of an expired family -> expired, not reuse", live(), at(gen(0), ROTATED.plus(IDLE)), "EXPIRED"),
                Arguments.of("absolute: 1 ms before the end -> rotate", lateUse, at(gen(3), end.minusMillis(1)), "Rotated"),
                Arguments.of("absolute: exactly at the end -> expired", lateUse, at(gen(3), end), "EXPIRED"),
                Arguments.of("absolute: a retry inside the window but past the end -> expired", lateUse, at(gen(2), end.plusSeconds(1)), "EXPIRED"),
                Arguments.of("first token never rotated, presented again -> rotate", family(0, null, T0, null, Channel.TOKEN_ENDPOINT, null),
                        at(gen(0), T0.plusSeconds(1)), "Rotated"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("legacyTable")
    void decideForTokensOfTheOldFormat(String why, RefreshTokenFamily family, PresentedToken token, String expected) {
        assertThat(kind(rules.decide(family, at(token, ROTATED.plusSeconds(5))))).isEqualTo(expected);
    }

    static Stream<Arguments> legacyTable() {
        RefreshTokenFamily legacyCurrent = family(3, ROTATED, ROTATED, "hash-3", null, null);
        return Stream.of(
                Arguments.of("the old current token -> rotate", legacyCurrent, new PresentedToken("fam-1", 3, "hash-3"), "Rotated"),
                Arguments.of("an old token whose successor is old too -> reuse (it cannot be given back)", legacyCurrent,
                        new PresentedToken("fam-1", 2, "hash-2"), "Reused"),
                Arguments.of("a new-format token of the current generation of a family whose current token is old -> reuse",
                        legacyCurrent, gen(3), "Reused"),
                Arguments.of("an old token right after it rotated into the new format -> retry", live(),
                        new PresentedToken("fam-1", 2, "hash-2"), "Retried"),
                Arguments.of("an old token of the current generation once the family has moved on -> not current", live(),
                        new PresentedToken("fam-1", 3, "hash-3"), "Reused"));
    }

    @Test
    void decideWhenRetryWindowIsZeroThenTheRetryIsReuse() {
        RotationRules strict = new RotationRules(Duration.ZERO, IDLE);
        assertThat(strict.decide(live(), at(gen(2), ROTATED))).isInstanceOf(RotationOutcome.Reused.class);
        assertThat(strict.decide(live(), at(gen(3), ROTATED))).isInstanceOf(RotationOutcome.Rotated.class);
    }

    @Test
    void rotatedFamilyIsOneGenerationOnWithTheUseAndLifetimeUnchanged() {
        Instant now = ROTATED.plusSeconds(30);
        RotationOutcome.Rotated r = (RotationOutcome.Rotated) rules.decide(family(3, ROTATED, ROTATED, "hash-3", null, null),
                at(new PresentedToken("fam-1", 3, "hash-3"), now));

        assertThat(r.family().generation()).isEqualTo(4);
        assertThat(r.family().rotatedAt()).isEqualTo(now);
        assertThat(r.family().lastUsedAt()).isEqualTo(now);
        assertThat(r.family().lastIp()).isEqualTo(REUSE.ip());
        assertThat(r.family().legacyHash()).as("the successor is of the new format").isNull();
        assertThat(r.family().expiresAt()).as("rotation never extends the session").isEqualTo(T0.plus(ABSOLUTE));
    }

    @Test
    void retriedFamilyChangesOnlyItsLastUse() {
        Instant now = ROTATED.plusSeconds(30);
        RotationOutcome.Retried r = (RotationOutcome.Retried) rules.decide(live(), at(gen(2), now));

        assertThat(r.family()).isEqualTo(live().touched(now, REUSE.ip(), REUSE.userAgent()));
        assertThat(r.family().generation()).isEqualTo(3);
        assertThat(r.family().rotatedAt()).isEqualTo(ROTATED);
    }

    @Test
    void reusedFamilyIsRevokedForReuse() {
        Instant now = ROTATED.plusSeconds(30);
        RotationOutcome.Reused r = (RotationOutcome.Reused) rules.decide(live(), at(gen(1), now));

        assertThat(r.family().revokedAt()).isEqualTo(now);
        assertThat(r.family().revokeReason()).isEqualTo("refresh_token_reuse");
        assertThat(r.presentedGeneration()).isEqualTo(1);
    }

    @Test
    void useIsMarkedChangedWhenTheIpOrTheUserAgentDiffersFromTheLastUse() {
        RefreshTokenFamily f = live();
        Instant now = ROTATED.plusSeconds(1);
        assertThat(rules.use(f, at(gen(3), now))).isEqualTo(new TokenUse(3, now, REUSE.ip(), REUSE.userAgent(), true));
        assertThat(rules.use(f, new RotationRules.Presentation(gen(3), CLIENT, Channel.TOKEN_ENDPOINT, now, FIRST)).changed()).isFalse();
        assertThat(rules.use(f, new RotationRules.Presentation(gen(3), CLIENT, Channel.TOKEN_ENDPOINT, now,
                new RequestInfo(FIRST.ip(), "Chrome/130"))).changed()).isTrue();
    }

    @Test
    void reuseEventCarriesBothUses() {
        Instant reuseAt = ROTATED.plusSeconds(60);
        RotationRules.Presentation p = at(gen(1), reuseAt);
        RotationOutcome.Reused reuse = (RotationOutcome.Reused) rules.decide(live(), p);
        TokenUse firstUse = new TokenUse(1, T0.plusSeconds(90), FIRST.ip(), FIRST.userAgent(), false);

        AuditEvent e = rules.reuseEvent(reuse, firstUse, p);

        assertThat(e.type()).isEqualTo("refresh_token.reuse_detected");
        assertThat(e.at()).isEqualTo(reuseAt);
        assertThat(e.userId()).isEqualTo("user-1");
        assertThat(e.sessionId()).isEqualTo("fam-1");
        assertThat(e.clientId()).isEqualTo(CLIENT);
        assertThat(e.request()).isEqualTo(REUSE);
        assertThat(e.detail())
                .containsEntry("generation", "1")
                .containsEntry("family_generation", "3")
                .containsEntry("first_use_at", firstUse.at().toString())
                .containsEntry("first_use_ip", FIRST.ip())
                .containsEntry("first_use_user_agent", FIRST.userAgent())
                .containsEntry("reuse_at", reuseAt.toString())
                .containsEntry("reuse_ip", REUSE.ip())
                .containsEntry("reuse_user_agent", REUSE.userAgent())
                .containsEntry("reuse_client_id", CLIENT);
        assertThat(rules.reuseEvent(reuse, null, p).detail()).containsEntry("first_use_at", "not kept");
    }
}
