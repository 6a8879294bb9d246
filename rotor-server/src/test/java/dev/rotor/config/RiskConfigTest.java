package dev.rotor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The risk settings: defaults, the three ways to set them, and start-up errors that name the setting. */
class RiskConfigTest {
    @TempDir
    Path dir;

    private static RotorConfig withEnv(String... pairs) {
        Map<String, String> env = new java.util.HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) env.put(pairs[i], pairs[i + 1]);
        return RotorConfig.load(Map.of(), env, null);
    }

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        assertThat(withEnv().risk()).isEqualTo(RiskConfig.defaults());
        RiskConfig r = RiskConfig.defaults();
        assertThat(r.geoIpDb()).isNull();
        assertThat(r.denyIps()).isNull();
        assertThat(r.denyIpsReload()).isEqualTo(Duration.ofSeconds(5));
        assertThat(r.stepUpAt()).isEqualTo(40);
        assertThat(r.denyAt()).isEqualTo(80);
        assertThat(r.denyWithoutSecondFactor()).isTrue();
        // The phone on its mobile network: a new network on sign-in, a changed one on refresh, both far below step-up.
        assertThat(r.newNetwork()).isLessThan(r.stepUpAt());
        assertThat(r.refreshNetwork()).isLessThan(r.stepUpAt());
        assertThat(r.newNetwork() + r.newDevice()).as("a new phone on a new network at home").isLessThan(r.stepUpAt());
    }

    @Test
    void aSettingComesFromTheFlagTheEnvironmentOrTheFile() throws Exception {
        Path file = Files.writeString(dir.resolve("rotor.conf"), "risk_step_up_at = 30\nrisk_weight_new_device = 5\n");
        RotorConfig c = RotorConfig.load(Map.of(Setting.RISK_DENY_AT, "90"), Map.of("ROTOR_RISK_WEIGHT_NEW_DEVICE", "7",
                "ROTOR_RISK_DENY_WITHOUT_SECOND_FACTOR", "false"), file);

        assertThat(c.risk().stepUpAt()).isEqualTo(30);
        assertThat(c.risk().denyAt()).isEqualTo(90);
        assertThat(c.risk().newDevice()).as("env over file").isEqualTo(7);
        assertThat(c.risk().denyWithoutSecondFactor()).isFalse();
        assertThat(Setting.RISK_STEP_UP_AT.env()).isEqualTo("ROTOR_RISK_STEP_UP_AT");
        assertThat(Setting.RISK_STEP_UP_AT.flag()).isEqualTo("--risk-step-up-at");
    }

    @Test
    void existingFilesAreTaken() throws Exception {
        Path mmdb = Files.write(dir.resolve("city.mmdb"), new byte[] {1});
        Path deny = Files.writeString(dir.resolve("deny.txt"), "");
        RiskConfig r = withEnv("ROTOR_GEOIP_DB", mmdb.toString(), "ROTOR_DENY_IPS", deny.toString(), "ROTOR_DENY_IPS_RELOAD", "30s").risk();

        assertThat(r.geoIpDb()).isEqualTo(mmdb);
        assertThat(r.denyIps()).isEqualTo(deny);
        assertThat(r.denyIpsReload()).isEqualTo(Duration.ofSeconds(30));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "ROTOR_RISK_STEP_UP_AT | 0 | ROTOR_RISK_STEP_UP_AT (--risk-step-up-at, risk_step_up_at): must be 1-10000",
            "ROTOR_RISK_STEP_UP_AT | forty | ROTOR_RISK_STEP_UP_AT (--risk-step-up-at, risk_step_up_at): invalid value 'forty'",
            "ROTOR_RISK_DENY_AT | 30 | ROTOR_RISK_DENY_AT (--risk-deny-at, risk_deny_at): must not be below ROTOR_RISK_STEP_UP_AT (40)",
            "ROTOR_RISK_WEIGHT_NEW_COUNTRY | -5 | ROTOR_RISK_WEIGHT_NEW_COUNTRY (--risk-weight-new-country, risk_weight_new_country): must be 0-10000",
            "ROTOR_RISK_TRAVEL_KMH | 50 | ROTOR_RISK_TRAVEL_KMH (--risk-travel-kmh, risk_travel_kmh): must be 100-100000",
            "ROTOR_RISK_HISTORY_SIZE | 0 | ROTOR_RISK_HISTORY_SIZE (--risk-history-size, risk_history_size): must be 1-1000",
            "ROTOR_RISK_DENY_WITHOUT_SECOND_FACTOR | maybe | ROTOR_RISK_DENY_WITHOUT_SECOND_FACTOR: expected true or false",
            "ROTOR_DENY_IPS_RELOAD | 0 | ROTOR_DENY_IPS_RELOAD (--deny-ips-reload, deny_ips_reload): must be positive",
            "ROTOR_DENY_IPS_RELOAD | 2h | ROTOR_DENY_IPS_RELOAD (--deny-ips-reload, deny_ips_reload): must be at most 1h",
            "ROTOR_GEOIP_DB | /nonexistent/GeoLite2-City.mmdb | ROTOR_GEOIP_DB (--geoip-db, geoip_db): /nonexistent/GeoLite2-City.mmdb does not exist",
            "ROTOR_DENY_IPS | /nonexistent/deny.txt | ROTOR_DENY_IPS (--deny-ips, deny_ips): /nonexistent/deny.txt does not exist",
    })
    void aBadValueStopsStartUpNamingTheSetting(String env, String value, String message) {
        assertThatThrownBy(() -> withEnv(env, value)).isInstanceOf(ConfigException.class).hasMessageStartingWith(message);
    }

    @Test
    void aDirectoryIsNoGeoIpDatabase() {
        assertThatThrownBy(() -> withEnv("ROTOR_GEOIP_DB", dir.toString())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("ROTOR_GEOIP_DB").hasMessageContaining("is not a file");
    }
}
