package dev.rotor.oauth.authorize;

import static dev.rotor.oauth.authorize.AuthorizeFixtures.CHALLENGE;
import static dev.rotor.oauth.authorize.AuthorizeFixtures.REDIRECT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.oauth.ClientRegistry;
import dev.rotor.oauth.InMemoryClientStore;
import dev.rotor.session.MutableClock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Parsing in RFC 6749 §4.1.2.1 order: client and redirect URI first (never redirected), then the rest (redirected). */
class AuthorizationRequestsTest {
    private static final String ISSUER = "https://rotor.example.test";
    private final AuthorizationRequests requests;

    AuthorizationRequestsTest() {
        InMemoryClientStore store = new InMemoryClientStore();
        store.add(AuthorizeFixtures.WEB);
        store.add(AuthorizeFixtures.PARTNER);
        store.add(AuthorizeFixtures.MACHINE);
        requests = new AuthorizationRequests(new ClientRegistry(store, new MutableClock(), Set.of()), ISSUER);
    }

    /** A valid request of the public client, with {@code changes} applied; a null value removes the parameter. */
    private static Map<String, List<String>> query(String... changes) {
        Map<String, List<String>> q = new HashMap<>();
        q.put("client_id", List.of("web"));
        q.put("redirect_uri", List.of(REDIRECT));
        q.put("response_type", List.of("code"));
        q.put("scope", List.of("openid profile"));
        q.put("state", List.of("xyz"));
        q.put("code_challenge", List.of(CHALLENGE));
        q.put("code_challenge_method", List.of("S256"));
        for (int i = 0; i < changes.length; i += 2) {
            if (changes[i + 1] == null) q.remove(changes[i]);
            else q.put(changes[i], List.of(changes[i + 1].split("\\|", -1)));
        }
        return q;
    }

    private AuthorizationRequest valid(String... changes) {
        AuthorizationRequests.Parsed p = requests.parse(query(changes));
        assertThat(p).isInstanceOf(AuthorizationRequests.Valid.class);
        return ((AuthorizationRequests.Valid) p).request();
    }

