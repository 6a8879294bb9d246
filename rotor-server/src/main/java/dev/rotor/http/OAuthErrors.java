package dev.rotor.http;

import dev.rotor.oauth.OAuthError;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one renderer of refusals: an {@link OAuthError} of the core or an {@link HttpFailure} becomes its status, its
 * headers and the RFC 6749 §5.2 JSON body, with {@code Cache-Control: no-store}. Nothing but the code, the generic
 * description and the error's declared extra members reaches the client; the detail goes to the debug log.
 */
final class OAuthErrors {
    private static final Logger LOG = LoggerFactory.getLogger(OAuthErrors.class);

    private OAuthErrors() {}

    static void render(Context ctx, OAuthError error) {
        render(ctx, HttpFailure.Wire.of(error));
    }

    static void render(Context ctx, HttpFailure.Wire error) {
        LOG.debug("{} {} -> {} {}: {}", ctx.method(), ctx.path(), error.status(), error.code(), error.detail());
        noStore(ctx);
        error.headers().forEach(ctx::header);
        Json.send(ctx, error.status(), body(error));
    }

    /** The RFC 6749 §5.2 body: the code, the generic description, then the error's extra members. */
    static Map<String, Object> body(HttpFailure.Wire error) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error.code());
        body.put("error_description", error.description());
        body.putAll(error.extra());
        return body;
    }

    /** RFC 6749 §5.1: token responses and errors must not be cached. */
    static void noStore(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        ctx.header("Pragma", "no-cache");
    }
}
