package dev.rotor.signin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.account.Accounts;
import dev.rotor.account.InMemoryUserStore;
import dev.rotor.account.PasswordHasher;
import dev.rotor.audit.AuditEvent;
import dev.rotor.audit.RequestInfo;
import dev.rotor.config.RiskConfig;
import dev.rotor.risk.InMemoryRiskHistoryStore;
import dev.rotor.risk.RiskEngine;
import dev.rotor.risk.RiskPolicy;
import dev.rotor.risk.source.DenyList;
import dev.rotor.risk.source.GeoIp;
import dev.rotor.session.MutableClock;
import dev.rotor.throttle.InMemoryThrottleStore;
import dev.rotor.throttle.Throttle;
import dev.rotor.testing.RecordingAuditLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The sign-in seam over in-memory users and throttle counters, with the audit events it writes. */
class SignInTest {
    private static final String PASSWORD = "correct horse battery staple";
    private static final RequestInfo LAPTOP = new RequestInfo("203.0.113.7", "Firefox/128", "laptop-device");
    private static final Throttle.Policy POLICY = new Throttle.Policy(Duration.ofMinutes(15), 2, 4, Duration.ofSeconds(1), Duration.ofMinutes(1));

    private final MutableClock clock = new MutableClock();
    private final RecordingAuditLog audit = new RecordingAuditLog();
    private final List<AuditEvent> audited = audit.events;
    private final InMemoryUserStore users = new InMemoryUserStore();
    private final Accounts accounts = new Accounts(users, new PasswordHasher(new PasswordHasher.Params(19456, 2, 1), 2, 10_000, new SecureRandom()),
            clock);
    private final InMemoryThrottleStore counters = new InMemoryThrottleStore();
    private final FakeSecondFactors factors = new FakeSecondFactors();
    private final MfaTokens mfaTokens = new MfaTokens(new dev.rotor.crypto.Sealer(new byte[32], new SecureRandom()), clock);
    private final RiskEngine risk = SignInFixture.noGeoRisk();
    private final SignIn signIn = new SignIn(accounts, users, new Throttle(counters, POLICY, clock), factors, mfaTokens, risk, audit, clock);

    /** The same users, counters and second factors, judged by {@code other}. */
    private SignIn signInWith(RiskEngine other) {
        return new SignIn(accounts, users, new Throttle(counters, POLICY, clock), factors, mfaTokens, other, audit, clock);
    }

    /** Failed attempts on {@code username}, one from each of {@code times} addresses, so that no address is throttled. */
    private void sprayed(String username, int times) {
        for (int i = 0; i < times; i++) attempt(username, "guess " + i, new RequestInfo("198.51.100." + i, "curl/8"));
    }

    private SignInOutcome attempt(String username, String password, RequestInfo from) {
        return signIn.password(new SignIn.Attempt(username, password, MfaTokens.Surface.COOKIE, "native", "openid", from));
    }

    private SignInOutcome attempt(String username, String password) {
        return attempt(username, password, LAPTOP);
    }

    private static AuditEvent last(List<AuditEvent> events) {
        return events.get(events.size() - 1);
    }

