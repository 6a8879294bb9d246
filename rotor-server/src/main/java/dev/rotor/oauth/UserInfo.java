package dev.rotor.oauth;

import dev.rotor.token.VerifiedAccessToken;
import java.util.LinkedHashMap;
import java.util.Map;

/** OIDC Core §5.3: the claims about the signed-in user that the access token's scope covers. */
public final class UserInfo {
    private final Issuance issuance;

    public UserInfo(Issuance issuance) {
        this.issuance = issuance;
    }

    /**
     * @param token a verified access token whose session is live
     * @throws OAuthException insufficient_scope when the token was not issued for {@code openid}
     */
    public Map<String, Object> claims(VerifiedAccessToken token) {
        if (!Scopes.parse(token.scope()).contains("openid")) {
            // RFC 6750 §3.1: the challenge names the scope that would do.
            throw new OAuthException(OAuthError.of(ErrorCode.INSUFFICIENT_SCOPE, "the access token was not issued for scope openid")
                    .withHeader("WWW-Authenticate", "Bearer realm=\"rotor\", error=\"insufficient_scope\", scope=\"openid\""));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sub", token.subject());
        out.putAll(issuance.userClaims(token.subject(), token.scope()));
        return out;
    }
}
