package dev.rotor.risk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.config.Cidr;
import dev.rotor.config.RiskConfig;
import dev.rotor.risk.FamilyHistory.Use;
import dev.rotor.risk.RiskHistory.LastSignIn;
import dev.rotor.risk.source.Place;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The scoring rules one by one and combined, with the default policy unless a test says otherwise. */
class RiskScorerTest {
    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
    private static final RiskPolicy POLICY = RiskPolicy.defaults();
    private static final Place BERLIN = new Place("DE", "Berlin", 52.52, 13.405, 64501L);
    private static final Place MUNICH_MOBILE = new Place("DE", "Munich", 48.1351, 11.582, 64502L);
    private static final Place POTSDAM = new Place("DE", "Potsdam", 52.3906, 13.0645, 64501L);
    private static final Place LISBON = new Place("PT", "Lisbon", 38.7223, -9.1393, 64500L);
    private static final Place NEW_YORK = new Place("US", "New York", 40.7128, -74.006, null);
    private static final String HOME_NET = "203.0.113.0/24";
    private static final String CHROME_ANDROID = "Chrome on Android";

    /** Alice signs in from her phone at home in Berlin; her last sign-in was there, a day ago. */
    private static final RiskHistory ALICE = new RiskHistory(Set.of("phone"), Set.of(HOME_NET, "AS64501"), Set.of("DE"),
            new LastSignIn(NOW.minus(Duration.ofDays(1)), "DE", "Berlin", 52.52, 13.405));
    /**
     * Alice before the engine knew any device of hers (a sign-in with no device id so far): no device is new, and none
     * is known, so the account's failures count whatever device is presented.
     */
    private static final RiskHistory ALICE_NO_DEVICES = new RiskHistory(Set.of(), ALICE.networks(), ALICE.countries(), ALICE.last());

    private static Signals signIn(String device, String network, Place place) {
        return new Signals(NOW, network, place, null, device, CHROME_ANDROID, 0, 0);
    }

    private static RiskHistory lastSignInAt(Place place, Duration ago) {
        return new RiskHistory(ALICE.devices(), ALICE.networks(), ALICE.countries(),
                new LastSignIn(NOW.minus(ago), place.country(), place.city(), place.latitude(), place.longitude()));
    }

    @Test
    void aKnownDeviceOnAKnownNetworkIsAllowedWithNothingToExplain() {
        Assessment a = RiskScorer.signIn(signIn("phone", HOME_NET, BERLIN), ALICE, POLICY, true);

        assertThat(a).isEqualTo(new Assessment(Decision.ALLOW, 0, java.util.List.of()));
    }

    @Test
    void aNewDeviceFromANewCountryStepsUpAndSaysWhere() {
        Assessment a = RiskScorer.signIn(signIn("laptop", "198.51.100.0/24", LISBON), lastSignInAt(BERLIN, Duration.ofDays(2)), POLICY, true);

        assertThat(a.decision()).isEqualTo(Decision.STEP_UP);
        assertThat(a.score()).isEqualTo(20 + 10 + 30);
        assertThat(a.reasons()).extracting(Reason::signal).containsExactly(Signal.NEW_DEVICE, Signal.NEW_NETWORK, Signal.NEW_COUNTRY);
        assertThat(a.summary()).isEqualTo("new device in Lisbon; new network 198.51.100.0/24 (AS64500); new country: PT (last: DE)");
    }

    @Test
    void theAuditDetailNamesTheDecisionTheScoreAndEveryReason() {
        Assessment a = RiskScorer.signIn(signIn("laptop", "198.51.100.0/24", LISBON), lastSignInAt(BERLIN, Duration.ofDays(2)), POLICY, false);

        assertThat(a.auditDetail()).containsExactly(
                java.util.Map.entry("risk_decision", "deny"),
                java.util.Map.entry("risk_score", "60"),
                java.util.Map.entry("risk_reasons", "new_device(+20): new device in Lisbon; new_network(+10): new network 198.51.100.0/24 (AS64500); "
                        + "new_country(+30): new country: PT (last: DE); no_second_factor(+0): a second factor is needed and none is enrolled: denied by policy"));
    }

