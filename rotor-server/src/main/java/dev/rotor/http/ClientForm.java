package dev.rotor.http;

import dev.rotor.oauth.ClientCredentials;
import dev.rotor.oauth.ErrorCode;
import dev.rotor.oauth.OAuthException;
import dev.rotor.oauth.TokenType;
import io.javalin.http.Context;
import java.util.Map;

/**
 * The form of a client-authenticated endpoint (token, revocation, introspection), read the one way: exactly the form
 * media type, every parameter at most once ({@link TokenRoutes#singleValued}), and the client's credentials from
 * Basic or the body ({@link TokenRoutes#credentials}), which are not among {@link #params}.
 */
record ClientForm(Map<String, String> params, ClientCredentials credentials) {
    static final String TOKEN_TYPE_HINT = "token_type_hint";

    ClientForm {
        params = Map.copyOf(params);
    }

    static ClientForm read(Context ctx) {
        if (!RequestBody.hasMediaType(ctx, RequestBody.FORM)) {
            throw new OAuthException(ErrorCode.INVALID_REQUEST, "Content-Type must be application/x-www-form-urlencoded");
        }
        Map<String, String> params = TokenRoutes.singleValued(RequestBody.form(ctx));
        ClientCredentials creds = TokenRoutes.credentials(ctx, params);
        params.remove(TokenRoutes.CLIENT_ID);
        params.remove(TokenRoutes.CLIENT_SECRET);
        return new ClientForm(params, creds);
    }

    /** The parameter; null when absent or empty (an empty value counts as absent, as at the token endpoint). */
    String param(String name) {
        String v = params.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    /** RFC 7009 §2.1, RFC 7662 §2.1: {@code token_type_hint}; null when absent or unknown, which the endpoints ignore. */
    TokenType tokenTypeHint() {
        String hint = param(TOKEN_TYPE_HINT);
        if (hint == null) return null;
        return switch (hint) {
            case "access_token" -> TokenType.ACCESS_TOKEN;
            case "refresh_token" -> TokenType.REFRESH_TOKEN;
            default -> null;
        };
    }
}
