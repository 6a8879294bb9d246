package dev.rotor.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.config.Cidr;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which IP a request is recorded under. The proxy at 10.0.0.5 and the networks 10.1.0.0/16 and 2001:db8:1::/48
 * are trusted; X-Forwarded-For is believed only from them, and only up to the first hop that is not one of them.
 */
class ClientAddressTest {
    private static final ClientAddress ADDRESSES = new ClientAddress(
            List.of(Cidr.parse("10.0.0.5"), Cidr.parse("10.1.0.0/16"), Cidr.parse("2001:db8:1::/48"), Cidr.parse("127.0.0.1"), Cidr.parse("::1")));

    /** peer, X-Forwarded-For lines (separated by |, "-" for none), the address recorded. */
    static Stream<Arguments> cases() {
        return Stream.of(
                // an untrusted peer: X-Forwarded-For is the client's word and ignored
                row("untrusted peer, no header", "198.51.100.7", "-", "198.51.100.7"),
                row("untrusted peer, forged header", "198.51.100.7", "203.0.113.9", "198.51.100.7"),
                row("untrusted peer next to a trusted one", "10.0.0.6", "203.0.113.9", "10.0.0.6"),
                row("untrusted peer just outside a trusted network", "10.2.0.1", "203.0.113.9", "10.2.0.1"),
                row("untrusted IPv6 peer", "2001:db8:2::1", "203.0.113.9", "2001:db8:2::1"),
                row("no proxies trusted at all", "198.51.100.7", "203.0.113.9", "198.51.100.7", List.of()),
                // a trusted peer: the right-most hop that is not a trusted proxy
                row("trusted peer, one hop", "10.0.0.5", "203.0.113.9", "203.0.113.9"),
                row("trusted peer, client-written hops left of the real one", "10.0.0.5", "1.1.1.1, 2.2.2.2, 203.0.113.9", "203.0.113.9"),
                row("trusted proxies in the chain are skipped", "10.0.0.5", "1.1.1.1, 203.0.113.9, 10.1.2.3, 10.1.7.7", "203.0.113.9"),
                row("trusted network peer", "10.1.200.3", "203.0.113.9", "203.0.113.9"),
                row("every hop trusted: the peer", "10.0.0.5", "10.1.0.1, 10.1.0.2", "10.0.0.5"),
                row("IPv6 hop", "10.0.0.5", "2001:db8:2::9", "2001:db8:2::9"),
                row("IPv6 trusted peer", "2001:db8:1::10", "198.51.100.20", "198.51.100.20"),
                row("IPv6 trusted hop skipped", "10.0.0.5", "198.51.100.20, 2001:db8:1:ffff::1", "198.51.100.20"),
                row("IPv4-mapped trusted hop skipped", "10.0.0.5", "198.51.100.20, ::ffff:10.1.0.9", "198.51.100.20"),
                row("IPv4-mapped client hop", "10.0.0.5", "::ffff:198.51.100.20", "::ffff:198.51.100.20"),
                row("no header from a trusted peer", "10.0.0.5", "-", "10.0.0.5"),
                row("empty header", "10.0.0.5", "", "10.0.0.5"),
                row("empty elements are ignored", "10.0.0.5", "203.0.113.9, ,", "203.0.113.9"),
                // several header lines are one list, in order: a proxy that adds its own line is believed, not the client's line
                row("two lines, the proxy's last", "10.0.0.5", "1.1.1.1|203.0.113.9", "203.0.113.9"),
                row("three lines with trusted hops", "10.0.0.5", "1.1.1.1, 2.2.2.2|203.0.113.9|10.1.0.1", "203.0.113.9"),
                row("an empty line between", "10.0.0.5", "1.1.1.1||203.0.113.9", "203.0.113.9"),
                // garbage in the part that must be read: fall back to the peer, never record it
                row("a word", "10.0.0.5", "unknown", "10.0.0.5"),
                row("a hex-only word (no DNS lookup)", "10.0.0.5", "cafe", "10.0.0.5"),
                row("garbage right of a good hop", "10.0.0.5", "203.0.113.9, beef", "10.0.0.5"),
                row("garbage on the last line", "10.0.0.5", "203.0.113.9|<script>", "10.0.0.5"),
                row("an address with a port", "10.0.0.5", "203.0.113.9:4711", "10.0.0.5"),
                row("a bracketed IPv6 address", "10.0.0.5", "[2001:db8:2::9]", "10.0.0.5"),
                row("a legacy IPv4 form", "10.0.0.5", "1.2.3", "10.0.0.5"),
                row("an IPv4 address with leading zeros", "10.0.0.5", "010.0.0.1", "10.0.0.5"),
                row("an out-of-range octet", "10.0.0.5", "203.0.113.256", "10.0.0.5"),
                row("a zone id", "10.0.0.5", "fe80::1%eth0", "10.0.0.5"),
                row("control characters", "10.0.0.5", "203.0.113.9\u001b[31m", "10.0.0.5"),
                row("obfuscated separators", "10.0.0.5", "203.0.113.9;1.1.1.1", "10.0.0.5"),
                // garbage left of the first untrusted hop is never read
                row("garbage left of the client's hop", "10.0.0.5", "not-an-ip, 203.0.113.9", "203.0.113.9"),
                row("too long to believe", "10.0.0.5", "1.1.1.1, ".repeat(230) + "203.0.113.9", "10.0.0.5"),
                row("just short enough", "10.0.0.5", " ".repeat(ClientAddress.MAX_FORWARDED_FOR - 11) + "203.0.113.9", "203.0.113.9"));
    }