    @Test
    void aSignInWithoutADeviceIdIsANewDevice() {
        Assessment a = RiskScorer.signIn(signIn(null, HOME_NET, BERLIN), ALICE, POLICY, true);

        assertThat(a.reasons()).containsExactly(new Reason(Signal.NEW_DEVICE, 20, "new device in Berlin"));
        assertThat(a.decision()).isEqualTo(Decision.ALLOW);
    }

    @Test
    void impossibleTravelIsDeniedEvenFromAKnownDevice() {
        Assessment a = RiskScorer.signIn(signIn("phone", "198.51.100.0/24", LISBON), lastSignInAt(BERLIN, Duration.ofMinutes(40)), POLICY, true);

        assertThat(a.decision()).isEqualTo(Decision.DENY);
        assertThat(a.reasons()).contains(new Reason(Signal.IMPOSSIBLE_TRAVEL, 80, "impossible travel: 2,312 km in 40 min (from Berlin)"));
    }

    @Test
    void theSameTripTakenByPlaneIsNoImpossibleTravel() {
        Assessment a = RiskScorer.signIn(signIn("phone", "198.51.100.0/24", LISBON), lastSignInAt(BERLIN, Duration.ofHours(5)), POLICY, true);

        assertThat(a.has(Signal.IMPOSSIBLE_TRAVEL)).isFalse();
        assertThat(a.decision()).as("new network and country: 40").isEqualTo(Decision.STEP_UP);
    }

    @Test
    void sameInstantSignInsAcrossTheAtlanticAreImpossibleNotADivisionByZero() {
        Assessment a = RiskScorer.signIn(signIn("phone", "2001:db8:1:0:0:0:0:0/48", NEW_YORK), lastSignInAt(LISBON, Duration.ZERO), POLICY, true);

        assertThat(a.reasons()).extracting(Reason::explanation).contains("impossible travel: 5,422 km in 0 min (from Lisbon)");
    }

    @Test
    void aShortHopIsNeverImpossibleTravel() {
        Assessment a = RiskScorer.signIn(signIn("phone", HOME_NET, POTSDAM),
                new RiskHistory(ALICE.devices(), ALICE.networks(), Set.of("DE", "PT"), new LastSignIn(NOW.minusSeconds(60), "PT", "Lisbon", 52.52, 13.405)),
                POLICY, true);

        assertThat(a.has(Signal.IMPOSSIBLE_TRAVEL)).as("27 km, under the 500 km GeoIP can be off by").isFalse();
    }

    @Test
    void aPhoneMovingFromWifiToItsMobileNetworkInsideOneCountryIsAllowed() {
        // Five minutes after a sign-in at home, GeoIP puts the carrier's gateway in Munich, 504 km away.
        Assessment a = RiskScorer.signIn(signIn("phone", "192.0.2.0/24", MUNICH_MOBILE), lastSignInAt(BERLIN, Duration.ofMinutes(5)), POLICY, false);

        assertThat(a.decision()).isEqualTo(Decision.ALLOW);
        assertThat(a.reasons()).containsExactly(new Reason(Signal.NEW_NETWORK, 10, "new network 192.0.2.0/24 (AS64502)"));
    }

    @Test
    void aNewPrefixOfAKnownAutonomousSystemIsAKnownNetwork() {
        Assessment a = RiskScorer.signIn(signIn("phone", "203.0.114.0/24", BERLIN), ALICE, POLICY, true);

        assertThat(a.has(Signal.NEW_NETWORK)).isFalse();
    }

    @Test
    void aDenyListedIpIsDeniedWhateverTheScoreAndSecondFactor() {
        Signals s = new Signals(NOW, HOME_NET, BERLIN, Cidr.parse("203.0.113.0/24"), "phone", CHROME_ANDROID, 0, 0);
        // A policy whose deny-list weight adds nothing: the listed IP is still denied, by the rule and not by the score.
        java.util.Map<Signal, Integer> weights = new java.util.EnumMap<>(POLICY.weights());
        weights.put(Signal.DENY_LISTED_IP, 0);
        RiskPolicy weightless = new RiskPolicy(weights, 40, 80, true, 1000, 500, 3, 10, 20, false);

        assertThat(RiskScorer.signIn(s, ALICE, POLICY, true)).isEqualTo(
                new Assessment(Decision.DENY, 80, java.util.List.of(new Reason(Signal.DENY_LISTED_IP, 80, "IP on the deny list (203.0.113.0/24)"))));
        Assessment a = RiskScorer.signIn(s, ALICE, weightless, true);
        assertThat(a.score()).isZero();
        assertThat(a.decision()).isEqualTo(Decision.DENY);
    }

