package dev.rotor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotor.account.User;
import dev.rotor.audit.RequestInfo;
import dev.rotor.oauth.Client;
import dev.rotor.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Values holding every kind of character a terminal acts on, stored where the CLI prints from: a username sent to
 * {@code /auth/login} (the audit log), and through the stores a user, a client, a session's IP and User-Agent and a
 * signing key.
 */
final class HostileValues {
    /** A forged line, CR, CSI colours, an OSC title ended by BEL, DEL, an 8-bit CSI, U+2028, a bidi override and isolate, a backslash. */
    static final String TEXT = "\nforged 1 login.failed\r\u001b[31m\u001b]0;owned\u0007\u007f\u009b2J\u2028\u202e\u2066\\";
    /** How the CLI prints {@link #TEXT}. */
    static final String PRINTED = "\\nforged 1 login.failed\\r\\x1b[31m\\x1b]0;owned\\x07\\x7f\\x9b2J\\u2028\\u202e\\u2066\\\\";

    private HostileValues() {}

    /** Stores the values in the data directory {@code dir}; returns the id of the session that carries them. */
    static String seed(Path dir) throws Exception {
        try (TestServer server = TestServer.startIn(dir)) {
            String body = new ObjectMapper().writeValueAsString(Map.of("username", "mallory" + TEXT, "password", "wrong", "client_id", "spa"));
            HttpResponse<String> login = server.send(HttpRequest.newBuilder(server.uri("/auth/login"))
                    .header("Content-Type", "application/json").header("Origin", TestServer.SPA_ORIGIN)
                    .POST(HttpRequest.BodyPublishers.ofString(body)));
            assertThat(login.statusCode()).as(login.body()).isEqualTo(401);

            var rotor = server.rotor();
            rotor.users().add(new User(UUID.randomUUID().toString(), "mallory" + TEXT, "mallory" + TEXT + "@example.test", null, null, false,
                    Instant.now()));
            rotor.clientStore().add(new Client("evil" + TEXT, Client.Type.PUBLIC, null, List.of(), Set.of("refresh_token"),
                    Set.of("https://evil.example" + TEXT), false, "openid", Instant.now(), Set.of()));
            String alice = rotor.users().findByUsername("alice").orElseThrow().id();
            String session = rotor.sessions().start(alice, "evil" + TEXT, "openid", List.of("pwd"), "1",
                    dev.rotor.session.RefreshTokenFamily.Channel.TOKEN_ENDPOINT, new RequestInfo("192.0.2.1" + TEXT, "agent" + TEXT)).family().id();
            rotor.database().write(tx -> tx.update("INSERT INTO signing_keys (kid, alg, state, public_jwk, created_at) VALUES (?, ?, 'retired', '{}', 0)",
                    "kid" + TEXT, "ES256" + TEXT));
            return session;
        }
    }

    /** No character a terminal acts on is left, apart from the line ends, and no line begins with the forged text. */
    static void assertEscaped(String output) {
        assertThat(output).contains(PRINTED);
        assertThat(output.replace(System.lineSeparator(), "").chars()).as(output)
                .allMatch(c -> c >= 0x20 && c != 0x7f && !(c >= 0x80 && c <= 0x9f) && !(c >= 0x2028 && c <= 0x202e) && !(c >= 0x2066 && c <= 0x2069));
        assertThat(output.lines()).noneMatch(l -> l.startsWith("forged"));
    }
}
