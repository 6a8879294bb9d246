package dev.rotor.oauth.authorize;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;

/** Exact matching of redirect URIs (OAuth 2.1 §2.3.1, RFC 9700 §4.1.3), with RFC 8252 §7.3 port variance on loopback IPs only. */
class RedirectUrisTest {
    private static final List<String> REGISTERED = List.of(
            "https://app.example.test/cb",
            "http://127.0.0.1/native/cb",
            "http://[::1]:4000/cb",
            "http://localhost:3000/cb",
            "http://127.0.0.1:7000/q?app=1",
            "com.example.app:/oauth2redirect");

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "exact                                 | https://app.example.test/cb",
            "exact private-use scheme (RFC 8252 §7.1) | com.example.app:/oauth2redirect",
            "exact localhost (no normalising)      | http://localhost:3000/cb",
            "loopback IPv4, any port               | http://127.0.0.1:51234/native/cb",
            "loopback IPv4, the port left out      | http://127.0.0.1/native/cb",
            "loopback IPv4, port 1                 | http://127.0.0.1:1/native/cb",
            "loopback IPv6, another port           | http://[::1]:5555/cb",
            "loopback IPv6, no port                | http://[::1]/cb",
            "loopback with the registered query    | http://127.0.0.1:9/q?app=1",
    })
    void matchesWhenExactOrALoopbackIpWithAnotherPort(String why, String presented) {
        assertThat(RedirectUris.matches(REGISTERED, presented)).isTrue();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "prefix of the registered path          | https://app.example.test/c",
            "trailing slash                         | https://app.example.test/cb/",
            "suffix path                            | https://app.example.test/cb/evil",
            "suffix host                            | https://app.example.test.evil.test/cb",
            "added query                            | https://app.example.test/cb?x=1",
            "empty query                            | https://app.example.test/cb?",
            "scheme in upper case                   | HTTPS://app.example.test/cb",
            "host in upper case                     | https://APP.example.test/cb",
            "path in upper case                     | https://app.example.test/CB",
            "path traversal after                   | https://app.example.test/cb/../evil",
            "path traversal before                  | https://app.example.test/x/../cb",
            "dot segment                            | https://app.example.test/./cb",
            "fragment                               | https://app.example.test/cb#evil",
            "empty fragment                         | https://app.example.test/cb#",
            "userinfo naming the good host          | https://app.example.test@evil.test/cb",
            "userinfo before the good host          | https://evil.test@app.example.test/cb",
            "percent-encoded path                   | https://app.example.test/%63b",
            "percent-encoded slash                  | https://app.example.test%2Fcb",
            "http instead of https                  | http://app.example.test/cb",
            "explicit default port                  | https://app.example.test:443/cb",
            "a port on a host that is not loopback  | https://app.example.test:8443/cb",
            "localhost on another port              | http://localhost:3001/cb",
            "127.0.0.1 where localhost is registered | http://127.0.0.1:3000/cb",
            "localhost where 127.0.0.1 is registered | http://localhost/native/cb",
            "https on the loopback IP               | https://127.0.0.1:51234/native/cb",
            "loopback, trailing slash               | http://127.0.0.1:51234/native/cb/",
            "loopback, path in upper case           | http://127.0.0.1:51234/native/CB",
            "loopback, path traversal               | http://127.0.0.1:51234/native/cb/../cb",
            "loopback, percent-encoded path         | http://127.0.0.1:51234/native/%63b",
            "loopback, fragment                     | http://127.0.0.1:51234/native/cb#x",
            "loopback, added query                  | http://127.0.0.1:51234/native/cb?x=1",
            "loopback, another query                | http://127.0.0.1:9/q?app=2",
            "loopback, query dropped                | http://127.0.0.1:9/q",
            "loopback, userinfo                     | http://user@127.0.0.1:51234/native/cb",
            "loopback, userinfo at registered port  | http://user@127.0.0.1/native/cb",
            "another loopback address               | http://127.0.0.2:51234/native/cb",
            "IPv6 where IPv4 is registered          | http://[::1]:51234/native/cb",
            "IPv4 where IPv6 is registered          | http://127.0.0.1:4000/cb",
            "IPv6 loopback spelled out              | http://[0:0:0:0:0:0:0:1]:4000/cb",
            "IPv4-mapped IPv6 loopback              | http://[::ffff:127.0.0.1]:4000/cb",
            "loopback, a port that is not a number  | http://127.0.0.1:abc/native/cb",
            "loopback, scheme in upper case         | HTTP://127.0.0.1:51234/native/cb",
            "not a URI                              | http://127.0.0.1:51234/native/cb<>",
            "relative                               | /cb",
    })
    void refusesWhenNotExactlyARegisteredUri(String why, String presented) {
        assertThat(RedirectUris.matches(REGISTERED, presented)).isFalse();
    }

    @ParameterizedTest
    @NullAndEmptySource
    void refusesWhenMissing(String presented) {
        assertThat(RedirectUris.matches(REGISTERED, presented)).isFalse();
        assertThat(RedirectUris.matches(List.of(""), presented)).as("even when an empty one is registered").isFalse();
    }

    @org.junit.jupiter.api.Test
    void refusesWhenLongerThanTheLimitEvenIfRegistered() {
        String base = "https://app.example.test/";
        String longest = base + "a".repeat(RedirectUris.MAX_LENGTH - base.length());
        String tooLong = longest + "a";

        assertThat(RedirectUris.matches(List.of(longest, tooLong), longest)).isTrue();
        assertThat(RedirectUris.matches(List.of(longest, tooLong), tooLong)).isFalse();
    }

    @org.junit.jupiter.api.Test
    void aRegisteredLoopbackUriWithUserinfoGivesNoPortVariance() {
        List<String> registered = List.of("http://user@127.0.0.1/cb");

        assertThat(RedirectUris.matches(registered, "http://user@127.0.0.1/cb")).as("exact").isTrue();
        assertThat(RedirectUris.matches(registered, "http://user@127.0.0.1:9/cb")).isFalse();
    }

    @org.junit.jupiter.api.Test
    void aRegisteredLoopbackUriWithAFragmentGivesNoPortVariance() {
        assertThat(RedirectUris.matches(List.of("http://127.0.0.1/cb#x"), "http://127.0.0.1:9/cb")).isFalse();
    }
}
