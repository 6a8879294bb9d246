package dev.rotor.token;

import static dev.rotor.token.KeyRingFixture.ACCESS_TTL;
import static dev.rotor.token.KeyRingFixture.AUDIENCE;
import static dev.rotor.token.KeyRingFixture.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.rotor.testing.JwsSpellings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class AccessTokensTest {
    /** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410); the 32-byte key follows. */
    private static final byte[] ED25519_SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    @TempDir
    Path dir;

    private KeyRingFixture fx;

    @BeforeEach
    void open() {
        fx = new KeyRingFixture(dir);
    }

    @AfterEach
    void close() {
        fx.close();
    }

    private static AccessTokenRequest alice() {
        return new AccessTokenRequest("user-1", "spa", "openid profile", "sid-1", Instant.parse("2024-12-31T23:00:00Z"),
                List.of("pwd", "otp"), "2", Map.of("email", "alice@example.com"));
    }

    private static JWK published(KeyRing ring, String kid) throws Exception {
        return JWKSet.parse(ring.jwksJson()).getKeyByKeyId(kid);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ES256", "RS256", "EdDSA"})
    void issueProducesRfc9068TokenThatVerifiesAgainstThePublishedKey(String alg) throws Exception {
        KeyRing ring = fx.started(alg);
        AccessTokens tokens = fx.tokens(ring);
        Instant now = fx.clock.instant();

        IssuedAccessToken issued = tokens.issue(alice());

        assertThat(issued.expiresAt()).isEqualTo(now.plus(ACCESS_TTL));
        assertThat(issued.expiresIn()).isEqualTo(ACCESS_TTL.toSeconds());
        assertThat(issued.toString()).doesNotContain(issued.value());
        SignedJWT jwt = SignedJWT.parse(issued.value());
        JWSHeader h = jwt.getHeader();
        assertThat(h.getAlgorithm()).isEqualTo(JWSAlgorithm.parse(alg));
        assertThat(h.getType()).isEqualTo(new JOSEObjectType("at+jwt"));
        assertThat(h.getKeyID()).isEqualTo(ring.activeKey().kid());

        JWK jwk = published(ring, h.getKeyID());
        assertThat(jwk).isNotNull();
        assertThat(jwk.isPrivate()).isFalse();
        switch (alg) {
            case "ES256" -> assertThat(jwt.verify(new ECDSAVerifier(jwk.toECKey()))).isTrue();
            case "RS256" -> assertThat(jwt.verify(new RSASSAVerifier(jwk.toRSAKey()))).isTrue();
            // Nimbus's Ed25519Verifier needs Tink, which is not on the classpath: check with the JDK from the JWK's x.
            case "EdDSA" -> assertThat(verifyEd25519WithJdk(jwk.toOctetKeyPair(), jwt)).isTrue();
            default -> throw new AssertionError(alg);
        }

        JWTClaimsSet c = jwt.getJWTClaimsSet();
        assertThat(c.getIssuer()).isEqualTo(ISSUER);
        assertThat(c.getSubject()).isEqualTo("user-1");
        assertThat(c.getAudience()).containsExactly(AUDIENCE);
        assertThat(c.getIssueTime().toInstant()).isEqualTo(now);
        assertThat(c.getExpirationTime().toInstant()).isEqualTo(now.plus(ACCESS_TTL));
        assertThat(c.getJWTID()).isNotBlank();
        assertThat(c.getStringClaim("client_id")).isEqualTo("spa");
        assertThat(c.getStringClaim("scope")).isEqualTo("openid profile");
        assertThat(c.getStringClaim("sid")).isEqualTo("sid-1");
        assertThat(c.getLongClaim("auth_time")).isEqualTo(Instant.parse("2024-12-31T23:00:00Z").getEpochSecond());
        assertThat(c.getStringListClaim("amr")).containsExactly("pwd", "otp");
        assertThat(c.getStringClaim("acr")).isEqualTo("2");
        assertThat(c.getStringClaim("email")).isEqualTo("alice@example.com");

        assertThat(tokens.verify(issued.value())).hasValueSatisfying(v -> {
            assertThat(v.subject()).isEqualTo("user-1");
            assertThat(v.clientId()).isEqualTo("spa");
            assertThat(v.scope()).isEqualTo("openid profile");
            assertThat(v.sessionId()).isEqualTo("sid-1");
            assertThat(v.jti()).isEqualTo(c.getJWTID());
            assertThat(v.expiresAt()).isEqualTo(now.plus(ACCESS_TTL));
        });
    }

    private static boolean verifyEd25519WithJdk(OctetKeyPair okp, SignedJWT jwt) throws Exception {
        assertThat(okp.getCurve()).isEqualTo(Curve.Ed25519);
        byte[] x = okp.getDecodedX();
        byte[] spki = new byte[ED25519_SPKI_PREFIX.length + x.length];
        System.arraycopy(ED25519_SPKI_PREFIX, 0, spki, 0, ED25519_SPKI_PREFIX.length);
        System.arraycopy(x, 0, spki, ED25519_SPKI_PREFIX.length, x.length);
        PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
        Signature s = Signature.getInstance("Ed25519");
        s.initVerify(key);
        s.update(jwt.getSigningInput());
        return s.verify(jwt.getSignature().decode());
    }

    @Test
    void issueForClientCredentialsLeavesOutSessionClaims() throws Exception {
        KeyRing ring = fx.started("ES256");
        AccessTokens tokens = fx.tokens(ring);

        String value = tokens.issue(new AccessTokenRequest("svc", "svc", "", null, null, null, null, null)).value();

        JWTClaimsSet c = SignedJWT.parse(value).getJWTClaimsSet();
        assertThat(c.getClaims()).containsKeys("iss", "sub", "aud", "exp", "iat", "jti", "client_id")
                .doesNotContainKeys("sid", "auth_time", "amr", "acr", "scope");
        assertThat(tokens.verify(value)).hasValueSatisfying(v -> assertThat(v.sessionId()).isNull());
    }

    @Test
    void issueGivesEveryTokenItsOwnJti() throws Exception {
        AccessTokens tokens = fx.tokens(fx.started("ES256"));
        Set<String> jtis = new HashSet<>();
        for (int i = 0; i < 50; i++) jtis.add(SignedJWT.parse(tokens.issue(alice()).value()).getJWTClaimsSet().getJWTID());

        assertThat(jtis).hasSize(50);
    }

    @Test
    void verifyWhenExpiredThenEmptyAfterThe30SecondLeeway() {
        AccessTokens tokens = fx.tokens(fx.started("ES256"));
        String value = tokens.issue(alice()).value();

        fx.clock.advance(ACCESS_TTL.plusSeconds(29));
        assertThat(tokens.verify(value)).isPresent();
        fx.clock.advance(Duration.ofSeconds(1));
        assertThat(tokens.verify(value)).isEmpty();
        fx.clock.advance(Duration.ofDays(1));
        assertThat(tokens.verify(value)).isEmpty();
    }

    @Test
    void verifyWhenOtherIssuerOrAudienceThenEmpty() {
        KeyRing ring = fx.started("ES256");
        String value = fx.tokens(ring).issue(alice()).value();

        assertThat(new AccessTokens(ring, fx.clock, fx.random, "https://other.example.test", AUDIENCE, ACCESS_TTL).verify(value)).isEmpty();
        assertThat(new AccessTokens(ring, fx.clock, fx.random, ISSUER, "https://other-api.example.test", ACCESS_TTL).verify(value)).isEmpty();
        assertThat(new AccessTokens(ring, fx.clock, fx.random, ISSUER + "/", AUDIENCE, ACCESS_TTL).verify(value)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forgeries")
    void verifyWhenTokenIsForgedOrDamagedThenEmpty(String why, Function<Forge, String> forge) throws Exception {
        KeyRing ring = fx.started("ES256");
        Forge f = new Forge(ring, fx);

        assertThat(f.tokens.verify(forge.apply(f))).isEmpty();
    }

    static Stream<Arguments> forgeries() {
        return Stream.of(
                Arguments.of("typ JWT instead of at+jwt", (Function<Forge, String>) f -> f.sign(f.header(JWSAlgorithm.ES256).type(JOSEObjectType.JWT), f.claims())),
                Arguments.of("no typ", (Function<Forge, String>) f -> f.sign(f.header(JWSAlgorithm.ES256).type(null), f.claims())),
                Arguments.of("typ application/jwt", (Function<Forge, String>) f ->
                        f.sign(f.header(JWSAlgorithm.ES256).type(new JOSEObjectType("application/jwt")), f.claims())),
                Arguments.of("typ at+jwt with a parameter", (Function<Forge, String>) f ->
                        f.sign(f.header(JWSAlgorithm.ES256).type(new JOSEObjectType("at+jwt; v=1")), f.claims())),
                Arguments.of("typ with another prefix", (Function<Forge, String>) f ->
                        f.sign(f.header(JWSAlgorithm.ES256).type(new JOSEObjectType("text/at+jwt")), f.claims())),
                Arguments.of("nbf beyond the clock skew", (Function<Forge, String>) f ->
                        f.sign(f.header(JWSAlgorithm.ES256), f.claimsWith("nbf", f.now.plus(AccessTokens.SKEW).plusSeconds(1)))),
                Arguments.of("nbf in an hour", (Function<Forge, String>) f ->
                        f.sign(f.header(JWSAlgorithm.ES256), f.claimsWith("nbf", f.now.plus(Duration.ofHours(1))))),
                Arguments.of("iat beyond the clock skew", (Function<Forge, String>) f ->
                        f.sign(f.header(JWSAlgorithm.ES256), f.claimsWith("iat", f.now.plus(AccessTokens.SKEW).plusSeconds(1)))),
                Arguments.of("iat a year ahead", (Function<Forge, String>) f ->
                        f.sign(f.header(JWSAlgorithm.ES256), f.claimsWith("iat", f.now.plus(Duration.ofDays(365))))),
                Arguments.of("unknown kid", (Function<Forge, String>) f -> f.sign(f.header(JWSAlgorithm.ES256).keyID("no-such-kid"), f.claims())),
                Arguments.of("no kid", (Function<Forge, String>) f -> f.sign(f.header(JWSAlgorithm.ES256).keyID(null), f.claims())),
                Arguments.of("alg HS256 with the active kid", (Function<Forge, String>) f -> f.hmac(f.header(JWSAlgorithm.HS256), f.claims(), new byte[32])),
                Arguments.of("alg HS256 keyed with the published public key", (Function<Forge, String>) f ->
                        f.hmac(f.header(JWSAlgorithm.HS256), f.claims(), f.activeJwkJson().getBytes(StandardCharsets.UTF_8))),
                Arguments.of("alg none", (Function<Forge, String>) f -> f.unsigned("{\"alg\":\"none\",\"typ\":\"at+jwt\",\"kid\":\"" + f.kid() + "\"}")),
                Arguments.of("signed by a foreign key under the active kid", (Function<Forge, String>) Forge::foreignKey),
                Arguments.of("payload tampered (sub changed)", (Function<Forge, String>) f -> f.tamperPayload("user-1", "admin")),
                Arguments.of("signature tampered", (Function<Forge, String>) Forge::tamperSignature),
                Arguments.of("signature stripped", (Function<Forge, String>) f -> f.valid().substring(0, f.valid().lastIndexOf('.') + 1)),
                Arguments.of("no exp", (Function<Forge, String>) f -> f.sign(f.header(JWSAlgorithm.ES256), f.claimsWithout("exp"))),
                Arguments.of("no sub", (Function<Forge, String>) f -> f.sign(f.header(JWSAlgorithm.ES256), f.claimsWithout("sub"))),
                Arguments.of("no aud", (Function<Forge, String>) f -> f.sign(f.header(JWSAlgorithm.ES256), f.claimsWithout("aud"))),
                Arguments.of("exp not a number", (Function<Forge, String>) f -> f.sign(f.header(JWSAlgorithm.ES256),
                        new JWTClaimsSet.Builder(f.claims()).claim("exp", "tomorrow").build())),
                Arguments.of("client_id not a string", (Function<Forge, String>) f -> f.sign(f.header(JWSAlgorithm.ES256),
                        new JWTClaimsSet.Builder(f.claims()).claim("client_id", List.of("a", "b")).build())),
                Arguments.of("oversized but validly signed", (Function<Forge, String>) f -> f.sign(f.header(JWSAlgorithm.ES256),
                        new JWTClaimsSet.Builder(f.claims()).claim("pad", "x".repeat(9000)).build())),
                Arguments.of("not a JWT", (Function<Forge, String>) f -> "not-a-jwt"),
                Arguments.of("three empty parts", (Function<Forge, String>) f -> ".."),
                Arguments.of("JWE-shaped", (Function<Forge, String>) f -> "a.b.c.d.e"));
    }

    @ParameterizedTest
    @NullAndEmptySource
    void verifyWhenNullOrEmptyThenEmpty(String value) {
        assertThat(fx.tokens(fx.started("ES256")).verify(value)).isEmpty();
    }

    @Test
    void verifyWhenLargeButUnderTheLimitThenAccepted() {
        AccessTokens tokens = fx.tokens(fx.started("ES256"));
        String value = tokens.issue(new AccessTokenRequest("user-1", "spa", "openid", "sid-1", null, null, null,
                Map.of("pad", "x".repeat(5000)))).value();

        assertThat(value.length()).isBetween(6000, 8192);
        assertThat(tokens.verify(value)).isPresent();
    }

    @Test
    void verifyWhenKeyOfOtherAlgorithmClaimsTheActiveKidThenEmpty() throws Exception {
        KeyRing es = fx.started("ES256");
        String kid = es.activeKey().kid();
        // A genuine RS256 signature from another ring, relabelled with the ES256 ring's kid.
        KeyRingFixture other = new KeyRingFixture(dir.resolve("other"));
        try {
            KeyRing rs = other.started("RS256");
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).type(AccessTokens.AT_JWT).build(),
                    new Forge(es, fx).claims());
            jwt.sign(rs.current().signer());

            assertThat(fx.tokens(es).verify(jwt.serialize())).isEmpty();
        } finally {
            other.close();
        }
    }

    static Stream<Arguments> nonCanonicalSpellings() {
        List<Arguments> rows = new java.util.ArrayList<>();
        Map<String, UnaryOperator<String>> spellings = new java.util.LinkedHashMap<>();
        spellings.put("padded", JwsSpellings.PADDED);
        spellings.put("with a character outside the alphabet inserted", JwsSpellings.CHARACTER_INSERTED);
        spellings.put("in the standard alphabet", JwsSpellings.STANDARD_ALPHABET);
        spellings.put("with an unused bit of its last character set", JwsSpellings.UNUSED_BIT_SET);
        String[] parts = {"header", "payload", "signature"};
        for (int part = 0; part < 3; part++) {
            for (Map.Entry<String, UnaryOperator<String>> e : spellings.entrySet()) rows.add(Arguments.of(parts[part] + " " + e.getKey(), part, e.getValue()));
        }
        rows.add(Arguments.of("signature with high S (n - s, the other valid ECDSA signature)", 2, JwsSpellings.HIGH_S));
        return rows.stream();
    }

    /**
     * RFC 7515 §2: one token, one spelling. The header and payload rows are signed over the respelled text (the
     * signature is genuine), and the signature rows decode to the same bytes as the genuine signature (or, for high
     * S, are the other valid signature), so each would verify if its base64url were read leniently.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("nonCanonicalSpellings")
    void verifyWhenAPartIsNotInItsCanonicalSpellingThenEmpty(String why, int part, UnaryOperator<String> spelling) {
        Forge f = new Forge(fx.started("ES256"), fx);
        String canonical = part == 2 ? f.validWithUrlSafeCharacterInSignature() : f.signedParts(p -> UnaryOperator.identity());
        assertThat(f.tokens.verify(canonical)).as("the canonical spelling verifies").isPresent();

        String respelled = part == 2 ? JwsSpellings.respell(canonical, 2, spelling) : f.signedParts(p -> p == part ? spelling : UnaryOperator.identity());

        assertThat(f.tokens.verify(respelled)).isEmpty();
    }

    @Test
    void issueSignsEs256WithLowSOnly() throws Exception {
        AccessTokens tokens = fx.tokens(fx.started("ES256"));
        java.math.BigInteger halfN = Curve.P_256.toECParameterSpec().getOrder().shiftRight(1);
        // The JDK and the native provider give a high S about half of the time; 100 tokens without one is no accident.
        for (int i = 0; i < 100; i++) {
            byte[] rs = SignedJWT.parse(tokens.issue(alice()).value()).getSignature().decode();
            assertThat(new java.math.BigInteger(1, java.util.Arrays.copyOfRange(rs, 32, 64))).as("s of token %d", i).isLessThanOrEqualTo(halfN);
        }
    }

    @Test
    void issuedLowSSignatureVerifiesWithAPlainEcdsaVerifier() throws Exception {
        KeyRing ring = fx.started("ES256");
        AccessTokens tokens = fx.tokens(ring);
        for (int i = 0; i < 20; i++) {
            SignedJWT jwt = SignedJWT.parse(tokens.issue(alice()).value());
            assertThat(jwt.verify(new ECDSAVerifier(published(ring, jwt.getHeader().getKeyID()).toECKey()))).isTrue();
        }
    }

    static Stream<Arguments> acceptedVariants() {
        return Stream.of(
                Arguments.of("typ application/at+jwt (RFC 9068 §2.1)", (Function<Forge, String>) f ->
                        f.sign(f.header(JWSAlgorithm.ES256).type(new JOSEObjectType("application/at+jwt")), f.claims())),
                Arguments.of("typ AT+JWT (media types ignore case)", (Function<Forge, String>) f ->
                        f.sign(f.header(JWSAlgorithm.ES256).type(new JOSEObjectType("AT+JWT")), f.claims())),
                Arguments.of("typ Application/At+Jwt", (Function<Forge, String>) f ->
                        f.sign(f.header(JWSAlgorithm.ES256).type(new JOSEObjectType("Application/At+Jwt")), f.claims())),
                Arguments.of("nbf now", (Function<Forge, String>) f -> f.sign(f.header(JWSAlgorithm.ES256), f.claimsWith("nbf", f.now))),
                Arguments.of("nbf within the clock skew", (Function<Forge, String>) f ->
                        f.sign(f.header(JWSAlgorithm.ES256), f.claimsWith("nbf", f.now.plus(AccessTokens.SKEW)))),
                Arguments.of("iat within the clock skew", (Function<Forge, String>) f ->
                        f.sign(f.header(JWSAlgorithm.ES256), f.claimsWith("iat", f.now.plus(AccessTokens.SKEW)))),
                Arguments.of("no iat", (Function<Forge, String>) f -> f.sign(f.header(JWSAlgorithm.ES256), f.claimsWithout("iat"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acceptedVariants")
    void verifyWhenTokenDiffersOnlyInWaysTheProfileAllowsThenPresent(String why, Function<Forge, String> forge) {
        Forge f = new Forge(fx.started("ES256"), fx);

        assertThat(f.tokens.verify(forge.apply(f))).isPresent();
    }

    /** Builds tokens that look like the ring's, signed (or not) in the ways an attacker might try. */
    static final class Forge {
        final KeyRing ring;
        final AccessTokens tokens;
        final Instant now;
        private String valid;

        Forge(KeyRing ring, KeyRingFixture fx) {
            this.ring = ring;
            this.tokens = fx.tokens(ring);
            this.now = fx.clock.instant();
        }

        String kid() {
            return ring.activeKey().kid();
        }

        String valid() {
            if (valid == null) {
                valid = tokens.issue(alice()).value();
                assertThat(tokens.verify(valid)).as("the unforged token verifies").isPresent();
            }
            return valid;
        }

        String activeJwkJson() {
            try {
                return published(ring, kid()).toJSONString();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }

        JWSHeader.Builder header(JWSAlgorithm alg) {
            return new JWSHeader.Builder(alg).keyID(kid()).type(AccessTokens.AT_JWT);
        }

        JWTClaimsSet claims() {
            return new JWTClaimsSet.Builder().issuer(ISSUER).subject("user-1").audience(AUDIENCE)
                    .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(ACCESS_TTL))).jwtID("jti-1")
                    .claim("client_id", "spa").claim("scope", "openid").build();
        }

        JWTClaimsSet claimsWithout(String name) {
            JWTClaimsSet.Builder b = new JWTClaimsSet.Builder();
            claims().getClaims().forEach((k, v) -> {
                if (!k.equals(name)) b.claim(k, v instanceof Date d ? d.getTime() / 1000 : v);
            });
            return b.build();
        }

        JWTClaimsSet claimsWith(String name, Instant time) {
            return new JWTClaimsSet.Builder(claims()).claim(name, Date.from(time)).build();
        }

        /** A genuine token whose signature contains {@code -} or {@code _}, so that it has a standard-alphabet spelling. */
        String validWithUrlSafeCharacterInSignature() {
            for (int i = 0; i < 100; i++) {
                String token = tokens.issue(alice()).value();
                if (JwsSpellings.hasUrlSafeCharacter(token.substring(token.lastIndexOf('.') + 1))) return token;
            }
            throw new AssertionError("100 signatures without - or _");
        }

        /**
         * A token signed by the ring's key over header and payload parts respelled by {@code spelling} (given the part's
         * index: 0 header, 1 payload). Both parts are built so that every spelling applies: their JSON holds {@code ?????}
         * (base64url {@code Pz8_}: an {@code _}) and is padded with spaces to a length of 1 modulo 3 (an encoding with
         * unused bits, whose padding would be {@code ==}).
         */
        String signedParts(java.util.function.IntFunction<UnaryOperator<String>> spelling) {
            String header = "{\"alg\":\"ES256\",\"typ\":\"at+jwt\",\"kid\":\"" + kid() + "\",\"pad\":\"?????\"}";
            String payload = new JWTClaimsSet.Builder(claims()).claim("pad", "?????").build().toString();
            String h = spelling.apply(0).apply(encodeAligned(header));
            String p = spelling.apply(1).apply(encodeAligned(payload));
            try {
                return h + "." + p + "." + ring.current().signer().sign(JWSHeader.parse(header), (h + "." + p).getBytes(StandardCharsets.US_ASCII));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }

        private static String encodeAligned(String json) {
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            String spaced = "{" + " ".repeat((1 - bytes.length % 3 + 3) % 3) + json.substring(1);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(spaced.getBytes(StandardCharsets.UTF_8));
        }

        String sign(JWSHeader.Builder header, JWTClaimsSet claims) {
            return signWith(ring.current().signer(), header.build(), claims);
        }

        String hmac(JWSHeader.Builder header, JWTClaimsSet claims, byte[] secret) {
            try {
                byte[] key = secret.length >= 32 ? secret : java.util.Arrays.copyOf(secret, 32);
                return signWith(new MACSigner(key), header.build(), claims);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }

        String unsigned(String headerJson) {
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            return b64.encodeToString(headerJson.getBytes(StandardCharsets.UTF_8)) + "."
                    + b64.encodeToString(claims().toString().getBytes(StandardCharsets.UTF_8)) + ".";
        }

        String foreignKey() {
            try {
                JWSSigner foreign = new ECDSASigner(new ECKeyGenerator(Curve.P_256).keyID(kid()).generate());
                return signWith(foreign, header(JWSAlgorithm.ES256).build(), claims());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }

        String tamperPayload(String from, String to) {
            String[] parts = valid().split("\\.");
            String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
            assertThat(payload).contains(from);
            String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(payload.replace(from, to).getBytes(StandardCharsets.UTF_8));
            return parts[0] + "." + forged + "." + parts[2];
        }

        String tamperSignature() {
            String[] parts = valid().split("\\.");
            byte[] sig = Base64URL.from(parts[2]).decode();
            sig[sig.length / 2] ^= 0x01;
            return parts[0] + "." + parts[1] + "." + Base64URL.encode(sig);
        }

        private static String signWith(JWSSigner signer, JWSHeader header, JWTClaimsSet claims) {
            try {
                SignedJWT jwt = new SignedJWT(header, claims);
                jwt.sign(signer);
                return jwt.serialize();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void verifyWhenForgedAgainstEveryAlgorithmThenEmpty() throws Exception {
        for (String alg : List.of("RS256", "EdDSA")) {
            try (KeyRingFixture other = new KeyRingFixture(dir.resolve(alg))) {
                KeyRing ring = other.started(alg);
                Forge f = new Forge(ring, other);
                assertThat(f.tokens.verify(f.tamperPayload("user-1", "admin"))).as(alg + " tampered payload").isEmpty();
                assertThat(f.tokens.verify(f.tamperSignature())).as(alg + " tampered signature").isEmpty();
                assertThat(f.tokens.verify(f.hmac(f.header(JWSAlgorithm.HS256), f.claims(), f.activeJwkJson().getBytes(StandardCharsets.UTF_8))))
                        .as(alg + " HS256 keyed with the public key").isEmpty();
            }
        }
    }
}
