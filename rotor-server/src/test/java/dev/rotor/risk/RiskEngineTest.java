package dev.rotor.risk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.risk.source.DenyList;
import dev.rotor.risk.source.DeviceIds;
import dev.rotor.risk.source.GeoIp;
import dev.rotor.risk.source.MaxMindGeoIp;
import dev.rotor.risk.source.Place;
import dev.rotor.risk.source.TestGeo;
import dev.rotor.session.RefreshTokenFamily;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine over real signal sources: the written .mmdb, a deny-list file and the in-memory history. */
class RiskEngineTest {
    private static final Instant T0 = Instant.parse("2026-12-03T08:00:00Z");
    private static final String CHROME_ANDROID = "Mozilla/5.0 (Linux; Android 15) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36";
    private static final String FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";

    @TempDir
    Path dir;

    private MaxMindGeoIp geo;
    private DenyList denyList;
    private RiskEngine engine;
    private final String phone = DeviceIds.issue(new SecureRandom()).hash();

    @BeforeEach
    void open() throws Exception {
        geo = MaxMindGeoIp.open(TestGeo.write(dir.resolve("city.mmdb")));
        denyList = DenyList.load(Files.writeString(dir.resolve("deny.txt"), "# hosting range used for stuffing\n100.64.0.0/16\n"));
        engine = new RiskEngine(RiskPolicy.defaults(), geo, denyList, new InMemoryRiskHistoryStore());
    }

    @AfterEach
    void close() throws Exception {
        geo.close();
    }

    private static SignInContext signIn(String ip, String device, Instant at, boolean secondFactor) {
        return new SignInContext("alice", ip, CHROME_ANDROID, device, 0, 0, secondFactor, at);
    }

    @Test
    void aUsersHistoryBuildsUpAndANewDeviceInLisbonAsksForASecondFactor() {
        SignInContext first = signIn(TestGeo.BERLIN_HOME, phone, T0, true);
        assertThat(engine.assessSignIn(first).decision()).isEqualTo(Decision.ALLOW);
        engine.recordSuccess(first);

        SignInContext again = signIn(TestGeo.BERLIN_HOME, phone, T0.plus(Duration.ofHours(8)), true);
        assertThat(engine.assessSignIn(again).reasons()).isEmpty();

        Assessment lisbon = engine.assessSignIn(signIn(TestGeo.LISBON_HOME, null, T0.plus(Duration.ofDays(2)), true));
        assertThat(lisbon.decision()).isEqualTo(Decision.STEP_UP);
        assertThat(lisbon.summary()).isEqualTo("new device in Lisbon; new network 198.51.100.0/24 (AS64500); new country: PT (last: DE)");
    }

    @Test
    void aSignInFromLisbonFortyMinutesAfterBerlinIsDenied() {
        engine.recordSuccess(signIn(TestGeo.BERLIN_HOME, phone, T0, true));

        Assessment a = engine.assessSignIn(signIn(TestGeo.LISBON_HOME, phone, T0.plus(Duration.ofMinutes(40)), true));

        assertThat(a.decision()).isEqualTo(Decision.DENY);
        assertThat(a.reasons()).extracting(Reason::explanation).contains("impossible travel: 2,312 km in 40 min (from Berlin)");
    }

    @Test
    void thePhoneOnItsMobileNetworkIsAllowedAndThatNetworkIsKnownOnceItSignedIn() {
        engine.recordSuccess(signIn(TestGeo.BERLIN_HOME, phone, T0, false));

        SignInContext mobile = signIn(TestGeo.MUNICH_MOBILE, phone, T0.plus(Duration.ofMinutes(5)), false);
        Assessment a = engine.assessSignIn(mobile);
        assertThat(a.decision()).isEqualTo(Decision.ALLOW);
        assertThat(a.reasons()).extracting(Reason::signal).containsExactly(Signal.NEW_NETWORK);

        engine.recordSuccess(mobile);
        assertThat(engine.assessSignIn(signIn("192.0.2.17", phone, T0.plus(Duration.ofMinutes(9)), false)).reasons()).isEmpty();
    }

    @Test
    void aDeniedSignInTeachesNothing() {
        engine.recordSuccess(signIn(TestGeo.BERLIN_HOME, phone, T0, true));
        engine.assessSignIn(signIn(TestGeo.LISBON_HOME, null, T0.plus(Duration.ofMinutes(40)), true));

        assertThat(engine.assessSignIn(signIn(TestGeo.LISBON_HOME, null, T0.plus(Duration.ofDays(3)), true)).has(Signal.NEW_COUNTRY)).isTrue();
    }

