package dev.rotor.risk.source;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NetworkPrefixTest {
    @ParameterizedTest(name = "{0} is in {1}")
    @CsvSource({
            "198.51.100.23,            198.51.100.0/24",
            "198.51.100.255,           198.51.100.0/24",
            "::ffff:198.51.100.9,      198.51.100.0/24",
            "2001:db8:1:2::99,         2001:db8:1:0:0:0:0:0/48",
            "2001:db8:1:ffff:a:b:c:d,  2001:db8:1:0:0:0:0:0/48",
            "::1,                      0:0:0:0:0:0:0:0/48",
    })
    void anAddressBelongsToItsSlash24OrSlash48(String ip, String network) {
        assertThat(NetworkPrefix.of(ip)).contains(network);
    }

    @Test
    void neighboursAcrossTheBoundaryAreDifferentNetworks() {
        assertThat(NetworkPrefix.of("198.51.100.1")).isNotEqualTo(NetworkPrefix.of("198.51.101.1"));
        assertThat(NetworkPrefix.of("2001:db8:1::1")).isNotEqualTo(NetworkPrefix.of("2001:db8:2::1"));
    }

    @Test
    void whatIsNoIpLiteralHasNoNetwork() {
        assertThat(NetworkPrefix.of("example.com")).isEmpty();
        assertThat(NetworkPrefix.of((String) null)).isEmpty();
        assertThat(NetworkPrefix.of("1.2.3")).isEmpty();
    }
}
