package dev.rotor.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MasterKeyTest {
    @TempDir
    Path dir;

    private final SecureRandom random = new SecureRandom();

    private static String b64url(byte[] key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key);
    }

    private static byte[] key(int length, int fill) {
        byte[] k = new byte[length];
        java.util.Arrays.fill(k, (byte) fill);
        return k;
    }

    @Test
    void loadWhenNoFileThenCreatesIt0600WithARandom256BitKey() throws Exception {
        Path file = dir.resolve("sub/master.key");

        byte[] key = MasterKey.load(null, file, random, false);

        assertThat(key).hasSize(32);
        assertThat(Files.exists(file)).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).as("the directory it made").isEqualTo("rwx------");
        assertThat(Files.readString(file, StandardCharsets.US_ASCII).trim()).isEqualTo(b64url(key));
    }

    @Test
    void loadWhenFileMissingBesideSealedKeysThenRefusedNamingTheFileAndWhatToDo() {
        Path file = dir.resolve("master.key");

        assertThatThrownBy(() -> MasterKey.load(null, file, random, true))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("missing")
                .hasMessageContaining("Restore master.key")
                .hasMessageContaining(MasterKey.ENV);
        assertThat(Files.exists(file)).as("no new key beside keys sealed under the old one").isFalse();
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void loadWhenSealedKeysAndTheKeyIsThereThenItIsUsed() {
        Path file = dir.resolve("master.key");
        byte[] created = MasterKey.load(null, file, random, false);
        byte[] fromEnv = key(32, 5);

        assertThat(MasterKey.load(null, file, random, true)).isEqualTo(created);
        Path elsewhere = dir.resolve("gone/master.key");
        assertThat(MasterKey.load(b64url(fromEnv), elsewhere, random, true)).isEqualTo(fromEnv);
        assertThat(Files.exists(elsewhere)).isFalse();
    }

    @Test
    void loadWhenFileExistsThenReusesIt() {
        Path file = dir.resolve("master.key");

        byte[] first = MasterKey.load(null, file, random, false);
        byte[] second = MasterKey.load("", file, random, false);
        byte[] third = MasterKey.load("   ", file, random, false);

        assertThat(second).isEqualTo(first);
        assertThat(third).isEqualTo(first);
    }

    @Test
    void loadWhenEnvSetThenEnvWinsAndNoFileIsCreated() {
        Path file = dir.resolve("master.key");
        byte[] fromEnv = key(32, 7);

        assertThat(MasterKey.load(b64url(fromEnv), file, random, false)).isEqualTo(fromEnv);
        assertThat(Files.exists(file)).isFalse();
    }

    @Test
    void loadWhenEnvSetAndFileExistsThenEnvWins() {
        Path file = dir.resolve("master.key");
        byte[] fromFile = MasterKey.load(null, file, random, false);
        byte[] fromEnv = key(32, 9);

        assertThat(MasterKey.load(b64url(fromEnv), file, random, false)).isEqualTo(fromEnv).isNotEqualTo(fromFile);
    }

    @Test
    void loadAcceptsStandardBase64AndPaddingInEnv() {
        byte[] k = new byte[32];
        random.nextBytes(k);

        assertThat(MasterKey.load(Base64.getEncoder().encodeToString(k), dir.resolve("x"), random, false)).isEqualTo(k);
        assertThat(MasterKey.load(" " + b64url(k) + "\n", dir.resolve("x"), random, false)).isEqualTo(k);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rw-r-----", "rw----r--", "rw-r--r--", "r--r--r--"})
    void loadWhenFileReadableByGroupOrOthersThenRefused(String permissions) throws Exception {
        Path file = dir.resolve("master.key");
        Files.writeString(file, b64url(key(32, 1)) + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));

        assertThatThrownBy(() -> MasterKey.load(null, file, random, false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(file.toString())
                .hasMessageNotContaining(b64url(key(32, 1)));
    }

    @Test
    void loadWhenFileIs0400ThenAccepted() throws Exception {
        Path file = dir.resolve("master.key");
        Files.writeString(file, b64url(key(32, 1)) + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));

        assertThat(MasterKey.load(null, file, random, false)).isEqualTo(key(32, 1));
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 16, 31, 33, 64})
    void loadWhenFileKeyHasWrongLengthThenRefused(int length) throws Exception {
        Path file = dir.resolve("master.key");
        Files.writeString(file, b64url(key(length, 3)) + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

        assertThatThrownBy(() -> MasterKey.load(null, file, random, false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("32 bytes");
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {1, 16, 31, 33, 64})
    void loadWhenEnvKeyHasWrongLengthThenRefused(int length) {
        assertThatThrownBy(() -> MasterKey.load(b64url(key(length, 3)), dir.resolve("master.key"), random, false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(MasterKey.ENV)
                .hasMessageContaining("32 bytes");
    }

    @Test
    void loadWhenEnvNotBase64ThenRefusedWithoutEchoingIt() {
        String bad = "not base64 at all!!!";
        assertThatThrownBy(() -> MasterKey.load(bad, dir.resolve("master.key"), random, false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(MasterKey.ENV)
                .hasMessageNotContaining(bad);
    }
}
