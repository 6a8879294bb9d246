package dev.rotor.testing;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.rotor.app.Rotor;
import dev.rotor.audit.RequestInfo;
import dev.rotor.session.RefreshTokenFamily;
import dev.rotor.token.AccessTokenRequest;
import dev.rotor.token.AccessTokens;
import dev.rotor.token.IdTokens;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Access tokens this server would not accept, made from a genuine one: the same claims under a key of our own
 * (with the server's {@code kid}, so only the signature tells them apart), or truly signed by the server's key but
 * for another audience or in another issuer's name. {@link #forgeries()} is the table every endpoint that takes an
 * access token is tested against.
 */
public final class ForgedTokens {
    private static final String FULL_SCOPE = "openid profile email offline_access";

    private ForgedTokens() {}

    /** A genuine access token of a live session of alice at {@code clientId}, and what it was made from. */
    public record Genuine(TestServer server, TestClock clock, String accessToken, String userId, String clientId, String sessionId) {}

    /** One way to forge or misuse an access token, made from a genuine one; named for a parameterised test. */
    public record Forgery(String name, Function<Genuine, String> make) {
        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * A session of alice at {@code clientId} started in-process (fixture set-up: no Argon2id per row) and a genuine
     * access token of it, signed by the server's active key with {@code clock}'s time.
     */
    public static Genuine genuine(TestServer server, TestClock clock, String clientId) {
        Rotor rotor = server.rotor();
        String alice = rotor.users().findByUsername("alice").orElseThrow().id();
        RefreshTokenFamily f = rotor.sessions().start(alice, clientId, FULL_SCOPE, List.of("pwd"), "1", RefreshTokenFamily.Channel.TOKEN_ENDPOINT,
                new RequestInfo("127.0.0.1", "fixture")).family();
        String access = signedByTheServer(rotor, clock, rotor.config().issuer(), rotor.config().audience(), alice, clientId, f.id());
        return new Genuine(server, clock, access, alice, clientId, f.id());
    }

    /**
     * Every forgery and misuse of an access token that a resource endpoint must refuse: each is made from a genuine token
     * of a live session, so that only the one thing the row names is wrong.
     */
    public static Stream<Forgery> forgeries() {
        return Stream.of(
                new Forgery("alg none, without a signature", g -> algNone(g.accessToken(), false)),
                new Forgery("alg none, with the genuine signature kept", g -> algNone(g.accessToken(), true)),
                new Forgery("HS256 keyed with the server's public JWK (alg confusion)", g -> hs256WithPublicJwk(g.server().rotor(), g.accessToken())),
                new Forgery("HS256 keyed with zeros", g -> hs256(g.accessToken())),
                new Forgery("the payload tampered (scope widened) under the genuine signature", g -> tampered(g.accessToken())),
                new Forgery("signed by a key of our own that carries the server's kid", g -> signedByAnotherKey(g.accessToken())),
                new Forgery("an ID token of the session (typ JWT), even for the API's audience", ForgedTokens::idTokenOf),
                new Forgery("expired (past exp and the clock skew allowed after it)", g -> {
                    g.clock().advance(g.server().rotor().config().accessTtl().plus(Duration.ofMinutes(1)));
                    return g.accessToken();
                }),
                new Forgery("signed by the server in another issuer's name", g -> signedByTheServer(g.server().rotor(), g.clock(),
                        "https://other-issuer.example.test", g.server().rotor().config().audience(), g.userId(), g.clientId(), g.sessionId())),
                new Forgery("signed by the server for another audience", g -> signedByTheServer(g.server().rotor(), g.clock(),
                        g.server().rotor().config().issuer(), "https://other-api.example.test", g.userId(), g.clientId(), g.sessionId())));
    }

    /** The genuine token's claims under {@code alg: none} (RFC 7519 §6), with an empty signature or the genuine one. */
    public static String algNone(String genuine, boolean keepSignature) {
        try {
            SignedJWT original = SignedJWT.parse(genuine);
            String header = "{\"alg\":\"none\",\"typ\":\"at+jwt\",\"kid\":\"" + original.getHeader().getKeyID() + "\"}";
            String[] parts = genuine.split("\\.");
            return Base64URL.encode(header.getBytes(StandardCharsets.UTF_8)) + "." + parts[1] + "." + (keepSignature ? parts[2] : "");
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The genuine token's claims under HS256 keyed with the bytes of the server's public JWK: what a verifier that lets
     * the header pick the algorithm would accept, since anyone can read that key from the JWKS.
     */
    public static String hs256WithPublicJwk(Rotor rotor, String genuine) {
        try {
            SignedJWT original = SignedJWT.parse(genuine);
            String kid = original.getHeader().getKeyID();
            JWK published = JWKSet.parse(rotor.keys().jwksJson()).getKeyByKeyId(kid);
            if (published == null) throw new AssertionError("the JWKS has no key " + kid);
            SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(kid).type(new JOSEObjectType("at+jwt")).build(),
                    original.getJWTClaimsSet());
            forged.sign(new MACSigner(published.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8)));
            return forged.serialize();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The genuine header and signature over a payload whose scope is widened to {@code rotor:admin}. */
    public static String tampered(String genuine) {
        try {
            JWTClaimsSet claims = SignedJWT.parse(genuine).getJWTClaimsSet();
            JWTClaimsSet widened = new JWTClaimsSet.Builder(claims).claim("scope", claims.getStringClaim("scope") + " rotor:admin").build();
            String[] parts = genuine.split("\\.");
            return parts[0] + "." + widened.toPayload().toBase64URL() + "." + parts[2];
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * An ID token the server signed for the genuine token's session, with the API as its audience and the access
     * token's claims (scope, client_id, sid): only its type ({@code JWT}, not {@code at+jwt}, RFC 9068 §4) tells it apart.
     */
    public static String idTokenOf(Genuine g) {
        Rotor rotor = g.server().rotor();
        return new IdTokens(rotor.keys(), g.clock(), rotor.config().issuer()).issue(new IdTokens.Request(g.userId(), rotor.config().audience(),
                g.clock().instant(), g.sessionId(), null, "1", List.of("pwd"), g.accessToken(),
                Map.of("scope", FULL_SCOPE, "client_id", g.clientId())));
    }

    /** The genuine token's header and claims, signed ES256 by a key generated here. */
    public static String signedByAnotherKey(String genuine) {
        try {
            SignedJWT original = SignedJWT.parse(genuine);
            ECKey key = new ECKeyGenerator(Curve.P_256).keyID(original.getHeader().getKeyID()).generate();
            SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID())
                    .type(new JOSEObjectType("at+jwt")).build(), original.getJWTClaimsSet());
            forged.sign(new ECDSASigner(key));
            return forged.serialize();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The genuine token's claims under HS256 with a key anyone could guess (alg confusion). */
    public static String hs256(String genuine) {
        try {
            SignedJWT original = SignedJWT.parse(genuine);
            SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(original.getHeader().getKeyID())
                    .type(new JOSEObjectType("at+jwt")).build(), original.getJWTClaimsSet());
            forged.sign(new MACSigner(new byte[32]));
            return forged.serialize();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * A token signed by the server's own active key with the claims of a session ({@code sid}) of {@code userId} at
     * {@code clientId}, in {@code issuer}'s name for {@code audience}.
     */
    public static String signedByTheServer(Rotor rotor, Clock clock, String issuer, String audience, String userId, String clientId,
                                           String sessionId) {
        return new AccessTokens(rotor.keys(), clock, new SecureRandom(), issuer, audience, rotor.config().accessTtl())
                .issue(new AccessTokenRequest(userId, clientId, "openid", sessionId, clock.instant(), List.of("pwd"), "1", Map.of())).value();
    }
}
