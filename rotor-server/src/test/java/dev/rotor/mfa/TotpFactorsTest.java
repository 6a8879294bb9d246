package dev.rotor.mfa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotor.account.InMemoryUserStore;
import dev.rotor.account.User;
import dev.rotor.audit.AuditEvent;
import dev.rotor.audit.RequestInfo;
import dev.rotor.crypto.Sealer;
import dev.rotor.oauth.ErrorCode;
import dev.rotor.oauth.OAuthException;
import dev.rotor.session.MutableClock;
import dev.rotor.signin.SecondFactors.Proof;
import dev.rotor.testing.RecordingAuditLog;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.commons.codec.binary.Base32;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TotpFactorsTest {
    private static final RequestInfo REQUEST = new RequestInfo("203.0.113.9", "Firefox/128");
    /** The middle of a 30 s step, so that a few seconds either way stay in it. */
    private static final Instant START = Instant.parse("2026-12-03T14:00:15Z");

    private final MutableClock clock = new MutableClock(START);
    private final InMemoryMfaStore store = new InMemoryMfaStore();
    private final RecordingAuditLog audit = new RecordingAuditLog();
    private final SecureRandom random = new SecureRandom();
    private final Sealer sealer = new Sealer(new byte[32], random);
    private TotpFactors factors;

    @BeforeEach
    void users() {
        InMemoryUserStore users = new InMemoryUserStore();
        users.add(new User("u-alice", "alice", null, null, null, false, START));
        users.add(new User("u-bob", "bob", null, null, null, false, START));
        factors = new TotpFactors(store, users, sealer, audit, clock, random, "https://auth.example.com");
    }

    private static byte[] key(TotpEnrolment e) {
        return new Base32().decode(e.secret());
    }

    private String codeAt(byte[] key, Instant at) {
        return Totp.USERS.code(key, Totp.USERS.step(at));
    }

    private String codeNow(byte[] key) {
        return codeAt(key, clock.instant());
    }

    /** Alice enrolled and confirmed; her key. The confirming code's step is used, so the clock moves one step on. */
    private byte[] confirmed(List<String> recoveryCodes) {
        TotpEnrolment e = factors.enroll("u-alice", clock.instant(), REQUEST);
        recoveryCodes.addAll(factors.confirm("u-alice", codeNow(key(e)), clock.instant(), REQUEST).codes());
        clock.advance(Duration.ofSeconds(30));
        return key(e);
    }

    private byte[] confirmed() {
        return confirmed(new ArrayList<>());
    }

    @Test
    void enrollShowsTheSecretItsKeyUriAndQrCodeAndStoresItOnlySealedAndPending() {
        TotpEnrolment e = factors.enroll("u-alice", clock.instant(), REQUEST);

        assertThat(e.secret()).matches("[A-Z2-7]{32}");
        assertThat(e.otpauthUri()).isEqualTo("otpauth://totp/auth.example.com:alice?secret=" + e.secret()
                + "&issuer=auth.example.com&algorithm=SHA1&digits=6&period=30");
        assertThat(e.qrSvg()).startsWith("<svg").endsWith("</svg>").doesNotContain(e.secret());
        assertThat(e.toString()).doesNotContain(e.secret());
        MfaStore.Enrolment stored = store.find("u-alice").orElseThrow();
        assertThat(stored.confirmed()).isFalse();
        assertThat(new String(stored.sealedSecret(), java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(new String(key(e),
                java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThat(stored.sealedSecret()).hasSize(12 + 20 + 16);
        assertThat(factors.methods("u-alice")).as("pending is no factor").isEmpty();
        assertThat(audit.types()).containsExactly("mfa.totp.enrolled");
    }

    @Test
    void enrollAndConfirmNeedASignInOfTheLastTenMinutes() {
        Instant old = clock.instant().minus(TotpFactors.RECENT_SIGN_IN).minusSeconds(1);

        assertThatThrownBy(() -> factors.enroll("u-alice", old, REQUEST)).satisfies(e -> {
            hasCode(e, ErrorCode.INSUFFICIENT_USER_AUTHENTICATION);
            assertThat(((OAuthException) e).error().status()).isEqualTo(401);
            assertThat(((OAuthException) e).error().headers().get("WWW-Authenticate"))
                    .contains("error=\"insufficient_user_authentication\"", "max_age=600");
        });
        assertThatThrownBy(() -> factors.enroll("u-alice", null, REQUEST)).satisfies(e -> hasCode(e, ErrorCode.INSUFFICIENT_USER_AUTHENTICATION));
        assertThat(store.find("u-alice")).isEmpty();

        TotpEnrolment e = factors.enroll("u-alice", clock.instant().minus(TotpFactors.RECENT_SIGN_IN), REQUEST);
        assertThatThrownBy(() -> factors.confirm("u-alice", codeNow(key(e)), old, REQUEST))
                .satisfies(x -> hasCode(x, ErrorCode.INSUFFICIENT_USER_AUTHENTICATION));
        assertThat(store.find("u-alice").orElseThrow().confirmed()).isFalse();
        assertThat(store.find("u-alice").orElseThrow().failures()).as("not a wrong code").isZero();
    }

    @Test
    void enrollAgainReplacesThePendingSecretWhoseCodesNoLongerConfirm() {
        TotpEnrolment first = factors.enroll("u-alice", clock.instant(), REQUEST);
        TotpEnrolment second = factors.enroll("u-alice", clock.instant(), REQUEST);

        assertThat(second.secret()).isNotEqualTo(first.secret());
        assertThatThrownBy(() -> factors.confirm("u-alice", codeNow(key(first)), clock.instant(), REQUEST)).satisfies(e -> hasCode(e, ErrorCode.INVALID_GRANT));
        assertThat(factors.confirm("u-alice", codeNow(key(second)), clock.instant(), REQUEST).codes()).hasSize(10);
    }

    @Test
    void enrollWhenConfirmedThenMfaAlreadyEnabledAndTheSecretStays() {
        byte[] key = confirmed();

        assertThatThrownBy(() -> factors.enroll("u-alice", clock.instant(), REQUEST)).satisfies(e -> hasCode(e, ErrorCode.MFA_ALREADY_ENABLED));

        assertThat(factors.verify("u-alice", new Proof.Otp(codeNow(key)), REQUEST)).isTrue();
    }

    @Test
    void confirmWithoutAnEnrolmentThenMfaNotEnabled() {
        assertThatThrownBy(() -> factors.confirm("u-alice", "123456", clock.instant(), REQUEST)).satisfies(e -> hasCode(e, ErrorCode.MFA_NOT_ENABLED));
    }

    @Test
    void confirmWhenConfirmedThenMfaAlreadyEnabled() {
        byte[] key = confirmed();

        assertThatThrownBy(() -> factors.confirm("u-alice", codeNow(key), clock.instant(), REQUEST)).satisfies(e -> hasCode(e, ErrorCode.MFA_ALREADY_ENABLED));
    }

    @Test
    void confirmIssuesTenRecoveryCodesStoredOnlyHashedAndTheFactorCounts() {
        TotpEnrolment e = factors.enroll("u-alice", clock.instant(), REQUEST);

        IssuedRecoveryCodes codes = factors.confirm("u-alice", codeNow(key(e)), clock.instant(), REQUEST);

        assertThat(codes.codes()).hasSize(10).doesNotHaveDuplicates();
        assertThat(codes.toString()).doesNotContain(codes.codes().getFirst());
        assertThat(store.unusedRecoveryCodes("u-alice")).isEqualTo(10);
        assertThat(store.find("u-alice").orElseThrow().confirmed()).isTrue();
        assertThat(factors.methods("u-alice")).containsExactly("totp", "recovery_code");
        assertThat(factors.methods("u-bob")).isEmpty();
        assertThat(audit.types()).containsExactly("mfa.totp.enrolled", "mfa.totp.confirmed");
    }

    @Test
    void theCodeThatConfirmedIsUsedAndDoesNotSignIn() {
        TotpEnrolment e = factors.enroll("u-alice", clock.instant(), REQUEST);
        String code = codeNow(key(e));
        factors.confirm("u-alice", code, clock.instant(), REQUEST);

        assertThat(factors.verify("u-alice", new Proof.Otp(code), REQUEST)).isFalse();
        assertThat(audit.last().detail()).containsEntry("reason", "replayed");
    }

    @ParameterizedTest(name = "{0} s")
    @ValueSource(ints = {-30, 0, 30})
    void confirmAcceptsTheCurrentStepAndOneEitherSide(int offset) {
        TotpEnrolment e = factors.enroll("u-alice", clock.instant(), REQUEST);

        assertThat(factors.confirm("u-alice", codeAt(key(e), clock.instant().plusSeconds(offset)), clock.instant(), REQUEST).codes()).hasSize(10);
    }

    @ParameterizedTest(name = "{0} s")
    @ValueSource(ints = {-90, -60, 60, 90})
    void aCodeTwoStepsAwayIsRefusedAndTheEnrolmentStaysPending(int offset) {
        TotpEnrolment e = factors.enroll("u-alice", clock.instant(), REQUEST);

        assertThatThrownBy(() -> factors.confirm("u-alice", codeAt(key(e), clock.instant().plusSeconds(offset)), clock.instant(), REQUEST))
                .satisfies(x -> hasCode(x, ErrorCode.INVALID_GRANT));

        assertThat(store.find("u-alice").orElseThrow().confirmed()).isFalse();
        assertThat(audit.last().type()).isEqualTo("mfa.failed");
        assertThat(audit.last().detail()).containsEntry("reason", "wrong_code").containsEntry("action", "confirm");
    }

    @Test
    void aCodeIsAcceptedOnceAndOnlyALaterStepAfterIt() {
        byte[] key = confirmed();
        String now = codeNow(key);

        assertThat(factors.verify("u-alice", new Proof.Otp(now), REQUEST)).isTrue();
        assertThat(factors.verify("u-alice", new Proof.Otp(now), REQUEST)).as("replayed").isFalse();
        assertThat(audit.last().detail()).containsEntry("reason", "replayed").containsEntry("action", "sign_in");
        assertThat(store.find("u-alice").orElseThrow().failures()).as("a replay is not a guess").isZero();

        String next = codeAt(key, clock.instant().plusSeconds(30));
        assertThat(factors.verify("u-alice", new Proof.Otp(next), REQUEST)).as("a step ahead, within the window").isTrue();
        clock.advance(Duration.ofSeconds(30));
        assertThat(factors.verify("u-alice", new Proof.Otp(codeAt(key, clock.instant().minusSeconds(30))), REQUEST))
                .as("an earlier step after a later one").isFalse();
        clock.advance(Duration.ofSeconds(30));
        assertThat(factors.verify("u-alice", new Proof.Otp(codeNow(key)), REQUEST)).isTrue();
    }

    @Test
    void aCodeOfAStepAlreadyUsedIsRefusedByTheRulesWithoutAskingTheStore() {
        byte[] key = confirmed();
        String now = codeNow(key);
        assertThat(factors.verify("u-alice", new Proof.Otp(now), REQUEST)).isTrue();
        int before = store.acceptSteps();

        assertThat(factors.verify("u-alice", new Proof.Otp(now), REQUEST)).isFalse();
        assertThat(factors.verify("u-alice", new Proof.Otp(codeAt(key, clock.instant().minusSeconds(30))), REQUEST)).isFalse();

        assertThat(store.acceptSteps()).as("no compare-and-set for a step the rules know is used").isEqualTo(before);
    }

    @Test
    void aCodeWithTheSpacesAppsShowIsRead() {
        byte[] key = confirmed();
        String code = codeNow(key);

        assertThat(factors.verify("u-alice", new Proof.Otp(code.substring(0, 3) + " " + code.substring(3)), REQUEST)).isTrue();
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"", "12345", "1234567", "abcdef", "12345\u0000"})
    void aMalformedCodeIsRefusedAndCounted(String code) {
        confirmed();

        assertThat(factors.verify("u-alice", new Proof.Otp(code), REQUEST)).isFalse();

        assertThat(audit.last().detail()).containsEntry("reason", "malformed");
        assertThat(store.find("u-alice").orElseThrow().failures()).isEqualTo(1);
    }

    @Test
    void aUserWithoutTotpHasNoMethodsAndNoCodeProvesAnything() {
        factors.enroll("u-bob", clock.instant(), REQUEST);

        assertThat(factors.methods("u-alice")).isEmpty();
        assertThat(factors.verify("u-alice", new Proof.Otp("123456"), REQUEST)).isFalse();
        assertThat(factors.verify("u-bob", new Proof.RecoveryCode("7kq2m-x9c4d-h0tw3"), REQUEST)).as("pending").isFalse();
        assertThat(audit.last().detail()).containsEntry("reason", "not_enabled");
    }

    @Test
    void anotherUsersCodeProvesNothing() {
        byte[] alice = confirmed();
        TotpEnrolment bob = factors.enroll("u-bob", clock.instant(), REQUEST);
        factors.confirm("u-bob", codeNow(key(bob)), clock.instant(), REQUEST);
        clock.advance(Duration.ofSeconds(30));

        assertThat(factors.verify("u-bob", new Proof.Otp(codeNow(alice)), REQUEST)).isFalse();
        assertThat(factors.verify("u-alice", new Proof.Otp(codeNow(alice)), REQUEST)).isTrue();
    }

    @Test
    void aRecoveryCodeWorksOnceAndTheLastOneLeavesOnlyTotp() {
        List<String> codes = new ArrayList<>();
        confirmed(codes);

        assertThat(factors.verify("u-alice", new Proof.RecoveryCode(codes.getFirst().toUpperCase()), REQUEST)).isTrue();
        assertThat(audit.last().type()).isEqualTo("mfa.recovery_code.used");
        assertThat(audit.last().detail()).containsEntry("remaining", "9");
        assertThat(factors.verify("u-alice", new Proof.RecoveryCode(codes.getFirst()), REQUEST)).isFalse();
        assertThat(audit.last().detail()).containsEntry("reason", "already_used").containsEntry("method", "recovery_code");
        assertThat(store.find("u-alice").orElseThrow().failures()).as("a code used twice is not a guess").isZero();
        assertThat(factors.verify("u-alice", new Proof.RecoveryCode("zzzzz-zzzzz-zzzzz"), REQUEST)).isFalse();
        assertThat(audit.last().detail()).containsEntry("reason", "wrong_code");
        assertThat(store.find("u-alice").orElseThrow().failures()).isEqualTo(1);

        for (String code : codes.subList(1, 10)) {
            assertThat(factors.methods("u-alice")).containsExactly("totp", "recovery_code");
            // A right code clears the failures, so spending all ten never throttles.
            assertThat(factors.verify("u-alice", new Proof.RecoveryCode(code), REQUEST)).isTrue();
        }
        assertThat(factors.methods("u-alice")).containsExactly("totp");
    }

    @Test
    void anotherUsersRecoveryCodeProvesNothing() {
        List<String> codes = new ArrayList<>();
        confirmed(codes);
        TotpEnrolment bob = factors.enroll("u-bob", clock.instant(), REQUEST);
        factors.confirm("u-bob", codeNow(key(bob)), clock.instant(), REQUEST);

        assertThat(factors.verify("u-bob", new Proof.RecoveryCode(codes.getFirst()), REQUEST)).isFalse();
        assertThat(store.unusedRecoveryCodes("u-alice")).isEqualTo(10);
    }

    @Test
    void afterFiveWrongCodesEvenTheRightOneWaitsForADelayThatDoubles() {
        byte[] key = confirmed();
        for (int i = 0; i < GuessThrottle.FREE_FAILURES; i++) assertThat(factors.verify("u-alice", new Proof.Otp("000000"), REQUEST)).isFalse();

        assertThat(factors.verify("u-alice", new Proof.Otp(codeNow(key)), REQUEST)).as("throttled").isFalse();
        assertThat(audit.last().detail()).containsEntry("reason", "throttled");
        assertThat(store.find("u-alice").orElseThrow().failures()).as("a throttled attempt is not counted").isEqualTo(5);

        clock.advance(Duration.ofSeconds(61));
        assertThat(factors.verify("u-alice", new Proof.Otp("000000"), REQUEST)).isFalse();
        clock.advance(Duration.ofSeconds(61));
        assertThat(factors.verify("u-alice", new Proof.Otp(codeNow(key)), REQUEST)).as("two minutes after the sixth").isFalse();
        clock.advance(Duration.ofSeconds(60));
        assertThat(factors.verify("u-alice", new Proof.Otp(codeNow(key)), REQUEST)).isTrue();
        assertThat(store.find("u-alice").orElseThrow().failures()).isZero();
    }


    @Test
    void confirmIsThrottledToo() {
        TotpEnrolment e = factors.enroll("u-alice", clock.instant(), REQUEST);
        for (int i = 0; i < GuessThrottle.FREE_FAILURES; i++) {
            assertThatThrownBy(() -> factors.confirm("u-alice", "000000", clock.instant(), REQUEST)).isInstanceOf(OAuthException.class);
        }

        assertThatThrownBy(() -> factors.confirm("u-alice", codeNow(key(e)), clock.instant(), REQUEST)).satisfies(x -> hasCode(x, ErrorCode.INVALID_GRANT));
        assertThat(audit.last().detail()).containsEntry("reason", "throttled");
    }

    @Test
    void disableNeedsAFreshRightCodeAndRemovesEverything() {
        byte[] key = confirmed();

        assertThatThrownBy(() -> factors.disable("u-alice", new Proof.Otp("000000"), REQUEST)).satisfies(e -> hasCode(e, ErrorCode.INVALID_GRANT));
        assertThat(factors.methods("u-alice")).containsExactly("totp", "recovery_code");

        factors.disable("u-alice", new Proof.Otp(codeNow(key)), REQUEST);

        assertThat(store.find("u-alice")).isEmpty();
        assertThat(store.unusedRecoveryCodes("u-alice")).isZero();
        assertThat(factors.methods("u-alice")).isEmpty();
        assertThat(audit.last().type()).isEqualTo("mfa.totp.disabled");
        assertThat(audit.last().detail()).containsEntry("method", "totp");
        assertThat(factors.enroll("u-alice", clock.instant(), REQUEST).secret()).as("enrolling again").hasSize(32);
    }

    @Test
    void disableWithAUsedCodeIsRefused() {
        byte[] key = confirmed();
        String code = codeNow(key);
        assertThat(factors.verify("u-alice", new Proof.Otp(code), REQUEST)).isTrue();

        assertThatThrownBy(() -> factors.disable("u-alice", new Proof.Otp(code), REQUEST)).satisfies(e -> hasCode(e, ErrorCode.INVALID_GRANT));
        assertThat(factors.methods("u-alice")).isNotEmpty();
    }

    @Test
    void disableWithARecoveryCodeSpendsItAndRemovesEverything() {
        List<String> codes = new ArrayList<>();
        confirmed(codes);

        factors.disable("u-alice", new Proof.RecoveryCode(codes.get(3)), REQUEST);

        assertThat(audit.types()).endsWith("mfa.recovery_code.used", "mfa.totp.disabled");
        assertThat(audit.last().detail()).containsEntry("method", "recovery_code");
        assertThat(factors.methods("u-alice")).isEmpty();
    }

    @Test
    void disableWithoutConfirmedTotpThenMfaNotEnabledAndAPendingOneStays() {
        assertThatThrownBy(() -> factors.disable("u-alice", new Proof.Otp("123456"), REQUEST)).satisfies(e -> hasCode(e, ErrorCode.MFA_NOT_ENABLED));
        factors.enroll("u-alice", clock.instant(), REQUEST);

        assertThatThrownBy(() -> factors.disable("u-alice", new Proof.Otp("123456"), REQUEST)).satisfies(e -> hasCode(e, ErrorCode.MFA_NOT_ENABLED));
        assertThat(store.find("u-alice")).isPresent();
    }

    @Test
    void aSealedSecretMovedToAnotherUsersRowDoesNotOpen() {
        byte[] key = confirmed();
        MfaStore.Enrolment alice = store.find("u-alice").orElseThrow();
        store.savePending("u-bob", alice.sealedSecret(), START);
        store.confirm("u-bob", alice.sealedSecret(), 0, List.of(), START);

        assertThat(factors.verify("u-bob", new Proof.Otp(codeNow(key)), REQUEST)).isFalse();
        assertThat(audit.last().detail()).containsEntry("reason", "secret_unreadable");
    }

    @Test
    void twoRequestsWithTheSameCodeAtOnceThenExactlyOneIsAccepted() throws Exception {
        byte[] key = confirmed();
        String code = codeNow(key);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CyclicBarrier start = new CyclicBarrier(4);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                results.add(pool.submit(() -> {
                    start.await(5, TimeUnit.SECONDS);
                    return factors.verify("u-alice", new Proof.Otp(code), REQUEST);
                }));
            }
            int accepted = 0;
            for (Future<Boolean> f : results) if (f.get(10, TimeUnit.SECONDS)) accepted++;
            assertThat(accepted).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void noAuditEventHoldsACodeOrTheSecret() {
        List<String> codes = new ArrayList<>();
        TotpEnrolment e = factors.enroll("u-alice", clock.instant(), REQUEST);
        String first = codeNow(key(e));
        assertThatThrownBy(() -> factors.confirm("u-alice", "999999", clock.instant(), REQUEST)).isInstanceOf(OAuthException.class);
        codes.addAll(factors.confirm("u-alice", first, clock.instant(), REQUEST).codes());
        factors.verify("u-alice", new Proof.Otp(first), REQUEST);
        factors.verify("u-alice", new Proof.RecoveryCode(codes.getFirst()), REQUEST);
        factors.verify("u-alice", new Proof.RecoveryCode("zzzzz-zzzzz-zzzzz"), REQUEST);

        for (AuditEvent event : audit.events) {
            String text = event.toString();
            assertThat(text).doesNotContain(e.secret()).doesNotContain(first).doesNotContain("999999").doesNotContain("zzzzz");
            for (String code : codes) assertThat(text).doesNotContain(code).doesNotContain(code.replace("-", ""));
        }
    }

    private static void hasCode(Throwable e, ErrorCode code) {
        assertThat(e).isInstanceOf(OAuthException.class);
        assertThat(((OAuthException) e).error().code()).isEqualTo(code);
    }

}
