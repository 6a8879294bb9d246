package dev.rotor.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.config.Setting;
import dev.rotor.testing.Jsons;
import dev.rotor.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The client IP that sessions and the audit log record, over real HTTP: the socket peer, unless the peer is a
 * trusted proxy, and then the right-most X-Forwarded-For entry that is not a trusted proxy. The tests connect from
 * 127.0.0.1, which one server trusts as a proxy and the other does not.
 */
class ClientAddressIT {
    private static final String PEER = "127.0.0.1";
    private static TestServer behindProxy;
    private static TestServer direct;

    @BeforeAll
    static void start() {
        behindProxy = TestServer.start(Map.of(Setting.TRUSTED_PROXIES, "127.0.0.1/32, 10.0.0.0/8"));
        direct = TestServer.start();
    }

    @AfterAll
    static void stop() {
        if (behindProxy != null) behindProxy.close();
        if (direct != null) direct.close();
    }

    static Stream<Arguments> forwardedFor() {
        return Stream.of(
                Arguments.of("no X-Forwarded-For", List.of(), PEER),
                Arguments.of("one client", List.of("203.0.113.7"), "203.0.113.7"),
                Arguments.of("IPv6 client", List.of("2001:db8::7"), "2001:db8::7"),
                Arguments.of("entries left of the client may be forged", List.of("198.51.100.1, 203.0.113.7"), "203.0.113.7"),
                Arguments.of("trusted proxies right of the client are skipped", List.of("203.0.113.7, 10.0.0.5, 10.1.2.3"), "203.0.113.7"),
                Arguments.of("a proxy that adds a line of its own", List.of("198.51.100.1", "203.0.113.7"), "203.0.113.7"),
                Arguments.of("only trusted proxies", List.of("10.0.0.5, 10.0.0.6"), PEER),
                Arguments.of("the right-most entry is not an IP", List.of("203.0.113.7, client.example.test"), PEER),
                Arguments.of("an entry that is not an IP between proxies", List.of("203.0.113.7, unknown, 10.0.0.5"), PEER),
                Arguments.of("an empty line", List.of(""), PEER),
                Arguments.of("more than 2 KiB of entries", List.of("203.0.113.7, ".repeat(200) + "203.0.113.8"), PEER));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forwardedFor")
    void behindATrustedProxyTheSessionRecordsTheRightMostUntrustedForwardedAddress(String why, List<String> xff, String expected) {
        assertThat(recordedIp(behindProxy, xff)).isEqualTo(expected);
    }

    @Test
    void withoutTrustedProxiesXForwardedForIsIgnored() {
        assertThat(recordedIp(direct, List.of("203.0.113.7"))).isEqualTo(PEER);
    }

    /** Signs alice in with these X-Forwarded-For lines; returns the IP her new session lists. */
    private static String recordedIp(TestServer server, List<String> xff) {
        HttpRequest.Builder login = HttpRequest.newBuilder(server.uri("/oauth2/token")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&username=alice&password="
                        + TestServer.PASSWORD.replace(" ", "+") + "&client_id=native"));
        xff.forEach(line -> login.header("X-Forwarded-For", line));
        HttpResponse<String> signedIn = server.send(login);
        assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(200);
        String accessToken = (String) Jsons.parse(signedIn.body()).get("access_token");

        HttpResponse<String> list = server.send(HttpRequest.newBuilder(server.uri("/auth/sessions")).header("Authorization", "Bearer " + accessToken).GET());
        assertThat(list.statusCode()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> sessions = (List<Map<String, Object>>) Jsons.parse(list.body()).get("sessions");
        return sessions.stream().filter(s -> Boolean.TRUE.equals(s.get("current"))).findFirst().map(s -> (String) s.get("ip")).orElseThrow();
    }
}