    @Test
    void parseWhenValidThenEveryParameterIsKept() {
        AuthorizationRequest r = valid("nonce", "n-0S6", "login_hint", "alice", "prompt", "login consent", "max_age", "300",
                "response_mode", "form_post");

        assertThat(r.client().id()).isEqualTo("web");
        assertThat(r.redirectUri()).isEqualTo(REDIRECT);
        assertThat(r.scope()).isEqualTo("openid profile");
        assertThat(r.state()).isEqualTo("xyz");
        assertThat(r.nonce()).isEqualTo("n-0S6");
        assertThat(r.codeChallenge()).isEqualTo(CHALLENGE);
        assertThat(r.responseMode()).isEqualTo(ResponseMode.FORM_POST);
        assertThat(r.prompt()).containsExactlyInAnyOrder(Prompt.LOGIN, Prompt.CONSENT);
        assertThat(r.maxAge()).isEqualTo(Duration.ofSeconds(300));
        assertThat(r.loginHint()).isEqualTo("alice");
        assertThat(r.params()).containsEntry("client_id", "web").containsEntry("max_age", "300");
        assertThat(r.wantsIdToken()).isTrue();
        assertThat(r.toString()).doesNotContain("xyz", "n-0S6");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "client_id missing; client_id; ",
            "client_id empty; client_id; ''",
            "client_id repeated; client_id; web|web",
            "client unknown; client_id; nobody",
            "redirect_uri missing; redirect_uri; ",
            "redirect_uri repeated; redirect_uri; " + REDIRECT + "|" + REDIRECT,
            "redirect_uri of another client; redirect_uri; https://partner.example.test/cb",
            "redirect_uri not registered; redirect_uri; https://evil.test/cb",
    })
    void parseWhenClientOrRedirectUriCannotBeTrustedThenUnredirectableEvenWithOtherErrors(String why, String name, String value) {
        // response_type is wrong too: the client and redirect URI are checked first, so nothing goes to the URI.
        AuthorizationRequests.Parsed p = requests.parse(query(name, value, "response_type", "token"));

        assertThat(p).isInstanceOfSatisfying(AuthorizationRequests.Unredirectable.class,
                u -> assertThat(u.error().code().value()).isEqualTo("invalid_request"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "another parameter repeated; scope; openid|profile; invalid_request",
            "response_type missing; response_type; ; invalid_request",
            "response_type token; response_type; token; unsupported_response_type",
            "response_type code id_token; response_type; code id_token; unsupported_response_type",
            "response_mode fragment; response_mode; fragment; invalid_request",
            "request object; request; eyJ; request_not_supported",
            "request_uri; request_uri; https://x.test/r; request_uri_not_supported",
            "public client without PKCE; code_challenge; ; invalid_request",
            "plain PKCE; code_challenge_method; plain; invalid_request",
            "PKCE method missing (means plain); code_challenge_method; ; invalid_request",
            "PKCE method in lower case; code_challenge_method; s256; invalid_request",
            "challenge too short; code_challenge; E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-c; invalid_request",
            "scope missing; scope; ; invalid_scope",
            "scope beyond the client's; scope; openid admin; invalid_scope",
            "prompt unknown; prompt; always; invalid_request",
            "prompt none with login; prompt; none login; invalid_request",
            "max_age negative; max_age; -1; invalid_request",
            "max_age not a number; max_age; 1h; invalid_request",
            "max_age of 20 digits; max_age; 10000000000000000000; invalid_request",
    })
    void parseWhenAParameterIsWrongThenRedirectedErrorWithStateAndIssuer(String why, String name, String value, String error) {
        AuthorizationRequests.Parsed p = requests.parse(query(name, value));

        assertThat(p).isInstanceOfSatisfying(AuthorizationRequests.Redirectable.class, r -> {
            assertThat(r.error().code().value()).isEqualTo(error);
            assertThat(r.response().redirectUri()).isEqualTo(REDIRECT);
            assertThat(r.response().params()).containsEntry("error", error).containsEntry("state", "xyz").containsEntry("iss", ISSUER)
                    .containsKey("error_description").doesNotContainKey("code");
        });
    }

    @Test
    void parseWhenTheClientMayNotUseTheCodeFlowThenUnauthorizedClient() {
        AuthorizationRequests.Parsed p = requests.parse(query("client_id", "machine", "redirect_uri", "https://machine.example.test/cb"));

        assertThat(p).isInstanceOfSatisfying(AuthorizationRequests.Redirectable.class,
                r -> assertThat(r.error().code().value()).isEqualTo("unauthorized_client"));
    }

    @Test
    void parseWhenAConfidentialClientSendsNoChallengeThenValidWithoutOne() {
        assertThat(valid("client_id", "partner", "redirect_uri", "https://partner.example.test/cb", "code_challenge", null,
                "code_challenge_method", null).codeChallenge()).isNull();
    }

    @Test
    void parseWhenAMethodComesWithoutAChallengeThenInvalidRequestEvenForAConfidentialClient() {
        AuthorizationRequests.Parsed p = requests.parse(query("client_id", "partner", "redirect_uri", "https://partner.example.test/cb",
                "code_challenge", null));
        assertThat(p).isInstanceOf(AuthorizationRequests.Redirectable.class);
    }

    @Test
    void parseWhenStateIsRepeatedOrTooLongThenTheErrorDoesNotEchoIt() {
        String longest = "s".repeat(AuthorizationRequests.MAX_STATE);
        assertThat(valid("state", longest).state()).isEqualTo(longest);

        for (Map<String, List<String>> q : List.of(query("state", longest + "s"), query("state", "a|b"))) {
            assertThat(requests.parse(q)).isInstanceOfSatisfying(AuthorizationRequests.Redirectable.class, r -> {
                assertThat(r.error().code().value()).isEqualTo("invalid_request");
                assertThat(r.response().params()).doesNotContainKey("state");
            });
        }
    }

    @Test
    void parseWhenFormPostIsAskedThenTheErrorTravelsByFormPostToo() {
        assertThat(requests.parse(query("response_mode", "form_post", "response_type", "token")))
                .isInstanceOfSatisfying(AuthorizationRequests.Redirectable.class, r -> assertThat(r.response().mode()).isEqualTo(ResponseMode.FORM_POST));
        assertThat(requests.parse(query("response_type", "token")))
                .isInstanceOfSatisfying(AuthorizationRequests.Redirectable.class, r -> assertThat(r.response().mode()).isEqualTo(ResponseMode.QUERY));
        assertThat(valid("response_mode", "query").responseMode()).isEqualTo(ResponseMode.QUERY);
    }

    @Test
    void parseMaxAgeZeroIsKeptAndAHugeOneIsCappedNotOverflowed() {
        assertThat(valid("max_age", "0").maxAge()).isEqualTo(Duration.ZERO);
        assertThat(valid("max_age", "9999999999999999999").maxAge()).isEqualTo(Duration.ofSeconds(3_153_600_000L));
        assertThat(valid("max_age", "3153600001").maxAge()).isEqualTo(Duration.ofSeconds(3_153_600_000L));
        assertThat(valid().maxAge()).isNull();
    }

    @Test
    void parseNonceAndLoginHintUpToTheirLimits() {
        assertThat(valid("nonce", "n".repeat(AuthorizationRequests.MAX_NONCE)).nonce()).hasSize(AuthorizationRequests.MAX_NONCE);
        assertThat(requests.parse(query("nonce", "n".repeat(AuthorizationRequests.MAX_NONCE + 1)))).isInstanceOf(AuthorizationRequests.Redirectable.class);
        assertThat(valid("login_hint", "h".repeat(AuthorizationRequests.MAX_LOGIN_HINT)).loginHint()).hasSize(AuthorizationRequests.MAX_LOGIN_HINT);
        assertThat(requests.parse(query("login_hint", "h".repeat(AuthorizationRequests.MAX_LOGIN_HINT + 1))))
                .isInstanceOf(AuthorizationRequests.Redirectable.class);
        assertThat(valid("nonce", "").nonce()).isNull();
    }

    @Test
    void parsePromptNoneAloneAndSelectAccount() {
        assertThat(valid("prompt", "none").prompt()).containsExactly(Prompt.NONE);
        assertThat(valid("prompt", "select_account").prompt()).containsExactly(Prompt.SELECT_ACCOUNT);
        assertThat(valid("prompt", "").prompt()).isEmpty();
        assertThat(requests.parse(query("prompt", "NONE"))).as("values are case-sensitive").isInstanceOf(AuthorizationRequests.Redirectable.class);
    }

    @Test
    void codeResponseCarriesCodeStateAndIssuerAndLeavesOutAMissingState() {
        AuthorizationRequest withState = valid();
        AuthorizationRequest withoutState = valid("state", null);

        assertThat(requests.codeResponse(withState, "c0de").params()).containsExactly(Map.entry("code", "c0de"), Map.entry("state", "xyz"),
                Map.entry("iss", ISSUER));
        assertThat(requests.codeResponse(withoutState, "c0de").params()).containsExactly(Map.entry("code", "c0de"), Map.entry("iss", ISSUER));
    }
}