    @Test
    void theFirstSignInSetsTheBaselineInsteadOfAskingForASecondFactor() {
        Assessment a = RiskScorer.signIn(signIn(null, "198.51.100.0/24", LISBON), RiskHistory.EMPTY, POLICY, false);

        assertThat(a).isEqualTo(new Assessment(Decision.ALLOW, 0, java.util.List.of()));
    }

    @Test
    void withoutGeoIpThereAreNoCountryOrTravelSignals() {
        Assessment a = RiskScorer.signIn(signIn("phone", "198.51.100.0/24", Place.UNKNOWN), lastSignInAt(BERLIN, Duration.ofMinutes(1)), POLICY, true);

        assertThat(a.reasons()).extracting(Reason::signal).containsExactly(Signal.NEW_NETWORK);
        assertThat(a.summary()).isEqualTo("new network 198.51.100.0/24");
    }

    @Test
    void failuresBeyondTheFreeOnesAddPointsPerFailure() {
        Signals s = new Signals(NOW, HOME_NET, BERLIN, null, "phone", CHROME_ANDROID, 5, 12);

        Assessment a = RiskScorer.signIn(s, ALICE_NO_DEVICES, POLICY, true);

        assertThat(a.reasons()).containsExactly(
                new Reason(Signal.ACCOUNT_FAILURES, 20, "5 failed sign-ins on this account recently"),
                new Reason(Signal.IP_FAILURES, 4, "12 failed sign-ins from this IP recently"));
        assertThat(a.decision()).isEqualTo(Decision.ALLOW);
    }

    @Test
    void failuresAloneAskForASecondFactorButNeverDeny() {
        Signals s = new Signals(NOW, HOME_NET, BERLIN, null, "phone", CHROME_ANDROID, 1000, 100_000);

        Assessment a = RiskScorer.signIn(s, ALICE_NO_DEVICES, POLICY, true);

        assertThat(a.score()).isEqualTo(POLICY.stepUpAt());
        assertThat(a.decision()).isEqualTo(Decision.STEP_UP);
        assertThat(a.reasons()).as("the account's failures used up the cap: the IP's add no reason").extracting(Reason::signal)
                .containsExactly(Signal.ACCOUNT_FAILURES);
    }

    @Test
    void failuresUpToTheFreeOnesCostNothingAndTheIpsCountWithoutTheAccounts() {
        Signals s = new Signals(NOW, HOME_NET, BERLIN, null, "phone", CHROME_ANDROID, POLICY.freeAccountFailures(), 12);

        Assessment a = RiskScorer.signIn(s, ALICE, POLICY, true);

        assertThat(a.reasons()).containsExactly(new Reason(Signal.IP_FAILURES, 4, "12 failed sign-ins from this IP recently"));
    }

    @Test
    void failuresAloneLetAUserWithoutASecondFactorThroughRatherThanLockThemOut() {
        Signals s = new Signals(NOW, HOME_NET, BERLIN, null, "phone", CHROME_ANDROID, 1000, 100_000);

        Assessment a = RiskScorer.signIn(s, ALICE_NO_DEVICES, POLICY, false);

        assertThat(a.decision()).isEqualTo(Decision.ALLOW);
        assertThat(a.reasons()).last().isEqualTo(new Reason(Signal.NO_SECOND_FACTOR, 0,
                "a second factor is needed and none is enrolled: allowed, failed attempts alone never deny"));
    }

    @Test
    void failuresOnTopOfAnotherSignalStillDenyAUserWithoutASecondFactor() {
        // A new device (20) and 5 failures on the account (20): neither alone asks for a second factor; together they do.
        Signals s = new Signals(NOW, HOME_NET, BERLIN, null, "stranger", CHROME_ANDROID, 5, 0);

        Assessment a = RiskScorer.signIn(s, ALICE, POLICY, false);

        assertThat(a.score()).isEqualTo(40);
        assertThat(a.decision()).isEqualTo(Decision.DENY);
    }

