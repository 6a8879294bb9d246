package dev.rotor.risk.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotor.config.Cidr;
import dev.rotor.config.ConfigException;
import dev.rotor.config.IpLiteral;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DenyListTest {
    @TempDir
    Path dir;

    private static InetAddress ip(String text) {
        return IpLiteral.parse(text).orElseThrow();
    }

    /** Writes the file and moves its modification time on, as a save a while later would. */
    private Path write(Path file, String text, int secondsLater) throws Exception {
        Files.writeString(file, text);
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-12-03T10:00:00Z").plusSeconds(secondsLater)));
        return file;
    }

    @Test
    void listsNetworksAndAddressesOfBothFamiliesWithCommentsAndBlankLines() throws Exception {
        Path file = write(dir.resolve("deny"), """
                # abusive hosting ranges
                198.51.100.0/24   # seen stuffing credentials

                2001:db8:bad::/48
                203.0.113.9
                   ::ffff:192.0.2.0/120
                """, 0);
        DenyList list = DenyList.load(file);

        assertThat(list.size()).isEqualTo(4);
        assertThat(list.match(ip("198.51.100.77"))).contains(Cidr.parse("198.51.100.0/24"));
        assertThat(list.match(ip("2001:db8:bad:1::5"))).contains(Cidr.parse("2001:db8:bad::/48"));
        assertThat(list.match(ip("203.0.113.9"))).contains(Cidr.parse("203.0.113.9/32"));
        assertThat(list.match(ip("192.0.2.1"))).as("an IPv4-mapped network is its IPv4 network").contains(Cidr.parse("192.0.2.0/24"));
        assertThat(list.match(ip("203.0.113.10"))).isEmpty();
        assertThat(list.match(ip("198.51.101.1"))).isEmpty();
        assertThat(list.match(ip("2001:db8:bae::1"))).isEmpty();
    }

    @Test
    void theBroadestListedNetworkHoldingTheAddressIsNamed() throws Exception {
        DenyList list = DenyList.load(write(dir.resolve("deny"), "10.1.2.3\n10.0.0.0/8\n10.1.0.0/16\n", 0));
        assertThat(list.match(ip("10.1.2.3"))).contains(Cidr.parse("10.0.0.0/8"));
    }

    @Test
    void aBadLineStopsStartUpNamingTheSettingTheFileAndTheLine() throws Exception {
        Path file = write(dir.resolve("deny"), "# ok\n198.51.100.0/24\n\n198.51.100.0/33\n", 0);
        assertThatThrownBy(() -> DenyList.load(file)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("ROTOR_DENY_IPS: " + file + " line 4: '198.51.100.0/33'");
        Path names = write(dir.resolve("names"), "evil.example\n", 0);
        assertThatThrownBy(() -> DenyList.load(names)).isInstanceOf(ConfigException.class).hasMessageContaining("line 1: 'evil.example'");
    }

    @Test
    void aMissingFileStopsStartUp() {
        assertThatThrownBy(() -> DenyList.load(dir.resolve("absent"))).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("ROTOR_DENY_IPS: cannot read");
    }

    @Test
    void aChangedFileIsReadAgainAndABrokenOneKeepsTheLastGoodList() throws Exception {
        Path file = write(dir.resolve("deny"), "198.51.100.0/24\n", 0);
        DenyList list = DenyList.load(file);
        assertThat(list.reloadIfChanged()).as("unchanged").isFalse();

        write(file, "203.0.113.0/24\n", 10);
        assertThat(list.reloadIfChanged()).isTrue();
        assertThat(list.match(ip("203.0.113.5"))).isPresent();
        assertThat(list.match(ip("198.51.100.5"))).as("gone from the new list").isEmpty();

        write(file, "203.0.113.0/24\nnot-a-cidr\n", 20);
        assertThat(list.reloadIfChanged()).isFalse();
        assertThat(list.match(ip("203.0.113.5"))).as("the last good list stays").isPresent();

        Files.delete(file);
        assertThat(list.reloadIfChanged()).isFalse();
        assertThat(list.match(ip("203.0.113.5"))).as("a vanished file keeps it too").isPresent();

        write(file, "192.0.2.0/24\n", 30);
        assertThat(list.reloadIfChanged()).as("fixed again").isTrue();
        assertThat(list.match(ip("192.0.2.1"))).isPresent();
        assertThat(list.size()).isEqualTo(1);
    }

    @Test
    void theWatcherPicksUpAChangeOnItsOwn() throws Exception {
        Path file = write(dir.resolve("deny"), "198.51.100.0/24\n", 0);
        try (DenyList list = DenyList.load(file).watch(Duration.ofMillis(20))) {
            write(file, "198.51.100.0/24\n203.0.113.0/24\n", 10);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            Optional<Cidr> seen = Optional.empty();
            while (seen.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
                seen = list.match(ip("203.0.113.5"));
            }
            assertThat(seen).contains(Cidr.parse("203.0.113.0/24"));
        }
    }

    @Test
    void withoutAFileNothingIsDenied() {
        DenyList none = DenyList.empty();
        assertThat(none.match(ip("198.51.100.1"))).isEmpty();
        assertThat(none.reloadIfChanged()).isFalse();
        assertThat(none.size()).isZero();
    }
}
