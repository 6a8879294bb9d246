package dev.rotor.http;

import dev.rotor.oauth.GrantType;
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

    DiscoveryRoutes(String issuer, KeyRing keys, Set<GrantType> grantTypes) {
        this.keys = keys;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issuer", issuer);
        m.put("token_endpoint", issuer + "/oauth2/token");
        m.put("jwks_uri", issuer + "/oauth2/jwks");
        m.put("grant_types_supported", grantTypes.stream().map(GrantType::value).toList()); // what the token endpoint registered
        m.put("response_types_supported", List.of());
        m.put("token_endpoint_auth_methods_supported", List.of("none", "client_secret_basic", "client_secret_post"));
        // No authorization endpoint, PKCE or ID tokens yet: they are not advertised until they exist.
        m.put("subject_types_supported", List.of("public"));
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
