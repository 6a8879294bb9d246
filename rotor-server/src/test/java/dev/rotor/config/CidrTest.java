package dev.rotor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which addresses a trusted-proxy network holds: the first and last inside, the neighbours just outside. */
class CidrTest {

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource({
            // IPv4, byte-aligned prefixes
            "10.0.0.0/8,        10.0.0.0,          true",
            "10.0.0.0/8,        10.255.255.255,    true",
            "10.0.0.0/8,        9.255.255.255,     false",
            "10.0.0.0/8,        11.0.0.0,          false",
            "192.168.1.0/24,    192.168.1.255,     true",
            "192.168.1.0/24,    192.168.2.0,       false",
            "192.168.1.0/24,    192.168.0.255,     false",
            "10.0.0.5/32,       10.0.0.5,          true",
            "10.0.0.5/32,       10.0.0.4,          false",
            "10.0.0.5/32,       10.0.0.6,          false",
            "10.0.0.5,          10.0.0.5,          true",
            "10.0.0.5,          10.0.0.50,         false",
            // IPv4, prefixes that split a byte
            "172.16.0.0/12,     172.16.0.0,        true",
            "172.16.0.0/12,     172.31.255.255,    true",
            "172.16.0.0/12,     172.32.0.0,        false",
            "172.16.0.0/12,     172.15.255.255,    false",
            "100.64.0.0/10,     100.127.255.255,   true",
            "100.64.0.0/10,     100.128.0.0,       false",
            "100.64.0.0/10,     100.63.255.255,    false",
            "192.0.2.128/25,    192.0.2.128,       true",
            "192.0.2.128/25,    192.0.2.127,       false",
            "192.0.2.8/31,      192.0.2.9,         true",
            "192.0.2.8/31,      192.0.2.10,        false",
            "192.0.2.8/31,      192.0.2.7,         false",
            "10.1.2.3/1,        127.255.255.255,   true",
            "10.1.2.3/1,        128.0.0.0,         false",
            // host bits in the network address are ignored
            "10.9.9.9/8,        10.1.1.1,          true",
            // /0: everything of its own family, nothing of the other
            "0.0.0.0/0,         255.255.255.255,   true",
            "0.0.0.0/0,         0.0.0.0,           true",
            "0.0.0.0/0,         ::1,               false",
            "::/0,              ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, true",
            "::/0,              10.0.0.1,          false",
            // IPv6
            "2001:db8::/32,     2001:db8::,        true",
            "2001:db8::/32,     2001:db8:ffff:ffff:ffff:ffff:ffff:ffff, true",
            "2001:db8::/32,     2001:db9::,        false",
            "2001:db8::/32,     2001:db7:ffff:ffff:ffff:ffff:ffff:ffff, false",
            "2001:db8::/48,     2001:db8:0:ffff::1, true",
            "2001:db8::/48,     2001:db8:1::,      false",
            "fd00::/7,          fdff:ffff::1,      true",
            "fd00::/7,          fc00::1,           true",
            "fd00::/7,          fe00::,            false",
            "fd00::/7,          fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, false",
            "2001:db8::/61,     2001:db8:0:7:ffff:ffff:ffff:ffff, true",
            "2001:db8::/61,     2001:db8:0:8::,    false",
            "2001:db8::1/128,   2001:db8::1,       true",
            "2001:db8::1/128,   2001:db8::2,       false",
            "2001:db8::1/128,   2001:db8::,        false",
            "::1,               0:0:0:0:0:0:0:1,   true",
            "2001:db8::1/127,   2001:db8::,        true",
            "2001:db8::1/127,   2001:db8::2,       false",
            // an IPv6 network never holds an IPv4 address, nor the reverse
            "::/96,             10.0.0.1,          false",
            "10.0.0.0/8,        2001:db8::a00:1,   false",
            // IPv4-mapped IPv6: Java reads such addresses (and socket peers) as IPv4, and a mapped network is its IPv4 network
            "10.0.0.0/8,        ::ffff:10.1.2.3,   true",
            "10.0.0.0/8,        ::ffff:11.0.0.0,   false",
            "::ffff:10.0.0.0/104, 10.200.0.1,      true",
            "::ffff:10.0.0.0/104, 11.0.0.0,        false",
            "::ffff:10.0.0.0/104, ::ffff:10.0.0.1, true",
            "::ffff:192.0.2.1/128, 192.0.2.1,      true",
            "::ffff:192.0.2.1/128, 192.0.2.2,      false",
            "::ffff:0.0.0.0/96, 203.0.113.9,       true",
    })
    void containsAddressesInsideAndNotJustOutside(String cidr, String address, boolean inside) throws Exception {
        assertThat(Cidr.parse(cidr).contains(InetAddress.getByName(address))).isEqualTo(inside);
    }

    @Test
    void parseReadsTheNetworkAndPrefix() {
        Map<String, String> parsed = Map.of(
                "10.0.0.0/8", "10.0.0.0/8",
                "192.0.2.7", "192.0.2.7/32",
                "2001:db8::/32", "2001:db8:0:0:0:0:0:0/32",
                "::1", "0:0:0:0:0:0:0:1/128",
                "::ffff:10.0.0.0/104", "10.0.0.0/8",
                "0.0.0.0/0", "0.0.0.0/0");
        parsed.forEach((text, expected) -> assertThat(Cidr.parse(text)).as(text).hasToString(expected));
        assertThat(Cidr.parse("10.0.0.0/8")).isEqualTo(Cidr.parse("10.0.0.0/8")).isNotEqualTo(Cidr.parse("10.0.0.0/9"));
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {
            "", "/8", "10.0.0.0/", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/+8", "10.0.0.0/8/8", "10.0.0.0/ 8", "10.0.0.0/x",
            "2001:db8::/129", "::1/0128", "::ffff:10.0.0.0/95", "::ffff:10.0.0.0/129",
            "256.0.0.0/8", "10.0.0/8", "10.0.0.0.0", "1.2.3", "010.0.0.1", "0x7f.0.0.1", "10.0.0.1 ",
            "1::2::3/64", "2001:db8::1%eth0", "[::1]", "10.0.0.1:80",
            // hex-only words are host names to the JDK: refused without a DNS lookup
            "cafe", "beef/16", "dead::beef::1", "proxy.internal", "localhost"})
    void parseRefusesWhatIsNoCidr(String text) {
        assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"10.0.0.0/33", "cafe", "10.0.0.0/8,beef", "1.2.3/24", "::ffff:10.0.0.0/8"})
    void aMalformedTrustedProxyStopsStartUpNamingTheSetting(String value) {
        assertThatThrownBy(() -> RotorConfig.load(Map.of(Setting.TRUSTED_PROXIES, value), Map.of(), null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("ROTOR_TRUSTED_PROXIES");
    }

    @Test
    void theNetworkCannotBeChangedFromOutside() {
        Cidr cidr = Cidr.parse("10.0.0.0/8");
        cidr.network()[0] = 11;
        byte[] bytes = {10, 0, 0, 0};
        Cidr built = new Cidr(bytes, 8);
        bytes[0] = 11;

        assertThat(cidr).hasToString("10.0.0.0/8");
        assertThat(built).hasToString("10.0.0.0/8");
    }
}
