package dev.rotor.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.testing.Jsons;
import dev.rotor.testing.TestServer;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The discovery document shown in docs/API.md is the one the server serves, member for member. */
class DiscoveryDocIT {
    @Test
    void theDocumentedDiscoveryDocumentIsTheServedOne() throws Exception {
        Path here = Path.of("").toAbsolutePath();
        Path api = Files.exists(here.resolve("docs/API.md")) ? here.resolve("docs/API.md") : here.getParent().resolve("docs/API.md");
        String doc = Files.readString(api);
        int section = doc.indexOf("## Discovery");
        int start = doc.indexOf("```json\n", section) + "```json\n".length();
        Map<String, Object> documented = Jsons.parse(doc.substring(start, doc.indexOf("```", start)));

        try (TestServer server = TestServer.start()) {
            Map<String, Object> served = Jsons.parse(server.send(HttpRequest.newBuilder(server.uri("/.well-known/openid-configuration")).GET()).body());

            assertThat(documented).isEqualTo(served);
        }
    }
}
