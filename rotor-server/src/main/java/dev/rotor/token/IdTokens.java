package dev.rotor.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.rotor.crypto.Base64Url;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.text.ParseException;

/**
 * OpenID Connect ID tokens (OIDC Core §2), signed by the same active key as access tokens but typed {@code JWT}, so
 * that neither can stand in for the other (an access token is {@code at+jwt}, RFC 9068 §4).
 */
public final class IdTokens {
    /** How long an ID token is valid: it proves a sign-in to the client once, at the time it is received. */
    public static final Duration TTL = Duration.ofMinutes(5);

    private final KeyRing keys;
    private final Clock clock;
    private final String issuer;

    public IdTokens(KeyRing keys, Clock clock, String issuer) {
        this.keys = keys;
        this.clock = clock;
        this.issuer = issuer;
    }

    /**
     * @param sessionId   the {@code sid}: the single sign-on session, as back-channel logout names it; null for none
     * @param nonce       from the authorization request; null when it had none, or on a refresh
     * @param accessToken the access token issued with it, for {@code at_hash}
     * @param claims      profile claims the granted scope covers
     */
    public record Request(String subject, String clientId, Instant authTime, String sessionId, String nonce, String acr,
                          List<String> amr, String accessToken, Map<String, Object> claims) {
        public Request {
            amr = amr == null ? List.of() : List.copyOf(amr);
            claims = claims == null ? Map.of() : Map.copyOf(claims);
        }
    }

    public String issue(Request r) {
        Instant now = clock.instant();
        KeyRing.Loaded ring = keys.current();
        JWSAlgorithm alg = ring.header().getAlgorithm();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder();
        r.claims().forEach(claims::claim);
        claims.issuer(issuer)
                .subject(r.subject())
                .audience(r.clientId())
                .expirationTime(Date.from(now.plus(TTL)))
                .issueTime(Date.from(now))
                .claim("azp", r.clientId());
        if (r.authTime() != null) claims.claim("auth_time", r.authTime().getEpochSecond());
        if (r.sessionId() != null) claims.claim("sid", r.sessionId());
        if (r.nonce() != null) claims.claim("nonce", r.nonce());
        if (r.acr() != null) claims.claim("acr", r.acr());
        if (!r.amr().isEmpty()) claims.claim("amr", r.amr());
        if (r.accessToken() != null) claims.claim("at_hash", tokenHash(alg, r.accessToken()));
        JWSHeader header = new JWSHeader.Builder(ring.header()).type(JOSEObjectType.JWT).build();
        SignedJWT jwt = new SignedJWT(header, claims.build());
        try {
            jwt.sign(ring.signer());
        } catch (JOSEException e) {
            throw new IllegalStateException("signing failed", e);
        }
        return jwt.serialize();
    }

    /**
     * The hint when {@code token} is an ID token of ours in its one canonical spelling: typed {@code JWT} (so neither
     * an access token nor a logout token passes), signed by a published key with that key's algorithm, issued by this
     * issuer, with a subject and an audience. Expired ones pass (RP-Initiated Logout 1.0 §2: the OP should accept
     * them); a token whose key was retired since no longer verifies. Empty otherwise.
     */
    public Optional<IdTokenHint> verifyHint(String token) {
        if (token == null || token.isEmpty() || token.length() > AccessTokens.MAX_LENGTH || !AccessTokens.isCanonical(token)) {
            return Optional.empty();
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JOSEObjectType.JWT.equals(jwt.getHeader().getType()) || !keys.verifies(jwt)) return Optional.empty();
            JWTClaimsSet c = jwt.getJWTClaimsSet();
            List<String> aud = c.getAudience();
            if (!issuer.equals(c.getIssuer()) || c.getSubject() == null || aud == null || aud.isEmpty()) return Optional.empty();
            return Optional.of(new IdTokenHint(c.getSubject(), aud, c.getStringClaim("azp"), c.getStringClaim("sid")));
        } catch (ParseException | JOSEException | IllegalStateException e) {
            return Optional.empty();
        }
    }

    /**
     * OIDC Core §3.1.3.6: the left half of the hash of the token's ASCII, with the hash of the signing algorithm
     * (SHA-256 for ES256 and RS256; SHA-512 for EdDSA over Ed25519, as OpenID's registry of algorithms says).
     */
    static String tokenHash(JWSAlgorithm alg, String token) {
        String digest = JWSAlgorithm.EdDSA.equals(alg) || JWSAlgorithm.Ed25519.equals(alg) ? "SHA-512"
                : alg.getName().endsWith("384") ? "SHA-384" : alg.getName().endsWith("512") ? "SHA-512" : "SHA-256";
        try {
            byte[] h = MessageDigest.getInstance(digest).digest(token.getBytes(StandardCharsets.US_ASCII));
            return Base64Url.encode(Arrays.copyOf(h, h.length / 2));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