    @Test
    void aStepUpForAUserWithoutASecondFactorIsDeniedByDefault() {
        Assessment a = RiskScorer.signIn(signIn("laptop", "198.51.100.0/24", LISBON), lastSignInAt(BERLIN, Duration.ofDays(2)), POLICY, false);

        assertThat(a.decision()).isEqualTo(Decision.DENY);
        assertThat(a.score()).isEqualTo(60);
        assertThat(a.reasons()).last().isEqualTo(new Reason(Signal.NO_SECOND_FACTOR, 0, "a second factor is needed and none is enrolled: denied by policy"));
    }

    @Test
    void aStepUpForAUserWithoutASecondFactorIsAllowedWhenThePolicySaysSo() {
        RiskPolicy allow = RiskPolicy.of(new RiskConfig(null, null, Duration.ofSeconds(5), 40, 80, false, 20, 10, 30, 80, 1000, 500,
                10, 3, 2, 10, 10, 40, 30, 20, false, 40));

        Assessment a = RiskScorer.signIn(signIn("laptop", "198.51.100.0/24", LISBON), lastSignInAt(BERLIN, Duration.ofDays(2)), allow, false);

        assertThat(a.decision()).isEqualTo(Decision.ALLOW);
        assertThat(a.has(Signal.NO_SECOND_FACTOR)).isTrue();
    }

    @ParameterizedTest(name = "score {0} -> {1}")
    @CsvSource({"0, ALLOW", "39, ALLOW", "40, STEP_UP", "79, STEP_UP", "80, DENY", "500, DENY"})
    void theThresholdsMapAScoreToADecision(int score, Decision decision) {
        assertThat(POLICY.decide(score)).isEqualTo(decision);
    }

    private static final FamilyHistory PHONE_SESSION = new FamilyHistory(new Use(HOME_NET, BERLIN, CHROME_ANDROID), new Use(HOME_NET, BERLIN, CHROME_ANDROID), null);

    private static Signals refresh(String network, Place place, String userAgentFamily) {
        return new Signals(NOW, network, place, null, null, userAgentFamily, 0, 0);
    }

    @Test
    void aRefreshFromTheSessionsNetworkAndBrowserIsAllowed() {
        assertThat(RiskScorer.refresh(refresh(HOME_NET, BERLIN, CHROME_ANDROID), PHONE_SESSION, POLICY, false))
                .isEqualTo(new Assessment(Decision.ALLOW, 0, java.util.List.of()));
    }

    @Test
    void aRefreshFromThePhonesMobileNetworkInTheSameCountryIsAllowed() {
        Assessment a = RiskScorer.refresh(refresh("192.0.2.0/24", MUNICH_MOBILE, CHROME_ANDROID), PHONE_SESSION, POLICY, false);

        assertThat(a.decision()).isEqualTo(Decision.ALLOW);
        assertThat(a.summary()).isEqualTo("network changed: 192.0.2.0/24 (AS64502) (session's: 203.0.113.0/24)");
    }

    @Test
    void aRefreshFromAnotherCountryAndBrowserIsDenied() {
        Assessment a = RiskScorer.refresh(refresh("198.51.100.0/24", LISBON, "Firefox on Linux"), PHONE_SESSION, POLICY, true);

        assertThat(a.decision()).isEqualTo(Decision.DENY);
        assertThat(a.score()).isEqualTo(10 + 40 + 30);
        assertThat(a.reasons()).extracting(Reason::explanation).containsExactly(
                "network changed: 198.51.100.0/24 (AS64500) (session's: 203.0.113.0/24)",
                "country changed: PT (session's: DE)",
                "browser changed: Firefox on Linux (session's: Chrome on Android)");
    }

    @Test
    void aRefreshFromAnotherCountryWithTheSameBrowserStepsUp() {
        Assessment a = RiskScorer.refresh(refresh("198.51.100.0/24", LISBON, CHROME_ANDROID), PHONE_SESSION, POLICY, true);

        assertThat(a.decision()).isEqualTo(Decision.STEP_UP);
        assertThat(a.score()).isEqualTo(50);
    }