    private static Arguments row(String name, String peer, String lines, String expected) {
        return row(name, peer, lines, expected, null);
    }

    private static Arguments row(String name, String peer, String lines, String expected, List<Cidr> trusted) {
        List<String> header = lines.equals("-") ? List.of() : Arrays.asList(lines.split("\\|", -1));
        return Arguments.of(name, peer, header, expected, trusted);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void recordsThePeerOrTheRightMostUntrustedHop(String name, String peer, List<String> forwardedFor, String expected, List<Cidr> trusted) {
        ClientAddress addresses = trusted == null ? ADDRESSES : new ClientAddress(trusted);
        assertThat(addresses.of(peer, forwardedFor)).isEqualTo(expected);
    }

    // ---- over the wire: what Jetty hands over (every header line, an IPv6 peer in brackets)

    private static final ClientAddress UNTRUSTING = new ClientAddress(List.of(Cidr.parse("10.0.0.5")));
    private static Javalin server;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void startServer() {
        server = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.host = "::"; // IPv4 and IPv6 loopback both reach it
            config.jetty.port = 0;
            config.routes.get("/", ctx -> ctx.result(ADDRESSES.of(ctx)));
            config.routes.get("/untrusting", ctx -> ctx.result(UNTRUSTING.of(ctx)));
        }).start();
    }

    @AfterAll
    static void stopServer() {
        server.stop();
    }

    private static String recorded(String host, String... forwardedFor) throws IOException, InterruptedException {
        return recordedAt(host, "/", forwardedFor);
    }

    private static String recordedAt(String host, String path, String... forwardedFor) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + host + ":" + server.port() + path));
        for (String line : forwardedFor) request.header("X-Forwarded-For", line);
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    @Test
    void overTheWireATrustedPeerIsBelievedAcrossEveryHeaderLine() throws Exception {
        assertThat(recorded("127.0.0.1")).isEqualTo("127.0.0.1");
        assertThat(recorded("127.0.0.1", "203.0.113.9")).isEqualTo("203.0.113.9");
        assertThat(recorded("127.0.0.1", "1.1.1.1", "203.0.113.9")).as("the proxy's own line counts").isEqualTo("203.0.113.9");
        assertThat(recorded("127.0.0.1", "203.0.113.9", "cafe")).isEqualTo("127.0.0.1");
    }

    @Test
    void overTheWireAnIPv6PeerIsTrustedToo() throws Exception {
        assertThat(recorded("[::1]")).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(recorded("[::1]", "1.1.1.1", "2001:db8:2::9")).isEqualTo("2001:db8:2::9");
    }

    @Test
    void overTheWireAnUntrustedPeerIsNotBelieved() throws Exception {
        assertThat(recordedAt("127.0.0.1", "/untrusting", "203.0.113.9")).isEqualTo("127.0.0.1");
        assertThat(recordedAt("[::1]", "/untrusting", "203.0.113.9")).isEqualTo("0:0:0:0:0:0:0:1");
    }
}
