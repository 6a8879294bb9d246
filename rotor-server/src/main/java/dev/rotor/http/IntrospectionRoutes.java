package dev.rotor.http;

import dev.rotor.oauth.Introspection;
import dev.rotor.oauth.IntrospectionRequest;
import dev.rotor.oauth.TokenIntrospection;
import dev.rotor.oauth.TokenType;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /oauth2/introspect} (RFC 7662): the form as at the token endpoint ({@link ClientForm}), then
 * {@link TokenIntrospection}, rendered as RFC 7662 §2.2 JSON with {@code Cache-Control: no-store}. For back ends
 * only: no CORS.
 */
final class IntrospectionRoutes {
    private static final Map<String, Object> INACTIVE = Map.of("active", false);

    private final TokenIntrospection introspection;

    IntrospectionRoutes(TokenIntrospection introspection) {
        this.introspection = introspection;
    }

    void introspect(Context ctx) {
        OAuthErrors.noStore(ctx);
        ClientForm form = ClientForm.read(ctx);
        Introspection result = introspection.introspect(new IntrospectionRequest(form.param(RevocationRoutes.TOKEN), form.tokenTypeHint(),
                form.credentials()));
        Json.send(ctx, 200, result.active() ? body(result) : INACTIVE);
    }

    /** RFC 7662 §2.2 members, each only where it applies; times in seconds since the epoch (RFC 7519 NumericDate). */
    static Map<String, Object> body(Introspection i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("active", true);
        putIfPresent(m, "scope", i.scope() == null || i.scope().isEmpty() ? null : i.scope());
        putIfPresent(m, "client_id", i.clientId());
        putIfPresent(m, "username", i.username());
        // RFC 7662 §2.2: the token type in the RFC 6749 §7.1 sense, which only access tokens have.
        if (i.type() == TokenType.ACCESS_TOKEN) m.put("token_type", "Bearer");
        putIfPresent(m, "exp", seconds(i.expiresAt()));
        putIfPresent(m, "iat", seconds(i.issuedAt()));
        putIfPresent(m, "nbf", seconds(i.notBefore()));
        putIfPresent(m, "sub", i.subject());
        // One audience as a string, several as an array (RFC 7519 §4.1.3), as the token itself has it.
        if (i.audience().size() == 1) m.put("aud", i.audience().getFirst());
        else if (!i.audience().isEmpty()) m.put("aud", i.audience());
        putIfPresent(m, "iss", i.issuer());
        putIfPresent(m, "jti", i.jti());
        putIfPresent(m, "sid", i.sessionId());
        return m;
    }

    private static void putIfPresent(Map<String, Object> m, String name, Object value) {
        if (value != null) m.put(name, value);
    }

    private static Long seconds(Instant t) {
        return t == null ? null : t.getEpochSecond();
    }
}
