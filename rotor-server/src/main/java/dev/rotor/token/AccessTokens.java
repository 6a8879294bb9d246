package dev.rotor.token;

import dev.rotor.crypto.Base64Url;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Issues and verifies JWT access tokens in the RFC 9068 profile ({@code typ: at+jwt}). */
public final class AccessTokens {
    public static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");
    /** Tokens longer than this are refused before parsing. */
    static final int MAX_LENGTH = 8192;
    /** Clock skew allowed between the issuing and the verifying node, both ways: after {@code exp}, before {@code nbf} and {@code iat}. */
    static final Duration SKEW = Duration.ofSeconds(30);

    private final KeyRing keys;
    private final Clock clock;
    private final SecureRandom random;
    private final String issuer;
    private final String audience;
    private final Duration ttl;

    public AccessTokens(KeyRing keys, Clock clock, SecureRandom random, String issuer, String audience, Duration ttl) {
        this.keys = keys;
        this.clock = clock;
        this.random = random;
        this.issuer = issuer;
        this.audience = audience;
        this.ttl = ttl;
    }

    public IssuedAccessToken issue(AccessTokenRequest r) {
        Instant now = clock.instant();
        Instant exp = now.plus(ttl);
        byte[] jti = new byte[16];
        random.nextBytes(jti);
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(r.subject())
                .audience(audience)
                .expirationTime(Date.from(exp))
                .issueTime(Date.from(now))
                .jwtID(Base64Url.encode(jti))
                .claim("client_id", r.clientId());
        if (r.scope() != null && !r.scope().isEmpty()) claims.claim("scope", r.scope());
        if (r.sessionId() != null) claims.claim("sid", r.sessionId());
        if (r.authTime() != null) claims.claim("auth_time", r.authTime().getEpochSecond());
        if (!r.amr().isEmpty()) claims.claim("amr", r.amr());
        if (r.acr() != null) claims.claim("acr", r.acr());
        for (Map.Entry<String, Object> e : r.extra().entrySet()) claims.claim(e.getKey(), e.getValue());
        KeyRing.Loaded ring = keys.current();
        SignedJWT jwt = new SignedJWT(ring.header(), claims.build());
        try {
            jwt.sign(ring.signer());
        } catch (JOSEException e) {
            throw new IllegalStateException("signing failed", e);
        }
        return new IssuedAccessToken(jwt.serialize(), exp, ttl.toSeconds());
    }

    /**
     * The token's claims when it is a well-formed {@code at+jwt} in its one canonical spelling, signed by a published
     * key with the algorithm that key was made for, issued by us for our audience, not expired and not from the
     * future (its {@code nbf} and {@code iat} at most {@link #SKEW} ahead); empty otherwise. The time comes from our
     * clock, not Nimbus's.
     */
    public Optional<VerifiedAccessToken> verify(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_LENGTH || !isCanonical(token)) return Optional.empty();
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            JWSHeader h = jwt.getHeader();
            if (!isAccessTokenType(h.getType()) || !keys.verifies(jwt)) return Optional.empty();
            JWTClaimsSet c = jwt.getJWTClaimsSet();
            Instant now = clock.instant();
            Date exp = c.getExpirationTime();
            List<String> aud = c.getAudience();
            if (!issuer.equals(c.getIssuer()) || aud == null || !aud.contains(audience) || exp == null
                    || !now.isBefore(exp.toInstant().plus(SKEW)) || isAfterSkew(c.getNotBeforeTime(), now)
                    || isAfterSkew(c.getIssueTime(), now) || c.getSubject() == null) {
                return Optional.empty();
            }
            return Optional.of(new VerifiedAccessToken(c.getSubject(), c.getStringClaim("client_id"), c.getStringClaim("scope"),
                    c.getStringClaim("sid"), c.getJWTID(), exp.toInstant(), instant(c.getIssueTime()), instant(c.getNotBeforeTime()), aud,
                    c.getIssuer()));
        } catch (ParseException | JOSEException | IllegalStateException e) {
            return Optional.empty();
        }
    }

    /**
     * RFC 7515 §2: each of the three parts is canonical base64url ({@link Base64Url#decodeCanonical}). Nimbus's
     * decoder is lenient (it skips characters outside the alphabet, accepts padding and the standard alphabet,
     * ignores the unused low bits of the last character), so without this one token had many spellings that all
     * verified.
     */
    static boolean isCanonical(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) return false;
        for (String part : parts) {
            if (Base64Url.decodeCanonical(part) == null) return false;
        }
        return true;
    }

    /** RFC 9068 §2.1: {@code at+jwt}, or in full {@code application/at+jwt}; media types ignore case (RFC 7515 §4.1.9). */
    private static boolean isAccessTokenType(JOSEObjectType type) {
        return type != null && (type.getType().equalsIgnoreCase("at+jwt") || type.getType().equalsIgnoreCase("application/at+jwt"));
    }

    private static Instant instant(Date claim) {
        return claim == null ? null : claim.toInstant();
    }

    /** A time claim more than {@link #SKEW} after {@code now}; false when the claim is absent. */
    private static boolean isAfterSkew(Date claim, Instant now) {
        return claim != null && claim.toInstant().isAfter(now.plus(SKEW));
    }
}
