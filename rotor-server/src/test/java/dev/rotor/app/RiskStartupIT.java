package dev.rotor.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotor.config.ConfigException;
import dev.rotor.config.RotorConfig;
import dev.rotor.config.Setting;
import dev.rotor.risk.Decision;
import dev.rotor.risk.SignInContext;
import dev.rotor.risk.source.TestGeo;
import dev.rotor.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The risk engine's sources are opened at start-up: a bad one stops it, naming the setting (and, for the deny list, the line). */
class RiskStartupIT {
    @TempDir
    Path dir;

    private RotorConfig config(Map<String, String> env) {
        return RotorConfig.load(Map.of(Setting.DATA_DIR, dir.resolve("data").toString(), Setting.PORT, "0"), env, null);
    }

    @Test
    void aFileThatIsNoMaxMindDatabaseStopsStartUp() throws Exception {
        Path junk = Files.writeString(dir.resolve("GeoLite2-City.mmdb"), "<html>download page</html>\n".repeat(20));
        RotorConfig config = config(Map.of("ROTOR_GEOIP_DB", junk.toString()));

        assertThatThrownBy(() -> Rotor.open(config, Clock.systemUTC(), TestServer.MASTER_KEY).close())
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("ROTOR_GEOIP_DB: " + junk + " is not a MaxMind DB");
    }

    @Test
    void aBadDenyListLineStopsStartUp() throws Exception {
        Path deny = Files.writeString(dir.resolve("deny.txt"), "198.51.100.0/24\n198.51.100.0/24 203.0.113.0/24\n");
        RotorConfig config = config(Map.of("ROTOR_DENY_IPS", deny.toString()));

        assertThatThrownBy(() -> Rotor.open(config, Clock.systemUTC(), TestServer.MASTER_KEY).close())
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("ROTOR_DENY_IPS: " + deny + " line 2:");
    }

    @Test
    void theEngineIsBuiltFromTheSettingsAndRemembersInTheDatabase() throws Exception {
        Path mmdb = TestGeo.write(dir.resolve("city.mmdb"));
        Path deny = Files.writeString(dir.resolve("deny.txt"), "100.64.0.0/16\n");
        RotorConfig config = config(Map.of("ROTOR_GEOIP_DB", mmdb.toString(), "ROTOR_DENY_IPS", deny.toString()));
        Instant t0 = Instant.parse("2026-12-03T08:00:00Z");
        try (Rotor rotor = Rotor.open(config, Clock.systemUTC(), TestServer.MASTER_KEY)) {
            String alice = rotor.accounts().register("alice", null, null, TestServer.PASSWORD).id();
            rotor.risk().recordSuccess(new SignInContext(alice, TestGeo.BERLIN_HOME, "curl/8", null, 0, 0, true, t0));

            assertThat(rotor.risk().assessSignIn(new SignInContext(alice, TestGeo.LISBON_HOME, "curl/8", null, 0, 0, true, t0.plusSeconds(2400)))
                    .decision()).isEqualTo(Decision.DENY);
            assertThat(rotor.risk().assessSignIn(new SignInContext(alice, TestGeo.FRANCE_NO_COORDINATES, "curl/8", null, 0, 0, true, t0))
                    .summary()).startsWith("IP on the deny list (100.64.0.0/16); ");
        }
    }
}