    @Test
    void aDenyListedIpIsDeniedOnTheFirstSignInAndOnRefresh() {
        Assessment a = engine.assessSignIn(signIn(TestGeo.FRANCE_NO_COORDINATES, phone, T0, true));

        assertThat(a.decision()).isEqualTo(Decision.DENY);
        assertThat(a.summary()).isEqualTo("IP on the deny list (100.64.0.0/16)");
        assertThat(engine.assessRefresh(RefreshContext.of(family(TestGeo.BERLIN_HOME, CHROME_ANDROID), TestGeo.FRANCE_NO_COORDINATES,
                CHROME_ANDROID, null, true, T0)).decision()).isEqualTo(Decision.DENY);
    }

    @Test
    void aRefreshIsComparedWithWhereItsFamilyWasCreatedAndLastUsed() {
        RefreshTokenFamily family = family(TestGeo.BERLIN_HOME, CHROME_ANDROID);

        assertThat(engine.assessRefresh(RefreshContext.of(family, TestGeo.BERLIN_HOME, CHROME_ANDROID, null, true, T0)).reasons()).isEmpty();
        assertThat(engine.assessRefresh(RefreshContext.of(family, TestGeo.BERLIN_HOME_OTHER_NET, CHROME_ANDROID, null, true, T0)).reasons())
                .as("another prefix of the same autonomous system").isEmpty();
        Assessment mobile = engine.assessRefresh(RefreshContext.of(family, TestGeo.MUNICH_MOBILE, CHROME_ANDROID, null, false, T0));
        assertThat(mobile.decision()).isEqualTo(Decision.ALLOW);
        Assessment stolen = engine.assessRefresh(RefreshContext.of(family, TestGeo.LISBON_HOME, FIREFOX_LINUX, null, true, T0));
        assertThat(stolen.decision()).isEqualTo(Decision.DENY);
        assertThat(stolen.summary()).isEqualTo("network changed: 198.51.100.0/24 (AS64500) (session's: 203.0.113.0/24); "
                + "country changed: PT (session's: DE); browser changed: Firefox on Linux (session's: Chrome on Android)");
    }

    @Test
    void withoutAGeoIpDatabaseTheGeoSignalsAreAbsent() {
        RiskEngine noGeo = new RiskEngine(RiskPolicy.defaults(), GeoIp.NONE, DenyList.empty(), new InMemoryRiskHistoryStore());
        noGeo.recordSuccess(signIn(TestGeo.BERLIN_HOME, phone, T0, true));

        Assessment a = noGeo.assessSignIn(signIn(TestGeo.LISBON_HOME, phone, T0.plus(Duration.ofMinutes(40)), true));

        assertThat(a.reasons()).extracting(Reason::explanation).containsExactly("new network 198.51.100.0/24");
        assertThat(a.decision()).isEqualTo(Decision.ALLOW);
    }

    private static RefreshTokenFamily family(String ip, String userAgent) {
        return new RefreshTokenFamily("fam-1", "alice", "app", "openid", T0, T0.plus(Duration.ofDays(7)), T0, T0, List.of("pwd"), "1",
                ip, userAgent, ip, userAgent, 0, null, null, RefreshTokenFamily.Channel.TOKEN_ENDPOINT, null, null, null, null);
    }

    @Test
    void denyListedAnswersOnlyForAnAddressOnTheList() {
        assertThat(engine.denyListed(TestGeo.FRANCE_NO_COORDINATES)).hasValueSatisfying(a -> {
            assertThat(a.decision()).isEqualTo(Decision.DENY);
            assertThat(a.summary()).isEqualTo("IP on the deny list (100.64.0.0/16)");
        });
        assertThat(engine.denyListed(TestGeo.BERLIN_HOME)).isEmpty();
        assertThat(engine.denyListed(null)).as("no address").isEmpty();
        assertThat(engine.denyListed("not an address")).isEmpty();
    }

    @Test
    void knowsDeviceOnlyForADeviceTheUserSignedInFrom() {
        engine.recordSuccess(signIn(TestGeo.BERLIN_HOME, phone, T0, true));

        assertThat(engine.knowsDevice("alice", phone)).isTrue();
        assertThat(engine.knowsDevice("alice", "another device")).isFalse();
        assertThat(engine.knowsDevice("bob", phone)).as("another user").isFalse();
        assertThat(engine.knowsDevice("alice", null)).as("no device id").isFalse();
    }

    @Test
    void placeIsWhereTheGeoIpDatabasePutsTheAddressAndUnknownOtherwise() {
        assertThat(engine.place(TestGeo.BERLIN_HOME).label()).isEqualTo("Berlin");
        assertThat(engine.place(TestGeo.NOWHERE)).isEqualTo(Place.UNKNOWN);
        assertThat(engine.place(null)).isEqualTo(Place.UNKNOWN);
        assertThat(engine.place("not an address")).isEqualTo(Place.UNKNOWN);
    }

    @Test
    void policyIsTheOneItWasMadeWith() {
        RiskPolicy policy = RiskPolicy.defaults();

        assertThat(new RiskEngine(policy, GeoIp.NONE, DenyList.empty(), new InMemoryRiskHistoryStore()).policy()).isSameAs(policy);
    }
}
