package dev.rotor.signin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.audit.RequestInfo;
import dev.rotor.crypto.Sealer;
import dev.rotor.risk.InMemoryRiskHistoryStore;
import dev.rotor.risk.RiskEngine;
import dev.rotor.risk.RiskPolicy;
import dev.rotor.risk.source.DenyList;
import dev.rotor.risk.source.GeoIp;
import dev.rotor.risk.source.Place;
import dev.rotor.session.MutableClock;
import dev.rotor.session.RefreshCheck;
import dev.rotor.session.RefreshTokenFamily;
import dev.rotor.session.RefreshTokenFamily.Channel;
import dev.rotor.testing.RecordingAuditLog;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The risk policy on a refresh, as {@link dev.rotor.session.Sessions} asks it: the verdicts, the held refresh's
 * {@code mfa_token}, and what is audited. Places come from a GeoIP stand-in: {@code 203.0.113.*} is Berlin,
 * {@code 198.51.100.*} Lisbon, {@code 192.0.2.*} Munich on a mobile network.
 */
class RiskRefreshCheckTest {
    private static final String FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
    private static final String CHROME_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0.0.0 Safari/537.36";
    private static final GeoIp GEO = address -> switch (address.getHostAddress().substring(0, address.getHostAddress().lastIndexOf('.'))) {
        case "203.0.113" -> new Place("DE", "Berlin", 52.52, 13.405, 64501L);
        case "198.51.100" -> new Place("PT", "Lisbon", 38.72, -9.14, 64500L);
        case "192.0.2" -> new Place("DE", "Munich", 48.14, 11.58, 64502L);
        default -> Place.UNKNOWN;
    };

    private final MutableClock clock = new MutableClock();
    private final RecordingAuditLog audit = new RecordingAuditLog();
    private final FakeSecondFactors factors = new FakeSecondFactors();
    private final MfaTokens mfaTokens = new MfaTokens(new Sealer(new byte[32], new SecureRandom()), clock);
    private final RiskRefreshCheck check = new RiskRefreshCheck(new RiskEngine(RiskPolicy.defaults(), GEO, DenyList.empty(),
            new InMemoryRiskHistoryStore()), factors, mfaTokens, audit, clock);

    private static RefreshTokenFamily berlinFirefox() {
        Instant t = MutableClock.T0;
        return new RefreshTokenFamily("fam-1", "user-1", "spa", "openid", t, t.plus(Duration.ofDays(7)), t, t, List.of("pwd"), "1",
                "203.0.113.7", FIREFOX, "203.0.113.7", FIREFOX, 3, t, null, Channel.COOKIE, null, null, null, "laptop-device");
    }

    @Test
    void aRefreshFromTheSessionsOwnPlaceAndBrowserIsAllowedAndNotAudited() {
        assertThat(check.check(berlinFirefox(), Channel.COOKIE, new RequestInfo("203.0.113.7", FIREFOX))).isEqualTo(new RefreshCheck.Verdict.Allow());
        assertThat(audit.events).isEmpty();
    }

    @Test
    void aPhoneOnItsMobileNetworkInTheSameCountryIsAllowedAndTheChangeAudited() {
        assertThat(check.check(berlinFirefox(), Channel.COOKIE, new RequestInfo("192.0.2.50", FIREFOX))).isEqualTo(new RefreshCheck.Verdict.Allow());

        assertThat(audit.events).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("refresh.allowed");
            assertThat(e.sessionId()).isEqualTo("fam-1");
            assertThat(e.detail()).containsEntry("risk_score", "10");
        });
    }

    @Test
    void anotherCountryStepsUpAUserWithASecondFactorWithATokenForThisSessionOnThisSurface() {
        factors.enrol("user-1", "123456");

        RefreshCheck.Verdict v = check.check(berlinFirefox(), Channel.COOKIE, new RequestInfo("198.51.100.9", FIREFOX));

        assertThat(v).isInstanceOfSatisfying(RefreshCheck.Verdict.StepUp.class, s -> {
            assertThat(s.methods()).containsExactly("totp", "recovery_code");
            assertThat(mfaTokens.open(s.mfaToken(), MfaTokens.Surface.TOKEN_ENDPOINT)).as("not on the other surface").isEmpty();
            assertThat(mfaTokens.open(s.mfaToken(), MfaTokens.Surface.COOKIE)).hasValueSatisfying(p -> {
                assertThat(p.familyId()).isEqualTo("fam-1");
                assertThat(p.isRefresh()).isTrue();
                assertThat(p.userId()).isEqualTo("user-1");
                assertThat(p.clientId()).isEqualTo("spa");
                assertThat(p.note()).contains("country changed: PT");
            });
        });
        assertThat(audit.events).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("refresh.step_up");
            assertThat(e.detail()).containsEntry("risk_decision", "step_up").containsEntry("methods", "totp recovery_code");
        });
    }

    @Test
    void anotherCountryDeniesAUserWithNothingToStepUpTo() {
        RefreshCheck.Verdict v = check.check(berlinFirefox(), Channel.TOKEN_ENDPOINT, new RequestInfo("198.51.100.9", FIREFOX));

        assertThat(v).isInstanceOfSatisfying(RefreshCheck.Verdict.Deny.class, d ->
                assertThat(d.detail()).containsEntry("risk_decision", "deny").containsKey("risk_reasons"));
        assertThat(audit.events).singleElement().satisfies(e -> assertThat(e.type()).isEqualTo("refresh.denied"));
    }

    @Test
    void anotherCountryAndBrowserIsDeniedEvenWithASecondFactor() {
        factors.enrol("user-1", "123456");

        RefreshCheck.Verdict v = check.check(berlinFirefox(), Channel.COOKIE, new RequestInfo("198.51.100.9", CHROME_WINDOWS));

        assertThat(v).isInstanceOf(RefreshCheck.Verdict.Deny.class);
        assertThat(audit.events).singleElement().satisfies(e -> assertThat(e.detail()).containsEntry("risk_score", "80"));
    }

    @Test
    void anotherDeviceThanTheSessionsStepsUpAndNoDeviceAtAllIsNotScored() {
        factors.enrol("user-1", "123456");

        RefreshCheck.Verdict moved = check.check(berlinFirefox(), Channel.TOKEN_ENDPOINT, new RequestInfo("203.0.113.7", FIREFOX, "another-device"));
        RefreshCheck.Verdict none = check.check(berlinFirefox(), Channel.TOKEN_ENDPOINT, new RequestInfo("203.0.113.7", FIREFOX, null));
        RefreshCheck.Verdict same = check.check(berlinFirefox(), Channel.TOKEN_ENDPOINT, new RequestInfo("203.0.113.7", FIREFOX, "laptop-device"));

        assertThat(moved).isInstanceOf(RefreshCheck.Verdict.StepUp.class);
        assertThat(audit.events).singleElement().satisfies(e -> assertThat(e.detail().get("risk_reasons"))
                .isEqualTo("refresh_device(+40): another device than the session's"));
        assertThat(none).as("an app that sends no device_id on refresh").isEqualTo(new RefreshCheck.Verdict.Allow());
        assertThat(same).isEqualTo(new RefreshCheck.Verdict.Allow());
    }
}
