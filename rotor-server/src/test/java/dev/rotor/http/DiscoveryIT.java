package dev.rotor.http;

import static dev.rotor.testing.OAuthAssertions.assertOAuthError;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.rotor.testing.Jsons;
import dev.rotor.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Discovery (RFC 8414 / OIDC Discovery), the JWKS (RFC 7517) and health over real HTTP, and an access token checked
 * offline with Nimbus the way a resource server would (RFC 9068).
 */
class DiscoveryIT {
    private static final String ISSUER = "http://localhost:8080";
    /** Private members of EC, RSA, OKP and symmetric JWKs (RFC 7518 §6, RFC 8037 §2). */
    private static final List<String> PRIVATE_MEMBERS = List.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/.well-known/openid-configuration", "/.well-known/oauth-authorization-server"})
    void discoveryDocumentDescribesWhatTheServerImplements(String path) {
        HttpResponse<String> r = get(path);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        Map<String, Object> doc = Jsons.parse(r.body());
        assertThat(doc.get("issuer")).isEqualTo(ISSUER);
        assertThat(doc.get("token_endpoint")).isEqualTo(ISSUER + "/oauth2/token");
        assertThat(doc.get("jwks_uri")).isEqualTo(ISSUER + "/oauth2/jwks");
        assertThat(doc.get("authorization_endpoint")).isEqualTo(ISSUER + "/oauth2/authorize");
        assertThat(doc.get("userinfo_endpoint")).isEqualTo(ISSUER + "/oauth2/userinfo");
        assertThat(asList(doc.get("code_challenge_methods_supported"))).containsExactly("S256");
        assertThat(asList(doc.get("response_types_supported"))).containsExactly("code");
        assertThat(asList(doc.get("id_token_signing_alg_values_supported"))).containsExactly("ES256");
        assertThat(doc.get("authorization_response_iss_parameter_supported")).isEqualTo(true);
        // Derived from the token endpoint's registry: exactly the grants it serves.
        assertThat(asList(doc.get("grant_types_supported"))).containsExactlyInAnyOrder("authorization_code", "refresh_token", "password",
                "client_credentials", "urn:rotor:params:oauth:grant-type:mfa-otp");
        assertThat(asList(doc.get("token_endpoint_auth_methods_supported"))).contains("none", "client_secret_basic", "client_secret_post");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/.well-known/openid-configuration", "/.well-known/oauth-authorization-server"})
    void discoveryListsRevocationAndIntrospectionWithTheirAuthMethodsAndTheyAnswer(String path) {
        Map<String, Object> doc = Jsons.parse(get(path).body());

        assertThat(doc.get("revocation_endpoint")).isEqualTo(ISSUER + "/oauth2/revoke");
        assertThat(asList(doc.get("revocation_endpoint_auth_methods_supported")))
                .containsExactlyInAnyOrder("none", "client_secret_basic", "client_secret_post");
        assertThat(doc.get("introspection_endpoint")).isEqualTo(ISSUER + "/oauth2/introspect");
        // RFC 8414 §2: no "none": a public client may not introspect.
        assertThat(asList(doc.get("introspection_endpoint_auth_methods_supported"))).containsExactlyInAnyOrder("client_secret_basic", "client_secret_post");
        for (String endpoint : List.of("revocation_endpoint", "introspection_endpoint")) {
            String routed = ((String) doc.get(endpoint)).substring(ISSUER.length());
            HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri(routed)).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("")));
            assertOAuthError(r, 401, "invalid_client");
        }
    }

    @Test
    void bothDiscoveryDocumentsAgree() {
        assertThat(Jsons.parse(get("/.well-known/openid-configuration").body()))
                .isEqualTo(Jsons.parse(get("/.well-known/oauth-authorization-server").body()));
    }

    @Test
    void jwksPublishesTheActiveAndTheNextPublicKeyOnly() throws Exception {
        HttpResponse<String> r = get("/oauth2/jwks");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/jwk-set+json"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> raw = (List<Map<String, Object>>) Jsons.parse(r.body()).get("keys");
        assertThat(raw).hasSizeGreaterThanOrEqualTo(2);
        assertThat(raw).allSatisfy(k -> {
            assertThat(k).containsKeys("kty", "kid", "alg", "use");
            assertThat(k.get("use")).isEqualTo("sig");
            assertThat(k.get("alg")).isEqualTo("ES256");
            assertThat(k).doesNotContainKeys(PRIVATE_MEMBERS.toArray(String[]::new));
        });
        assertThat(raw).extracting(k -> k.get("kid")).doesNotHaveDuplicates();
        JWKSet set = JWKSet.parse(r.body());
        assertThat(set.getKeys()).allSatisfy(k -> {
            assertThat(k.isPrivate()).isFalse();
            assertThat(k.getKeyUse()).isEqualTo(KeyUse.SIGNATURE);
        });
    }

    @Test
    void accessTokenFromThePasswordGrantVerifiesAgainstTheJwks() throws Exception {
        String accessToken = (String) server.passwordLogin("native").get("access_token");
        JWKSet jwks = JWKSet.parse(get("/oauth2/jwks").body());

        SignedJWT jwt = SignedJWT.parse(accessToken);
        assertThat(jwt.getHeader().getType()).isEqualTo(new JOSEObjectType("at+jwt"));
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(jwt.getHeader().getKeyID()).isNotBlank();
        JWK key = jwks.getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(key).as("the signing key is published").isNotNull();

        // What an ordinary resource server does: key from the JWKS by kid, typ at+jwt, issuer, audience and time checked.
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256, new ImmutableJWKSet<>(jwks)));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(ISSUER, new JWTClaimsSet.Builder().issuer(ISSUER).build(),
                Set.of("iss", "sub", "aud", "exp", "iat", "jti", "client_id", "scope", "sid", "auth_time", "amr", "acr")));
        JWTClaimsSet claims = processor.process(accessToken, null);

        String alice = server.rotor().users().findByUsername("alice").orElseThrow().id();
        assertThat(claims.getSubject()).isEqualTo(alice);
        assertThat(claims.getAudience()).containsExactly(ISSUER);
        assertThat((claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()) / 1000).isEqualTo(900);
        assertThat(claims.getJWTID()).isNotBlank();
        assertThat(claims.getStringClaim("client_id")).isEqualTo("native");
        assertThat(claims.getStringClaim("scope")).isEqualTo("openid profile email offline_access");
        assertThat(claims.getStringClaim("sid")).isNotBlank();
        assertThat(claims.getLongClaim("auth_time")).isBetween(claims.getIssueTime().getTime() / 1000 - 5, claims.getIssueTime().getTime() / 1000);
        assertThat(claims.getStringListClaim("amr")).containsExactly("pwd");
        assertThat(claims.getStringClaim("acr")).isNotBlank();
    }

    @Test
    void jtiIsUniquePerToken() throws Exception {
        String first = (String) server.passwordLogin("native").get("access_token");
        String second = (String) server.passwordLogin("native").get("access_token");

        assertThat(SignedJWT.parse(first).getJWTClaimsSet().getJWTID()).isNotEqualTo(SignedJWT.parse(second).getJWTClaimsSet().getJWTID());
    }

    @Test
    void healthLiveAnswers200Json() {
        HttpResponse<String> r = get("/health/live");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(Jsons.parse(r.body())).containsEntry("status", "ok");
    }

    @Test
    void healthReadyAnswers200WhenDatabaseAndSigningKeyAreThere() {
        HttpResponse<String> r = get("/health/ready");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(Jsons.parse(r.body())).containsEntry("status", "ok").containsEntry("database", true).containsEntry("signing_key", true);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/nope", "/oauth2/nope", "/.well-known/nope", "/oauth2/jwks/extra", "/health"})
    void unknownPathThen404InTheErrorShape(String path) {
        assertOAuthError(get(path), 404, "not_found");
    }

    /** BUG: the wildcard preflight route {@code OPTIONS /auth/*} makes every unknown path under /auth answer 405. */
    @ParameterizedTest
    @ValueSource(strings = {"/auth/nope", "/auth/sessions/x/y"})
    void unknownPathUnderAuthThen404InTheErrorShape(String path) {
        assertOAuthError(get(path), 404, "not_found");
    }

    @Test
    void discoveryEndpointWhenMethodIsNotGetThen405InTheErrorShape() {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("/oauth2/jwks")).POST(HttpRequest.BodyPublishers.noBody()));

        assertOAuthError(r, 405, "method_not_allowed");
    }

    /** BUG: RFC 9110 §15.5.6, a 405 response MUST carry an Allow header listing the target's methods. */
    @Test
    void methodNotAllowedListsTheAllowedMethods() {
        HttpResponse<String> jwks = server.send(HttpRequest.newBuilder(server.uri("/oauth2/jwks")).POST(HttpRequest.BodyPublishers.noBody()));
        HttpResponse<String> token = get("/oauth2/token");

        assertThat(jwks.headers().firstValue("Allow")).as("Allow on 405 for /oauth2/jwks").hasValueSatisfying(v -> assertThat(v).contains("GET"));
        assertThat(token.headers().firstValue("Allow")).as("Allow on 405 for /oauth2/token").hasValueSatisfying(v -> assertThat(v).contains("POST"));
    }

    private static HttpResponse<String> get(String path) {
        return server.send(HttpRequest.newBuilder(server.uri(path)).GET());
    }

    @SuppressWarnings("unchecked")
    private static List<String> asList(Object o) {
        assertThat(o).isInstanceOf(List.class);
        return (List<String>) o;
    }
}
