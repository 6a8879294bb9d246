package dev.rotor.testing;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import dev.rotor.app.Rotor;
import dev.rotor.token.AccessTokenRequest;
import dev.rotor.token.AccessTokens;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Access tokens this server would not accept, made from a genuine one: the same claims under a key of our own
 * (with the server's {@code kid}, so only the signature tells them apart), or truly signed by the server's key but
 * for another audience or in another issuer's name.
 */
public final class ForgedTokens {
    private ForgedTokens() {}

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