    @Test
    void theRightPasswordAuthenticatesWithPasswordAmrAndAcr() {
        accounts.register("alice", null, null, PASSWORD);

        assertThat(attempt("alice", PASSWORD)).isInstanceOfSatisfying(SignInOutcome.Authenticated.class, a -> {
            assertThat(a.user().username()).isEqualTo("alice");
            assertThat(a.amr()).containsExactly("pwd");
            assertThat(a.acr()).isEqualTo("1");
            assertThat(a.note()).as("a first sign-in sets the baseline: nothing new to say").isNull();
        });
        assertThat(audited).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("login.allowed");
            assertThat(e.detail()).containsEntry("risk_decision", "allow").containsEntry("risk_score", "0");
        });
        assertThat(risk.knowsDevice(last(audited).userId(), "laptop-device")).as("the device is remembered").isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"an unknown user, mallory, " + PASSWORD + ", bad_credentials", "a wrong password, alice, correct horse battery stapler, bad_credentials",
            "a disabled account, carol, " + PASSWORD + ", disabled"})
    void everyWrongCaseIsOneAnswerAuditedWithoutThePasswordAndCounted(String why, String username, String password, String reason) {
        accounts.register("alice", null, null, PASSWORD);
        accounts.register("carol", null, null, PASSWORD);
        users.disable("carol");

        assertThat(attempt(username, password)).isEqualTo(new SignInOutcome.BadCredentials());

        assertThat(audited).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("login.failed");
            assertThat(e.clientId()).isEqualTo("native");
            assertThat(e.userId()).isNull();
            assertThat(e.request()).isEqualTo(LAPTOP);
            assertThat(e.detail()).containsEntry("username", username).containsEntry("reason", reason);
            assertThat(e.toString()).doesNotContain(password);
        });
        assertThat(counters.find("ip:203.0.113.7")).hasValueSatisfying(c -> assertThat(c.failures()).isEqualTo(1));
        assertThat(counters.find("user:" + username)).hasValueSatisfying(c -> assertThat(c.failures()).isEqualTo(1));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "NULL", value = {"no username, NULL, pw, missing parameter: username", "an empty username, '', pw, missing parameter: username",
            "no password, alice, NULL, missing parameter: password", "an empty password, alice, '', missing parameter: password"})
    void aMissingFieldIsMalformedAndNeitherCountedNorAudited(String why, String username, String password, String problem) {
        assertThat(attempt(username, password)).isEqualTo(new SignInOutcome.Malformed(problem));
        assertThat(audited).isEmpty();
        assertThat(counters.find("ip:203.0.113.7")).isEmpty();
    }

    @Test
    void anOversizedFieldIsMalformed() {
        assertThat(attempt("a".repeat(257), PASSWORD)).isEqualTo(new SignInOutcome.Malformed("username too long"));
        assertThat(attempt("a".repeat(256), "p".repeat(1025))).isEqualTo(new SignInOutcome.Malformed("password too long"));
        assertThat(attempt("a".repeat(256), "p".repeat(1024))).as("the longest of each is read").isEqualTo(new SignInOutcome.BadCredentials());
    }

    @Test
    void aThrottledSourceIsRefusedBeforeThePasswordIsCheckedEvenTheRightOne() {
        accounts.register("alice", null, null, PASSWORD);
        for (int i = 0; i < 3; i++) attempt("alice", "wrong password " + i);
        audited.clear();

        assertThat(attempt("alice", PASSWORD)).isEqualTo(new SignInOutcome.Throttled(Duration.ofSeconds(1)));

        assertThat(audited).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("login.throttled");
            assertThat(e.detail()).containsEntry("username", "alice").containsEntry("retry_after", "1");
        });
        assertThat(counters.find("ip:203.0.113.7")).as("a throttled attempt is not counted again").hasValueSatisfying(c ->
                assertThat(c.failures()).isEqualTo(3));
        clock.advance(Duration.ofSeconds(1));
        assertThat(attempt("alice", PASSWORD)).isInstanceOf(SignInOutcome.Authenticated.class);
    }

    @Test
    void aRightPasswordClearsItsSourcesCount() {
        accounts.register("alice", null, null, PASSWORD);
        attempt("alice", "wrong password");
        attempt("alice", PASSWORD);

        assertThat(counters.find("ip:203.0.113.7")).isEmpty();
        assertThat(counters.find("user:alice")).as("the account's count stays").isPresent();
    }

    @Test
    void aSprayedAccountStillLetsItsOwnerInFromAKnownDevice() {
        accounts.register("alice", null, null, PASSWORD);
        assertThat(attempt("alice", PASSWORD)).isInstanceOf(SignInOutcome.Authenticated.class);
        for (int i = 0; i < 5; i++) attempt("alice", "guess " + i, new RequestInfo("198.51.100." + i, "curl/8"));

        assertThat(attempt("alice", PASSWORD, LAPTOP.withDevice("another-device"))).as("an unknown device waits")
                .isInstanceOf(SignInOutcome.Throttled.class);
        assertThat(attempt("alice", PASSWORD, LAPTOP.withDevice(null))).as("so does one without a device id").isInstanceOf(SignInOutcome.Throttled.class);
        assertThat(attempt("alice", PASSWORD, LAPTOP)).as("the owner's laptop, known from before").isInstanceOfSatisfying(
                SignInOutcome.Authenticated.class, a -> assertThat(a.note()).isNull());
    }

    @Test
    void unknownAndExistingUsernamesAreThrottledAlike() {
        accounts.register("alice", null, null, PASSWORD);
        for (String user : List.of("alice", "nobody")) {
            for (int i = 0; i < 5; i++) attempt(user, "guess " + i, new RequestInfo("198.51.100." + i + 10, "curl/8"));
        }

        assertThat(attempt("alice", "x", new RequestInfo("192.0.2.1", "curl/8"))).isInstanceOf(SignInOutcome.Throttled.class);
        assertThat(attempt("nobody", "x", new RequestInfo("192.0.2.1", "curl/8"))).isInstanceOf(SignInOutcome.Throttled.class);
    }

    @Test
    void aStepUpOutcomeNeverShowsItsTokenInText() {
        assertThat(new SignInOutcome.StepUpRequired("sealed-token", List.of("totp")).toString()).doesNotContain("sealed-token").contains("totp");
        assertThat(new SignIn.Attempt("alice", PASSWORD, MfaTokens.Surface.COOKIE, "native", null, LAPTOP).toString()).doesNotContain(PASSWORD)
                .contains("alice", "native");
    }

    @Test
    void aUserWithASecondFactorIsHeldWithATokenAndTheMethodsAndNothingStarts() {
        String id = accounts.register("dave", null, null, PASSWORD).id();
        factors.enrol(id, "123456");

        SignInOutcome outcome = attempt("dave", PASSWORD);

        assertThat(outcome).isInstanceOfSatisfying(SignInOutcome.StepUpRequired.class, s -> {
            assertThat(s.methods()).containsExactly("totp", "recovery_code");
            assertThat(mfaTokens.open(s.mfaToken(), MfaTokens.Surface.COOKIE)).hasValueSatisfying(p -> {
                assertThat(p.userId()).isEqualTo(id);
                assertThat(p.clientId()).isEqualTo("native");
                assertThat(p.scope()).isEqualTo("openid");
            });
        });
        assertThat(audited).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("login.step_up");
            assertThat(e.userId()).isEqualTo(id);
            assertThat(e.detail()).containsEntry("reason", "second_factor_enrolled").containsEntry("risk_decision", "allow");
        });
    }

    @Test
    void theRightCodeFinishesWithOtpInAmrAndAHigherAcrAndWorksOnce() {
        String id = accounts.register("dave", null, null, PASSWORD).id();
        factors.enrol(id, "123456");
        String token = ((SignInOutcome.StepUpRequired) attempt("dave", PASSWORD)).mfaToken();

        SignInOutcome done = signIn.secondFactor(token, new SecondFactors.Proof.Otp("123456"), MfaTokens.Surface.COOKIE, "native", LAPTOP);

        assertThat(done).isInstanceOfSatisfying(SignInOutcome.Authenticated.class, a -> {
            assertThat(a.user().id()).isEqualTo(id);
            assertThat(a.amr()).containsExactly("pwd", "otp", "mfa");
            assertThat(a.acr()).isEqualTo("2");
        });
        assertThat(signIn.secondFactor(token, new SecondFactors.Proof.Otp("123456"), MfaTokens.Surface.COOKIE, "native", LAPTOP))
                .as("the same code again").isEqualTo(new SignInOutcome.WrongSecondFactor());
    }

    @Test
    void aHeldSignInShowsItsUserAndMethodsOnlyOnItsOwnSurface() {
        String id = accounts.register("dave", null, null, PASSWORD).id();
        factors.enrol(id, "123456");
        String token = ((SignInOutcome.StepUpRequired) attempt("dave", PASSWORD)).mfaToken();

        assertThat(signIn.held(token, MfaTokens.Surface.COOKIE)).hasValueSatisfying(p -> assertThat(p.userId()).isEqualTo(id));
        assertThat(signIn.heldMethods(token, MfaTokens.Surface.COOKIE)).containsExactly("totp", "recovery_code");
        assertThat(signIn.held(token, MfaTokens.Surface.PAGE)).isEmpty();
        assertThat(signIn.heldMethods(token, MfaTokens.Surface.PAGE)).isEmpty();
    }

    @Test
    void aWrongCodeMayBeTriedAgainWithTheSameToken() {
        String id = accounts.register("dave", null, null, PASSWORD).id();
        factors.enrol(id, "123456");
        String token = ((SignInOutcome.StepUpRequired) attempt("dave", PASSWORD)).mfaToken();

        assertThat(signIn.secondFactor(token, new SecondFactors.Proof.Otp("000000"), MfaTokens.Surface.COOKIE, "native", LAPTOP))
                .isEqualTo(new SignInOutcome.WrongSecondFactor());
        assertThat(signIn.secondFactor(token, new SecondFactors.Proof.RecoveryCode("123456"), MfaTokens.Surface.COOKIE, "native", LAPTOP))
                .isInstanceOf(SignInOutcome.Authenticated.class);
    }

    @Test
    void aTokenIsRefusedOnAnotherSurfaceForAnotherClientAfterFiveMinutesOrWhenForgedOrTheUserIsDisabled() {
        String id = accounts.register("dave", null, null, PASSWORD).id();
        factors.enrol(id, "1", "2", "3", "4", "5", "6");
        String token = ((SignInOutcome.StepUpRequired) attempt("dave", PASSWORD)).mfaToken();
        SecondFactors.Proof code = new SecondFactors.Proof.Otp("1");

        assertThat(signIn.secondFactor(token, code, MfaTokens.Surface.TOKEN_ENDPOINT, "native", LAPTOP)).isEqualTo(new SignInOutcome.StepUpExpired());
        assertThat(signIn.secondFactor(token, code, MfaTokens.Surface.COOKIE, "other", LAPTOP)).isEqualTo(new SignInOutcome.StepUpExpired());
        assertThat(signIn.secondFactor(token.substring(1), code, MfaTokens.Surface.COOKIE, "native", LAPTOP)).isEqualTo(new SignInOutcome.StepUpExpired());
        assertThat(signIn.secondFactor("", code, MfaTokens.Surface.COOKIE, "native", LAPTOP)).isEqualTo(new SignInOutcome.StepUpExpired());
        assertThat(signIn.secondFactor(null, code, MfaTokens.Surface.COOKIE, "native", LAPTOP)).isEqualTo(new SignInOutcome.StepUpExpired());
        clock.advance(MfaTokens.LIFETIME);
        assertThat(signIn.secondFactor(token, code, MfaTokens.Surface.COOKIE, "native", LAPTOP)).as("five minutes exactly: still fine")
                .isInstanceOf(SignInOutcome.Authenticated.class);
        String later = ((SignInOutcome.StepUpRequired) attempt("dave", PASSWORD)).mfaToken();
        clock.advance(MfaTokens.LIFETIME.plusMillis(1));
        assertThat(signIn.secondFactor(later, new SecondFactors.Proof.Otp("2"), MfaTokens.Surface.COOKIE, "native", LAPTOP))
                .isEqualTo(new SignInOutcome.StepUpExpired());
        String third = ((SignInOutcome.StepUpRequired) attempt("dave", PASSWORD)).mfaToken();
        users.disable("dave");
        assertThat(signIn.secondFactor(third, new SecondFactors.Proof.Otp("3"), MfaTokens.Surface.COOKIE, "native", LAPTOP))
                .isEqualTo(new SignInOutcome.StepUpExpired());
    }

    @Test
    void aWrongPasswordOfAUserWithASecondFactorIsJustBadCredentials() {
        String id = accounts.register("dave", null, null, PASSWORD).id();
        factors.enrol(id, "123456");

        assertThat(attempt("dave", "wrong")).isEqualTo(new SignInOutcome.BadCredentials());
    }

    @Test
    void aHeldRefreshIsFinishedOnlyForItsOwnSessionAndNeverStartsASignIn() {
        String id = accounts.register("erin", null, null, PASSWORD).id();
        factors.enrol(id, "111111", "222222");
        String token = mfaTokens.seal(new MfaTokens.Pending(id, MfaTokens.Surface.COOKIE, "native", "openid", clock.instant(), "fam-1", null,
                "country changed: PT (session's: DE)"));

        assertThat(signIn.secondFactor(token, new SecondFactors.Proof.Otp("111111"), MfaTokens.Surface.COOKIE, "native", LAPTOP))
                .as("a held refresh is no sign-in").isEqualTo(new SignInOutcome.StepUpExpired());
        assertThat(signIn.refreshSecondFactor(token, new SecondFactors.Proof.Otp("111111"), MfaTokens.Surface.COOKIE, "native", "fam-2", LAPTOP))
                .as("another session's refresh token").isEqualTo(new SignInOutcome.StepUpExpired());
        assertThat(signIn.refreshSecondFactor(token, new SecondFactors.Proof.Otp("111111"), MfaTokens.Surface.COOKIE, "web", "fam-1", LAPTOP))
                .as("another client").isEqualTo(new SignInOutcome.StepUpExpired());

        assertThat(signIn.refreshSecondFactor(token, new SecondFactors.Proof.Otp("111111"), MfaTokens.Surface.COOKIE, "native", "fam-1", LAPTOP))
                .isInstanceOfSatisfying(SignInOutcome.Authenticated.class, a -> {
                    assertThat(a.amr()).containsExactly("pwd", "otp", "mfa");
                    assertThat(a.acr()).isEqualTo("2");
                    assertThat(a.note()).isEqualTo("country changed: PT (session's: DE), verified with TOTP");
                });
        assertThat(audited).as("the refresh that follows records what happened").isEmpty();
    }

    @Test
    void aHeldSignInIsNoRefresh() {
        String id = accounts.register("frank", null, null, PASSWORD).id();
        factors.enrol(id, "333333");
        String token = ((SignInOutcome.StepUpRequired) attempt("frank", PASSWORD)).mfaToken();

        assertThat(signIn.refreshSecondFactor(token, new SecondFactors.Proof.Otp("333333"), MfaTokens.Surface.COOKIE, "native", "fam-1", LAPTOP))
                .isEqualTo(new SignInOutcome.StepUpExpired());
    }

    @Test
    void onAKnownDeviceTheAccountsFailuresDoNotCountButOnANewOneTheyDoAndTheNewDeviceIsAudited() {
        accounts.register("alice", null, null, PASSWORD);
        attempt("alice", PASSWORD);
        sprayed("alice", 4);                                   // 4 on the account, one past the risk engine's 3 free ones
        audited.clear();

        assertThat(attempt("alice", PASSWORD)).isInstanceOf(SignInOutcome.Authenticated.class);
        assertThat(audited).as("someone else's guessing costs the owner's known laptop nothing").singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("login.allowed");
            assertThat(e.detail()).containsEntry("risk_score", "0");
        });
        audited.clear();

        assertThat(attempt("alice", PASSWORD, LAPTOP.withDevice("phone-device"))).isInstanceOfSatisfying(SignInOutcome.Authenticated.class, a ->
                assertThat(a.note()).startsWith("new device"));
        assertThat(audited).extracting(AuditEvent::type).containsExactly("login.allowed", "login.new_device");
        assertThat(audited.get(0).detail()).as("new device (20) and one failure past the free ones (10)").containsEntry("risk_score", "30");
        assertThat(audited.get(1).detail()).containsEntry("verified", "password")
                .containsEntry("seen", "new device; 4 failed sign-ins on this account recently")
                .as("no GeoIP, no place").doesNotContainKey("place");
    }

    @Test
    void aNewNetworkAloneIsNoNewDevice() {
        accounts.register("alice", null, null, PASSWORD);
        attempt("alice", PASSWORD);
        audited.clear();

        assertThat(attempt("alice", PASSWORD, new RequestInfo("192.0.2.44", "Firefox/128", "laptop-device")))
                .isInstanceOfSatisfying(SignInOutcome.Authenticated.class, a -> assertThat(a.note()).startsWith("new network 192.0.2.0/24"));
        assertThat(audited).extracting(AuditEvent::type).containsExactly("login.allowed");
    }

    @Test
    void aNewDeviceAfterFailuresDeniesAUserWithNothingToStepUpToAndIsNotRemembered() {
        String id = accounts.register("alice", null, null, PASSWORD).id();
        attempt("alice", PASSWORD);
        sprayed("alice", 5);
        clock.advance(Duration.ofMinutes(1));                  // past the account's block; the failures stay in the window
        audited.clear();

        assertThat(attempt("alice", PASSWORD, LAPTOP.withDevice("stolen-device"))).isInstanceOf(SignInOutcome.Denied.class);

        assertThat(audited).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("login.denied");
            assertThat(e.userId()).isEqualTo(id);
            assertThat(e.detail()).containsEntry("risk_decision", "deny").containsEntry("risk_score", "40");
        });
        assertThat(risk.knowsDevice(id, "stolen-device")).isFalse();
    }

    @Test
    void aRiskyStepUpSaysSoAndItsFinishRemembersTheHeldDeviceAndNamesTheRecoveryCode() {
        String id = accounts.register("dave", null, null, PASSWORD).id();
        factors.enrol(id, "111111", "222222");
        signIn.secondFactor(((SignInOutcome.StepUpRequired) attempt("dave", PASSWORD)).mfaToken(), new SecondFactors.Proof.Otp("111111"),
                MfaTokens.Surface.COOKIE, "native", LAPTOP);
        sprayed("dave", 5);
        clock.advance(Duration.ofMinutes(1));
        audited.clear();

        String token = ((SignInOutcome.StepUpRequired) attempt("dave", PASSWORD, LAPTOP.withDevice("phone-device"))).mfaToken();
        assertThat(audited).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("login.step_up");
            assertThat(e.detail()).containsEntry("reason", "risk").containsEntry("risk_decision", "step_up");
        });
        audited.clear();

        // Finished from the laptop's browser: the device remembered is the one the sign-in was held for.
        assertThat(signIn.secondFactor(token, new SecondFactors.Proof.RecoveryCode("222222"), MfaTokens.Surface.COOKIE, "native", LAPTOP))
                .isInstanceOfSatisfying(SignInOutcome.Authenticated.class, a -> assertThat(a.note()).startsWith("new device").endsWith(
                        ", verified with a recovery code"));
        assertThat(audited).extracting(AuditEvent::type).containsExactly("login.allowed", "login.new_device");
        assertThat(audited.get(0).detail()).containsEntry("second_factor", "recovery_code");
        assertThat(audited.get(1).detail()).containsEntry("verified", "recovery_code");
        assertThat(risk.knowsDevice(id, "phone-device")).isTrue();
    }

    @Test
    void aPolicyThatTrustsKnownDevicesSkipsTheSecondFactorOnlyOnAKnownDeviceWithNothingNew() {
        RiskConfig d = RiskConfig.defaults();
        RiskConfig trusting = new RiskConfig(d.geoIpDb(), d.denyIps(), d.denyIpsReload(), d.stepUpAt(), d.denyAt(), d.denyWithoutSecondFactor(),
                d.newDevice(), d.newNetwork(), d.newCountry(), d.impossibleTravel(), d.travelKmh(), d.travelMinKm(), d.accountFailure(),
                d.freeAccountFailures(), d.ipFailure(), d.freeIpFailures(), d.refreshNetwork(), d.refreshCountry(), d.refreshUserAgent(),
                d.historySize(), true, d.refreshDevice());
        SignIn trustingSignIn = signInWith(new RiskEngine(RiskPolicy.of(trusting), GeoIp.NONE, DenyList.empty(), new InMemoryRiskHistoryStore()));
        String id = accounts.register("dave", null, null, PASSWORD).id();
        factors.enrol(id, "111111");
        SignIn.Attempt fromLaptop = new SignIn.Attempt("dave", PASSWORD, MfaTokens.Surface.COOKIE, "native", "openid", LAPTOP);

        SignInOutcome first = trustingSignIn.password(fromLaptop);
        assertThat(first).as("no device is known yet").isInstanceOf(SignInOutcome.StepUpRequired.class);
        trustingSignIn.secondFactor(((SignInOutcome.StepUpRequired) first).mfaToken(), new SecondFactors.Proof.Otp("111111"),
                MfaTokens.Surface.COOKIE, "native", LAPTOP);

        assertThat(trustingSignIn.password(fromLaptop)).isInstanceOfSatisfying(SignInOutcome.Authenticated.class, a -> {
            assertThat(a.amr()).containsExactly("pwd");
            assertThat(a.acr()).isEqualTo("1");
        });
        assertThat(trustingSignIn.password(new SignIn.Attempt("dave", PASSWORD, MfaTokens.Surface.COOKIE, "native", "openid",
                LAPTOP.withDevice("phone-device")))).as("another device").isInstanceOf(SignInOutcome.StepUpRequired.class);
        assertThat(attempt("dave", PASSWORD)).as("the default policy asks on the known laptop too").isInstanceOf(SignInOutcome.StepUpRequired.class);
    }

    @Test
    void aDenyListedAddressIsDeniedBeforeThePasswordIsLookedAtAndNothingIsCounted(@TempDir Path dir) throws IOException {
        DenyList denyList = DenyList.load(Files.writeString(dir.resolve("deny.txt"), "203.0.113.0/24\n"));
        SignIn guarded = signInWith(new RiskEngine(RiskPolicy.defaults(), GeoIp.NONE, denyList, new InMemoryRiskHistoryStore()));
        accounts.register("alice", null, null, PASSWORD);

        assertThat(guarded.password(new SignIn.Attempt("alice", PASSWORD, MfaTokens.Surface.COOKIE, "native", "openid", LAPTOP)))
                .isEqualTo(new SignInOutcome.Denied("IP on the deny list (203.0.113.0/24)"));

        assertThat(audited).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("login.denied");
            assertThat(e.userId()).as("the answer says nothing about the account").isNull();
            assertThat(e.detail()).containsEntry("username", "alice").containsEntry("risk_decision", "deny");
        });
        assertThat(counters.find("ip:203.0.113.7")).isEmpty();
    }

    @Test
    void theCodeStepFromADenyListedAddressIsDeniedBeforeTheCodeIsChecked(@TempDir Path dir) throws IOException {
        DenyList denyList = DenyList.load(Files.writeString(dir.resolve("deny.txt"), "198.51.100.0/24\n"));
        SignIn guarded = signInWith(new RiskEngine(RiskPolicy.defaults(), GeoIp.NONE, denyList, new InMemoryRiskHistoryStore()));
        String id = accounts.register("gina", null, null, PASSWORD).id();
        factors.enrol(id, "444444");
        String token = ((SignInOutcome.StepUpRequired) guarded.password(new SignIn.Attempt("gina", PASSWORD, MfaTokens.Surface.COOKIE, "native",
                "openid", LAPTOP))).mfaToken();
        audited.clear();
        RequestInfo listed = new RequestInfo("198.51.100.7", "Firefox/128", "laptop-device");

        assertThat(guarded.secondFactor(token, new SecondFactors.Proof.Otp("444444"), MfaTokens.Surface.COOKIE, "native", listed))
                .isEqualTo(new SignInOutcome.Denied("IP on the deny list (198.51.100.0/24)"));
        assertThat(audited).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("login.denied");
            assertThat(e.userId()).isEqualTo(id);
        });
        assertThat(guarded.secondFactor(token, new SecondFactors.Proof.Otp("444444"), MfaTokens.Surface.COOKIE, "native", LAPTOP))
                .as("the code was not spent").isInstanceOf(SignInOutcome.Authenticated.class);
    }
}
