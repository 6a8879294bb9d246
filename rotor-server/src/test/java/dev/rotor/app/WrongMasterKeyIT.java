package dev.rotor.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotor.config.RotorConfig;
import dev.rotor.crypto.ServerSecrets;
import dev.rotor.config.Setting;
import dev.rotor.testing.TestServer;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database of an earlier version holds signing keys but no refresh-token MAC key yet. Opened once with the wrong
 * master key, it must refuse rather than seal a new MAC key under that key (after which the right key would no
 * longer open the database).
 */
class WrongMasterKeyIT {
    private static final String OTHER_KEY = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[] {
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32});

    @TempDir
    Path dir;

    private RotorConfig config() {
        return RotorConfig.load(Map.of(Setting.DATA_DIR, dir.toString(), Setting.PORT, "0"), Map.of(), null);
    }

    private static long macKeys(Rotor rotor) {
        return rotor.database().read(tx -> {
            var st = tx.prepare("SELECT COUNT(*) FROM server_secrets WHERE name = ?");
            st.setString(1, ServerSecrets.REFRESH_TOKEN_MAC);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Test
    void aWrongMasterKeyOnADatabaseWithSigningKeysButNoMacKeyIsRefusedAndSealsNothing() {
        try (Rotor rotor = Rotor.open(config(), Clock.systemUTC(), TestServer.MASTER_KEY)) {
            rotor.keys().start(); // signing keys, sealed under the right key
            // As an earlier version left it: no MAC key yet.
            rotor.database().write(tx -> tx.update("DELETE FROM server_secrets"));
        }

        assertThatThrownBy(() -> Rotor.open(config(), Clock.systemUTC(), OTHER_KEY).close())
                .hasMessageContaining("master key does not open the signing keys");

        try (Rotor rotor = Rotor.open(config(), Clock.systemUTC(), TestServer.MASTER_KEY)) {
            assertThat(macKeys(rotor)).as("made now, under the right key").isEqualTo(1);
            rotor.keys().start();
        }
    }
}
