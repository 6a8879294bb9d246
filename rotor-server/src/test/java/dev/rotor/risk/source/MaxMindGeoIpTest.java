package dev.rotor.risk.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotor.config.ConfigException;
import dev.rotor.config.IpLiteral;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lookups on a real .mmdb file, read by MaxMind's reader. */
class MaxMindGeoIpTest {
    @TempDir
    Path dir;

    private static InetAddress ip(String text) {
        return IpLiteral.parse(text).orElseThrow();
    }

    @Test
    void locatesIpv4AndIpv6AddressesWithCountryCityCoordinatesAndAsn() throws Exception {
        try (MaxMindGeoIp geo = MaxMindGeoIp.open(TestGeo.write(dir.resolve("city.mmdb")))) {
            assertThat(geo.databaseType()).isEqualTo("GeoIP2-City");
            assertThat(geo.locate(ip(TestGeo.LISBON_HOME))).isEqualTo(new Place("PT", "Lisbon", 38.7223, -9.1393, 64500L));
            assertThat(geo.locate(ip(TestGeo.MUNICH_MOBILE))).isEqualTo(new Place("DE", "Munich", 48.1351, 11.582, 64502L));
            assertThat(geo.locate(ip(TestGeo.NEW_YORK_V6))).isEqualTo(new Place("US", "New York", 40.7128, -74.006, null));
            assertThat(geo.locate(ip("::ffff:" + TestGeo.BERLIN_HOME))).as("IPv4-mapped: the IPv4 address").extracting(Place::city).isEqualTo("Berlin");
        }
    }

    @Test
    void aCountryOnlyRecordHasNoCoordinatesAndAnUnknownAddressIsUnknown() throws Exception {
        try (MaxMindGeoIp geo = MaxMindGeoIp.open(TestGeo.write(dir.resolve("city.mmdb")))) {
            assertThat(geo.locate(ip(TestGeo.FRANCE_NO_COORDINATES))).isEqualTo(new Place("FR", null, null, null, null));
            assertThat(geo.locate(ip(TestGeo.NOWHERE))).isEqualTo(Place.UNKNOWN);
            assertThat(geo.locate(ip("2001:db9::1"))).isEqualTo(Place.UNKNOWN);
        }
    }

    @Test
    void anAsnDatabaseGivesTheAutonomousSystemOnly() throws Exception {
        Path asn = TestMmdb.of("GeoLite2-ASN")
                .add("198.51.100.0/24", java.util.Map.of("autonomous_system_number", 64500L, "autonomous_system_organization", "Example ISP"))
                .write(dir.resolve("asn.mmdb"));
        try (MaxMindGeoIp geo = MaxMindGeoIp.open(asn)) {
            assertThat(geo.locate(ip(TestGeo.LISBON_HOME))).isEqualTo(new Place(null, null, null, null, 64500L));
        }
    }

    @Test
    void aMissingFileStopsStartUpNamingTheSetting() {
        assertThatThrownBy(() -> MaxMindGeoIp.open(dir.resolve("absent.mmdb")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("ROTOR_GEOIP_DB: ").hasMessageContaining("absent.mmdb");
    }

    @Test
    void aFileThatIsNoMaxMindDatabaseStopsStartUpNamingTheSetting() throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.mmdb"), "not a database\n".repeat(100));
        assertThatThrownBy(() -> MaxMindGeoIp.open(junk))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("ROTOR_GEOIP_DB: ").hasMessageContaining("not a MaxMind DB");
    }
}
