package dev.rotor.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.claims.LogoutTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.validators.LogoutTokenValidator;
import java.time.Duration;
import java.util.Map;

/**
 * A logout token checked as a client would: by the Nimbus OIDC SDK's {@link LogoutTokenValidator}, which requires the
 * {@code logout+jwt} type, verifies the signature against the published keys and checks {@code iss}, {@code aud},
 * {@code iat}, {@code jti}, the event and the absence of {@code nonce}; then, by hand, what Back-Channel Logout 1.0
 * §2.4 says the validator leaves open.
 */
public final class LogoutTokenCheck {
    private LogoutTokenCheck() {}

    /** The claims of {@code token} once it passed every check; fails the test otherwise. */
    public static JWTClaimsSet verified(String token, String issuer, String clientId, String jwksJson, String algorithm) {
        try {
            JWKSet keys = JWKSet.parse(jwksJson);
            LogoutTokenValidator validator = new LogoutTokenValidator(new Issuer(issuer), new ClientID(clientId), true,
                    new JWSVerificationKeySelector<SecurityContext>(JWSAlgorithm.parse(algorithm), new ImmutableJWKSet<>(keys)), null);
            SignedJWT jwt = SignedJWT.parse(token);
            LogoutTokenClaimsSet claims = validator.validate(jwt);
            assertThat(claims.getSubject()).as("sub").isNotNull();
            JWTClaimsSet c = jwt.getJWTClaimsSet();
            assertThat(jwt.getHeader().getType()).isEqualTo(new JOSEObjectType("logout+jwt"));
            assertThat(c.getAudience()).containsExactly(clientId);
            assertThat(c.getJWTID()).as("jti").isNotBlank();
            assertThat(c.getClaim("nonce")).as("a logout token has no nonce (§2.4)").isNull();
            assertThat(c.getJSONObjectClaim("events")).as("events: exactly the back-channel logout event, an empty object")
                    .isEqualTo(Map.of("http://schemas.openid.net/event/backchannel-logout", Map.of()));
            assertThat(c.getExpirationTime()).as("exp").isNotNull();
            assertThat(Duration.between(c.getIssueTime().toInstant(), c.getExpirationTime().toInstant())).isEqualTo(Duration.ofMinutes(10));
            return c;
        } catch (Exception e) {
            throw new AssertionError("not a valid logout token for " + clientId + ": " + e, e);
        }
    }
}
