package dev.rotor.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.rotor.crypto.Base64Url;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

/**
 * OpenID Connect Back-Channel Logout 1.0 §2.4 logout tokens: signed like ID tokens, typed {@code logout+jwt}
 * (§2.4 recommends explicit typing so that a logout token cannot be taken for an ID token), with the
 * back-channel-logout event, no {@code nonce}, and {@code sub} and {@code sid}.
 */
public final class LogoutTokens {
    public static final JOSEObjectType LOGOUT_JWT = new JOSEObjectType("logout+jwt");
    public static final String EVENT = "http://schemas.openid.net/event/backchannel-logout";
    /** Long enough for the retries of one delivery; a receiver rejects older ones. */
    public static final Duration TTL = Duration.ofMinutes(10);

    private final KeyRing keys;
    private final Clock clock;
    private final SecureRandom random;
    private final String issuer;

    public LogoutTokens(KeyRing keys, Clock clock, SecureRandom random, String issuer) {
        this.keys = keys;
        this.clock = clock;
        this.random = random;
        this.issuer = issuer;
    }

    /** @param sessionId the single sign-on session ({@code sid}); null when the ended session had none */
    public String issue(String clientId, String subject, String sessionId) {
        Instant now = clock.instant();
        byte[] jti = new byte[16];
        random.nextBytes(jti);
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(subject)
                .audience(clientId)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(TTL)))
                .jwtID(Base64Url.encode(jti))
                .claim("events", Map.of(EVENT, Map.of()));
        if (sessionId != null) claims.claim("sid", sessionId);
        KeyRing.Loaded ring = keys.current();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(ring.header()).type(LOGOUT_JWT).build(), claims.build());
        try {
            jwt.sign(ring.signer());
        } catch (JOSEException e) {
            throw new IllegalStateException("signing failed", e);
        }
        return jwt.serialize();
    }
}
