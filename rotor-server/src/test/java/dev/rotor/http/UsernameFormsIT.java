package dev.rotor.http;

import static dev.rotor.testing.OAuthAssertions.assertNoSecrets;
import static dev.rotor.testing.OAuthAssertions.assertOAuthError;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.rotor.oauth.Client;
import dev.rotor.testing.Forms;
import dev.rotor.testing.Jsons;
import dev.rotor.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sign-in compares usernames by their RFC 8265 UsernameCaseMapped form, over real HTTP: {@code ALICE} and fullwidth
 * {@code ａｌｉｃｅ} are alice, on the cookie login and on the password grant, while {@code аlice} with a Cyrillic a
 * (the same UTS #39 skeleton, another form) is nobody, refused exactly as an unknown user is.
 */
class UsernameFormsIT {
    private static final String FULLWIDTH = "\uff41\uff4c\uff49\uff43\uff45";
    private static final String CYRILLIC_A = "\u0430lice";
    private static final String SPA = TestServer.SPA_ORIGIN;

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of());
        server.addClient("profile-native", Client.Type.PUBLIC, null, Set.of("password", "refresh_token"), Set.of(), true,
                Set.of("preferred_username"));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void loginAsAnotherSpellingOfAlicesFormThenSignsInAsAliceIntoHerSessions() throws Exception {
        JWTClaimsSet alice = accessClaims(assertOk(login("alice")));
        JWTClaimsSet upper = accessClaims(assertOk(login("ALICE")));
        HttpResponse<String> fullwidth = assertOk(login(FULLWIDTH));
        JWTClaimsSet wide = accessClaims(fullwidth);

        assertThat(List.of(upper.getSubject(), wide.getSubject())).containsOnly(alice.getSubject());
        // The sessions list of the last sign-in is alice's: it holds the first two sessions as well.
        HttpResponse<String> sessions = server.send(HttpRequest.newBuilder(server.uri("/auth/sessions"))
                .header("Authorization", "Bearer " + Jsons.parse(fullwidth.body()).get("access_token")).GET());
        assertThat(sessions.statusCode()).as(sessions.body()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> list = (List<Map<String, Object>>) Jsons.parse(sessions.body()).get("sessions");
        assertThat(list).extracting(m -> m.get("id"))
                .contains(alice.getStringClaim("sid"), upper.getStringClaim("sid"), wide.getStringClaim("sid"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ALICE", FULLWIDTH})
    void passwordGrantAsAnotherSpellingOfAlicesFormThenIssuesForAliceUnderHerRegisteredName(String typed) throws Exception {
        JWTClaimsSet alice = accessClaims(assertOk(passwordGrant("alice")));
        JWTClaimsSet other = accessClaims(assertOk(passwordGrant(typed)));

        assertThat(other.getSubject()).isEqualTo(alice.getSubject());
        assertThat(other.getStringClaim("preferred_username")).as("the name as registered, not as typed").isEqualTo("alice");
    }

    static Stream<Arguments> surfaces() {
        return Stream.of(
                Arguments.of("cookie login", (Function<String, HttpResponse<String>>) UsernameFormsIT::login, 401, "invalid_credentials"),
                Arguments.of("password grant", (Function<String, HttpResponse<String>>) UsernameFormsIT::passwordGrant, 400, "invalid_grant"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("surfaces")
    void signInAsALookAlikeOfAliceThenRefusedAsAnUnknownUserIs(String surface, Function<String, HttpResponse<String>> signIn, int status,
                                                              String error) {
        HttpResponse<String> lookAlike = signIn.apply(CYRILLIC_A);
        HttpResponse<String> unknown = signIn.apply("nobody-at-all");

        assertOAuthError(lookAlike, status, error);
        assertThat(lookAlike.body()).as("no hint that the name looks like a user's").isEqualTo(unknown.body());
        assertThat(lookAlike.headers().allValues("Set-Cookie")).isEmpty();
        assertNoSecrets(lookAlike, TestServer.PASSWORD);
    }

    /** The name in UTF-8 as it is, as a browser's JSON.stringify sends it. */
    private static HttpResponse<String> login(String username) {
        String json = "{\"username\":\"" + username + "\",\"password\":\"" + TestServer.PASSWORD + "\",\"client_id\":\"spa\"}";
        return server.send(HttpRequest.newBuilder(server.uri("/auth/login")).header("Content-Type", "application/json").header("Origin", SPA)
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private static HttpResponse<String> passwordGrant(String username) {
        return server.token(Forms.of("grant_type", "password", "username", username, "password", TestServer.PASSWORD,
                "client_id", "profile-native"));
    }

    private static HttpResponse<String> assertOk(HttpResponse<String> r) {
        assertThat(r.statusCode()).as("%s %s: %s", r.request().method(), r.uri().getPath(), r.body()).isEqualTo(200);
        return r;
    }

    private static JWTClaimsSet accessClaims(HttpResponse<String> r) throws java.text.ParseException {
        return SignedJWT.parse((String) Jsons.parse(r.body()).get("access_token")).getJWTClaimsSet();
    }
}