    @Test
    void aRefreshBackWhereTheSessionWasCreatedIsNoChange() {
        // Last used abroad from the app's webview; now back home in the browser it was created in.
        FamilyHistory movedOn = new FamilyHistory(new Use(HOME_NET, BERLIN, CHROME_ANDROID), new Use("198.51.100.0/24", LISBON, "other client on Android"), null);

        assertThat(RiskScorer.refresh(refresh(HOME_NET, BERLIN, CHROME_ANDROID), movedOn, POLICY, true).reasons()).isEmpty();
    }

    @Test
    void aFamilyThatRecordedNoUserAgentOrIpHasNothingToCompare() {
        FamilyHistory old = new FamilyHistory(new Use(null, Place.UNKNOWN, null), new Use(null, Place.UNKNOWN, null), null);

        assertThat(RiskScorer.refresh(refresh("198.51.100.0/24", LISBON, "curl"), old, POLICY, true).reasons()).isEmpty();
    }

    @Test
    void aDenyListedIpOnRefreshIsDenied() {
        Signals s = new Signals(NOW, HOME_NET, BERLIN, Cidr.parse("203.0.113.0/24"), null, CHROME_ANDROID, 0, 0);

        Assessment a = RiskScorer.refresh(s, PHONE_SESSION, POLICY, true);

        assertThat(a.decision()).isEqualTo(Decision.DENY);
        assertThat(a.reasons()).as("the reason says why").extracting(Reason::signal).containsExactly(Signal.DENY_LISTED_IP);
    }

    @Test
    void aDenyListedIpAloneBeforeAnythingElseIsKnownIsDeniedAtTheDenyThreshold() {
        Assessment a = RiskScorer.denyListedOnly(Cidr.parse("203.0.113.0/24"), POLICY);

        assertThat(a.decision()).isEqualTo(Decision.DENY);
        assertThat(a.score()).isEqualTo(POLICY.denyAt());
        assertThat(a.reasons()).containsExactly(new Reason(Signal.DENY_LISTED_IP, POLICY.denyAt(), "IP on the deny list (203.0.113.0/24)"));
    }

    @Test
    void aRefreshFromAnotherDeviceThanTheSessionsStepsUpAndAnUnknownOneOnEitherSideIsNotScored() {
        FamilyHistory signedInOnPhone = new FamilyHistory(new Use(HOME_NET, BERLIN, CHROME_ANDROID), new Use(HOME_NET, BERLIN, CHROME_ANDROID), "phone");
        Signals other = new Signals(NOW, HOME_NET, BERLIN, null, "laptop", CHROME_ANDROID, 0, 0);
        Signals none = new Signals(NOW, HOME_NET, BERLIN, null, null, CHROME_ANDROID, 0, 0);

        Assessment moved = RiskScorer.refresh(other, signedInOnPhone, POLICY, true);

        assertThat(moved.decision()).isEqualTo(Decision.STEP_UP);
        assertThat(moved.reasons()).containsExactly(new Reason(Signal.REFRESH_DEVICE, 40, "another device than the session's"));
        assertThat(RiskScorer.refresh(none, signedInOnPhone, POLICY, true).reasons()).as("no device presented").isEmpty();
        assertThat(RiskScorer.refresh(other, PHONE_SESSION, POLICY, true).reasons()).as("a session from before devices were recorded").isEmpty();
        assertThat(RiskScorer.refresh(new Signals(NOW, HOME_NET, BERLIN, null, "phone", CHROME_ANDROID, 0, 0), signedInOnPhone, POLICY, true)
                .reasons()).isEmpty();
    }

    @Test
    void theAccountsFailuresDoNotCountOnAKnownDeviceButDoOnANewOne() {
        Signals known = new Signals(NOW, HOME_NET, BERLIN, null, "phone", CHROME_ANDROID, 50, 0);
        Signals stranger = new Signals(NOW, HOME_NET, BERLIN, null, "stranger", CHROME_ANDROID, 50, 0);

        assertThat(RiskScorer.signIn(known, ALICE, POLICY, false).reasons()).as("the owner's phone, while someone sprays the account")
                .isEmpty();
        assertThat(RiskScorer.signIn(stranger, ALICE, POLICY, false).reasons()).extracting(Reason::signal)
                .containsExactly(Signal.NEW_DEVICE, Signal.ACCOUNT_FAILURES, Signal.NO_SECOND_FACTOR);
    }
}
