package dev.rotor.http;

import static dev.rotor.testing.OAuthAssertions.assertNoSecrets;
import static dev.rotor.testing.OAuthAssertions.assertOAuthError;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.token.BearerTokenError;
import dev.rotor.testing.ForgedTokens;
import dev.rotor.testing.Jsons;
import dev.rotor.testing.TestClock;
import dev.rotor.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code /oauth2/userinfo} (OIDC Core §5.3) against every forgery and misuse of an access token in
 * {@link ForgedTokens#forgeries()}: each is {@code 401 invalid_token} with the RFC 6750 §3 challenge, tells nothing
 * about the user, and the server goes on serving genuine tokens.
 */
class UserInfoIT {
    private static final TestClock CLOCK = new TestClock();
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of(), CLOCK);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.rotor.testing.ForgedTokens#forgeries")
    void userinfoWhenTheAccessTokenIsForgedOrMisusedThen401InvalidTokenWithTheBearerChallenge(ForgedTokens.Forgery forgery) {
        ForgedTokens.Genuine genuine = ForgedTokens.genuine(server, CLOCK, "native");
        assertThat(userinfo("GET", genuine.accessToken()).statusCode()).as("the genuine token").isEqualTo(200);
        String forged = forgery.make().apply(genuine);

        for (String method : new String[] {"GET", "POST"}) {
            HttpResponse<String> r = userinfo(method, forged);

            assertOAuthError(r, 401, "invalid_token");
            String challenge = r.headers().firstValue("WWW-Authenticate").orElseThrow(() -> new AssertionError("no WWW-Authenticate"));
            assertThat(challenge).startsWith("Bearer ").contains("error=\"invalid_token\"");
            assertThat(parse(challenge).getCode()).as("the challenge as an OAuth client library reads it").isEqualTo("invalid_token");
            assertThat(r.body()).doesNotContain("alice").doesNotContain(genuine.userId());
            assertNoSecrets(r, forged);
        }
        ForgedTokens.Genuine fresh = ForgedTokens.genuine(server, CLOCK, "native");
        assertThat(Jsons.parse(userinfo("GET", fresh.accessToken()).body())).as("still serving").containsEntry("sub", fresh.userId());
    }

    private static HttpResponse<String> userinfo(String method, String accessToken) {
        return server.send(HttpRequest.newBuilder(server.uri("/oauth2/userinfo")).header("Authorization", "Bearer " + accessToken)
                .method(method, HttpRequest.BodyPublishers.noBody()));
    }

    private static BearerTokenError parse(String challenge) {
        try {
            return BearerTokenError.parse(challenge);
        } catch (com.nimbusds.oauth2.sdk.ParseException e) {
            throw new AssertionError("an RFC 6750 challenge: " + challenge, e);
        }
    }
}
