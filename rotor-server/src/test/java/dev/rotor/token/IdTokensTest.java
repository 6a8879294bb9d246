package dev.rotor.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** ID tokens as issued (OIDC Core §2) and as taken back as {@code id_token_hint} (RP-Initiated Logout 1.0 §2). */
class IdTokensTest {
    @TempDir
    Path dir;

    private KeyRingFixture fx;
    private KeyRing ring;
    private IdTokens idTokens;

    @BeforeEach
    void open() {
        fx = new KeyRingFixture(dir);
        ring = fx.started("ES256");
        idTokens = new IdTokens(ring, fx.clock, KeyRingFixture.ISSUER);
    }

    @AfterEach
    void close() {
        fx.close();
    }

    private static IdTokens.Request request(String sid) {
        return new IdTokens.Request("user-1", "web", Instant.parse("2025-01-01T00:00:00Z").minusSeconds(90), sid, "n-0S6_WzA2Mj", "1",
                List.of("pwd"), "the-access-token", Map.of("name", "Alice", "email", "alice@example.test"));
    }

    @Test
    void anIssuedIdTokenCarriesEveryClaimTypedJwtAndSignedByTheActiveKey() throws Exception {
        SignedJWT jwt = SignedJWT.parse(idTokens.issue(request("sso-1")));
        JWTClaimsSet c = jwt.getJWTClaimsSet();
        Instant now = fx.clock.instant();

        assertThat(jwt.getHeader().getType()).isEqualTo(JOSEObjectType.JWT);
        assertThat(jwt.getHeader().getKeyID()).isEqualTo(ring.activeKey().kid());
        assertThat(c.getIssuer()).isEqualTo(KeyRingFixture.ISSUER);
        assertThat(c.getSubject()).isEqualTo("user-1");
        assertThat(c.getAudience()).containsExactly("web");
        assertThat(c.getStringClaim("azp")).isEqualTo("web");
        assertThat(c.getIssueTime().toInstant()).isEqualTo(now);
        assertThat(c.getExpirationTime().toInstant()).isEqualTo(now.plus(Duration.ofMinutes(5)));
        assertThat(c.getLongClaim("auth_time")).isEqualTo(now.minusSeconds(90).getEpochSecond());
        assertThat(c.getStringClaim("sid")).isEqualTo("sso-1");
        assertThat(c.getStringClaim("nonce")).isEqualTo("n-0S6_WzA2Mj");
        assertThat(c.getStringClaim("acr")).isEqualTo("1");
        assertThat(c.getStringListClaim("amr")).containsExactly("pwd");
        assertThat(c.getStringClaim("name")).isEqualTo("Alice");
        assertThat(c.getStringClaim("email")).isEqualTo("alice@example.test");
        byte[] sha256 = MessageDigest.getInstance("SHA-256").digest("the-access-token".getBytes());
        assertThat(c.getStringClaim("at_hash")).isEqualTo(Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(sha256, 16)));
    }

    @Test
    void whatTheRequestLacksTheTokenLacks() throws Exception {
        JWTClaimsSet c = SignedJWT.parse(idTokens.issue(new IdTokens.Request("user-1", "web", null, null, null, null, null, null, null)))
                .getJWTClaimsSet();

        assertThat(c.getClaims()).containsOnlyKeys("iss", "sub", "aud", "azp", "iat", "exp");
    }

    @Test
    void anEdDsaTokenHashesTheAccessTokenWithSha512() throws Exception {
        JWTClaimsSet c;
        try (KeyRingFixture edFx = new KeyRingFixture(java.nio.file.Files.createDirectories(dir.resolve("ed")))) {
            SignedJWT jwt = SignedJWT.parse(new IdTokens(edFx.started("EdDSA"), edFx.clock, KeyRingFixture.ISSUER).issue(request(null)));
            assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.EdDSA);
            c = jwt.getJWTClaimsSet();
        }

        byte[] sha512 = MessageDigest.getInstance("SHA-512").digest("the-access-token".getBytes());
        assertThat(c.getStringClaim("at_hash")).isEqualTo(Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(sha512, 32)));
    }

    @Test
    void ourOwnIdTokenIsAHintNamingItsUserClientAndSession() {
        assertThat(idTokens.verifyHint(idTokens.issue(request("sso-1")))).hasValueSatisfying(h -> {
            assertThat(h.subject()).isEqualTo("user-1");
            assertThat(h.client()).isEqualTo("web");
            assertThat(h.isFor("web")).isTrue();
            assertThat(h.isFor("web2")).isFalse();
            assertThat(h.sid()).isEqualTo("sso-1");
        });
    }

    @Test
    void anExpiredIdTokenIsStillAHint() {
        String token = idTokens.issue(request("sso-1"));
        fx.clock.advance(Duration.ofDays(30));

        assertThat(idTokens.verifyHint(token)).isPresent();
    }

    @Test
    void aTokenOfAnotherIssuerIsNoHint() {
        String token = new IdTokens(ring, fx.clock, "https://other.example.test").issue(request("sso-1"));

        assertThat(idTokens.verifyHint(token)).isEmpty();
    }

    @Test
    void anAccessTokenIsNoHint() {
        String access = fx.tokens(ring).issue(new AccessTokenRequest("user-1", "web", "openid", "sid-1", null, null, null, null)).value();

        assertThat(idTokens.verifyHint(access)).isEmpty();
    }

    @Test
    void aLogoutTokenIsNoHint() {
        String logout = new LogoutTokens(ring, fx.clock, fx.random, KeyRingFixture.ISSUER).issue("web", "user-1", "sso-1");

        assertThat(idTokens.verifyHint(logout)).isEmpty();
    }

    static Stream<Arguments> forgeries() {
        return Stream.of(
                Arguments.of("signed by another key under our kid", (UnaryOperator<JWTClaimsSet.Builder>) b -> b),
                Arguments.of("without a subject", (UnaryOperator<JWTClaimsSet.Builder>) b -> b.subject(null)),
                Arguments.of("without an audience", (UnaryOperator<JWTClaimsSet.Builder>) b -> b.audience(List.of())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forgeries")
    void aForgedTokenIsNoHint(String why, UnaryOperator<JWTClaimsSet.Builder> change) throws Exception {
        JWTClaimsSet claims = change.apply(new JWTClaimsSet.Builder(SignedJWT.parse(idTokens.issue(request("sso-1"))).getJWTClaimsSet())).build();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT).keyID(ring.activeKey().kid()).build(), claims);
        forged.sign(new ECDSASigner(new ECKeyGenerator(Curve.P_256).generate()));

        assertThat(idTokens.verifyHint(forged.serialize())).isEmpty();
    }

    @Test
    void anIdTokenWithoutSubjectOrAudienceSignedByUsIsNoHint() {
        // signed with our key: only the claim checks stand between it and a hint
        String noAudience = signedByUs(new JWTClaimsSet.Builder().issuer(KeyRingFixture.ISSUER).subject("user-1").build());
        String noSubject = signedByUs(new JWTClaimsSet.Builder().issuer(KeyRingFixture.ISSUER).audience("web").build());
        String ok = signedByUs(new JWTClaimsSet.Builder().issuer(KeyRingFixture.ISSUER).subject("user-1").audience("web").build());

        assertThat(idTokens.verifyHint(noAudience)).isEmpty();
        assertThat(idTokens.verifyHint(noSubject)).isEmpty();
        assertThat(idTokens.verifyHint(ok)).as("the control: the same, complete").isPresent();
    }

    private String signedByUs(JWTClaimsSet claims) {
        KeyRing.Loaded loaded = ring.current();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(loaded.header()).type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(loaded.signer());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return jwt.serialize();
    }

    @Test
    void aChangedSignatureOrPayloadIsNoHint() {
        String token = idTokens.issue(request("sso-1"));
        String[] parts = token.split("\\.");
        String otherPayload = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"iss\":\"https://auth.example.test\",\"sub\":\"admin\",\"aud\":\"web\"}".getBytes());

        assertThat(idTokens.verifyHint(parts[0] + "." + otherPayload + "." + parts[2])).isEmpty();
        byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
        signature[signature.length / 2] ^= 0x01; // one bit of r or s: never the same signature
        assertThat(idTokens.verifyHint(parts[0] + "." + parts[1] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature))).isEmpty();
        assertThat(idTokens.verifyHint(parts[0] + "." + parts[1] + ".")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a", "a.b", "a.b.c", "....", "not a token at all"})
    void somethingThatIsNoJwtIsNoHint(String value) {
        assertThat(idTokens.verifyHint(value)).isEmpty();
    }

    @Test
    void nullIsNoHint() {
        assertThat(idTokens.verifyHint(null)).isEmpty();
    }

    @Test
    void aTokenOfARetiredKeyIsNoLongerAHint() {
        String token = idTokens.issue(request("sso-1"));
        String kid = ring.activeKey().kid();
        ring.rotate(true);
        ring.retireNow(kid);

        assertThat(idTokens.verifyHint(token)).isEmpty();
    }
}
