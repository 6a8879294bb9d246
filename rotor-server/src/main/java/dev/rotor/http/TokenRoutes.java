package dev.rotor.http;

import dev.rotor.oauth.ClientAuthentication;
import dev.rotor.oauth.ClientCredentials;
import dev.rotor.oauth.ErrorCode;
import dev.rotor.oauth.OAuthException;
import dev.rotor.oauth.TokenEndpoint;
import dev.rotor.oauth.TokenRequest;
import dev.rotor.oauth.TokenResponse;
import io.javalin.http.Context;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code POST /oauth2/token}: form parsing and client credentials extraction, then {@link TokenEndpoint}. */
final class TokenRoutes {
    static final String GRANT_TYPE = "grant_type";
    static final String CLIENT_ID = "client_id";
    static final String CLIENT_SECRET = "client_secret";

    private final TokenEndpoint endpoint;
    private final Edge edge;

    TokenRoutes(TokenEndpoint endpoint, Edge edge) {
        this.endpoint = endpoint;
        this.edge = edge;
    }

    void token(Context ctx) {
        OAuthErrors.noStore(ctx);
        ClientForm form = ClientForm.read(ctx);
        // The form's immutable map goes to the request as it is (Map.copyOf of it is the same map): no copy per request.
        TokenResponse r = endpoint.handle(new TokenRequest(form.params().get(GRANT_TYPE), form.params(), form.credentials(),
                edge.requestInfo(ctx)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", r.accessToken().value());
        body.put("token_type", "Bearer");
        body.put("expires_in", r.accessToken().expiresIn());
        if (r.refreshToken() != null) body.put("refresh_token", r.refreshToken());
        if (r.scope() != null && !r.scope().isEmpty()) body.put("scope", r.scope());
        if (r.idToken() != null) body.put("id_token", r.idToken());
        Json.send(ctx, 200, body);
    }

    /** RFC 6749 §3.2: request parameters must not be included more than once. */
    static Map<String, String> singleValued(Map<String, List<String>> form) {
        Map<String, String> out = new HashMap<>();
        for (Map.Entry<String, List<String>> e : form.entrySet()) {
            if (e.getValue().size() > 1) throw new OAuthException(ErrorCode.INVALID_REQUEST, "parameter repeated: " + e.getKey());
            out.put(e.getKey(), e.getValue().isEmpty() ? "" : e.getValue().get(0));
        }
        return out;
    }

    /** RFC 6749 §2.3.1: HTTP Basic with form-urlencoded id and secret, or both in the body; never both ways. */
    static ClientCredentials credentials(Context ctx, Map<String, String> params) {
        String auth = ctx.header("Authorization");
        String bodyId = blankToNull(params.get(CLIENT_ID));
        String bodySecret = blankToNull(params.get(CLIENT_SECRET));
        if (auth == null) return new ClientCredentials(bodyId, bodySecret, false);
        if (!auth.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw ClientAuthentication.refused(true, "unsupported Authorization scheme");
        }
        String id;
        String secret;
        try {
            String decoded = new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0) throw new IllegalArgumentException("no colon");
            id = URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8);
            secret = URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ClientAuthentication.refused(true, "malformed Basic credentials");
        }
        if (bodySecret != null) throw new OAuthException(ErrorCode.INVALID_REQUEST, "more than one client authentication method");
        if (bodyId != null && !bodyId.equals(id)) throw new OAuthException(ErrorCode.INVALID_REQUEST, "client_id does not match the credentials");
        return new ClientCredentials(id, secret.isEmpty() ? null : secret, true);
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
