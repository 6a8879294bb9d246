package dev.rotor.http;

import dev.rotor.oauth.GrantType;
import dev.rotor.oauth.authorize.Pkce;
import dev.rotor.token.KeyRing;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Discovery (RFC 8414, OIDC Discovery) and the JWKS (RFC 7517). Lists only what this server implements. */
final class DiscoveryRoutes {
    private final String metadata;
    private final KeyRing keys;

    DiscoveryRoutes(String issuer, KeyRing keys, Set<GrantType> grantTypes, String signingAlg) {
        this.keys = keys;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issuer", issuer);
        m.put("authorization_endpoint", issuer + "/oauth2/authorize");
        m.put("token_endpoint", issuer + "/oauth2/token");
        m.put("userinfo_endpoint", issuer + "/oauth2/userinfo");
        m.put("jwks_uri", issuer + "/oauth2/jwks");
        m.put("grant_types_supported", grantTypes.stream().map(GrantType::value).toList()); // what the token endpoint registered
        m.put("response_types_supported", List.of("code"));
        m.put("response_modes_supported", List.of("query", "form_post"));
        m.put("code_challenge_methods_supported", List.of(Pkce.S256));
        m.put("token_endpoint_auth_methods_supported", List.of("none", "client_secret_basic", "client_secret_post"));
        m.put("scopes_supported", List.of("openid", "profile", "email", "offline_access"));
        m.put("claims_supported", List.of("sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "acr", "amr", "sid", "azp", "at_hash",
                "name", "preferred_username", "email"));
        m.put("revocation_endpoint", issuer + "/oauth2/revoke");
        m.put("revocation_endpoint_auth_methods_supported", List.of("none", "client_secret_basic", "client_secret_post"));
        // Introspection is for confidential clients only: a public client has nothing to authenticate with.
        m.put("introspection_endpoint", issuer + "/oauth2/introspect");
        m.put("introspection_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
        m.put("subject_types_supported", List.of("public"));
        m.put("id_token_signing_alg_values_supported", List.of(signingAlg));
        m.put("prompt_values_supported", List.of("none", "login", "consent", "select_account"));
        m.put("authorization_response_iss_parameter_supported", true); // RFC 9207
        m.put("request_parameter_supported", false);
        m.put("request_uri_parameter_supported", false);
        m.put("claims_parameter_supported", false);
        m.put("end_session_endpoint", issuer + HostedPages.LOGOUT); // RP-Initiated Logout 1.0
        // Back-Channel Logout 1.0 §2.1; logout tokens carry sid whenever the ended session came from a sign-in here.
        m.put("backchannel_logout_supported", true);
        m.put("backchannel_logout_session_supported", true);
        m.put("frontchannel_logout_supported", false);
        this.metadata = Json.write(m);
    }

    void metadata(Context ctx) {
        ctx.header("Cache-Control", "public, max-age=300");
        ctx.contentType("application/json").result(metadata);
    }

    void jwks(Context ctx) {
        // Short cache: a rotation publishes the next key long before it signs (and `keys rotate` waits for it).
        ctx.header("Cache-Control", "public, max-age=" + KeyRing.JWKS_MAX_AGE.toSeconds());
        ctx.contentType("application/jwk-set+json").result(keys.jwksJson());
    }
}
