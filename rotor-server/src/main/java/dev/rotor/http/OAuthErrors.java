package dev.rotor.http;

import dev.rotor.oauth.ErrorCode;
import dev.rotor.oauth.OAuthError;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Renders an {@link OAuthError} as RFC 6749 §5.2 JSON with its status and {@code Cache-Control: no-store}. */
final class OAuthErrors {
    private static final Logger LOG = LoggerFactory.getLogger(OAuthErrors.class);

    private OAuthErrors() {}

    static int status(ErrorCode code) {
        return switch (code) {
            case INVALID_REQUEST, INVALID_GRANT, UNAUTHORIZED_CLIENT, UNSUPPORTED_GRANT_TYPE, INVALID_SCOPE -> 400;
            case INVALID_CLIENT, INVALID_TOKEN, INVALID_CREDENTIALS -> 401;
            case ACCESS_DENIED, INVALID_ORIGIN -> 403;
            case NOT_FOUND -> 404;
            case METHOD_NOT_ALLOWED -> 405;
            case REQUEST_TOO_LARGE -> 413;
            case UNSUPPORTED_MEDIA_TYPE -> 415;
            case SERVER_ERROR -> 500;
            case TEMPORARILY_UNAVAILABLE -> 503;
        };
    }

    static void render(Context ctx, OAuthError error) {
        render(ctx, error, status(error.code()));
    }

    static void render(Context ctx, OAuthError error, int status) {
        // The detail goes to the debug log only; the client sees the generic description.
        LOG.debug("{} {} -> {} {}: {}", ctx.method(), ctx.path(), status, error.code().value(), error.detail());
        noStore(ctx);
        if (error.code() == ErrorCode.TEMPORARILY_UNAVAILABLE) ctx.header("Retry-After", "1");
        Json.send(ctx, status, body(error));
    }

    /** The RFC 6749 §5.2 body: the code and the generic description, nothing else. */
    static Map<String, String> body(OAuthError error) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", error.code().value());
        body.put("error_description", error.description());
        return body;
    }

    /** The error for an HTTP status raised outside Rotor's own code (Javalin's or Jetty's). */
    static OAuthError forStatus(int status) {
        return switch (status) {
            case 413 -> OAuthError.of(ErrorCode.REQUEST_TOO_LARGE, "request body too large");
            case 431 -> OAuthError.of(ErrorCode.REQUEST_TOO_LARGE, "request headers too large");
            case 404 -> OAuthError.of(ErrorCode.NOT_FOUND, "not found");
            case 405 -> OAuthError.of(ErrorCode.METHOD_NOT_ALLOWED, "method not allowed");
            case 415 -> OAuthError.of(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "unsupported media type");
            case 503 -> OAuthError.of(ErrorCode.TEMPORARILY_UNAVAILABLE, "temporarily unavailable");
            default -> status >= 500 ? OAuthError.of(ErrorCode.SERVER_ERROR, "internal error") : OAuthError.of(ErrorCode.INVALID_REQUEST, "malformed request");
        };
    }

    /** RFC 6749 §5.1: token responses and errors must not be cached. */
    static void noStore(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        ctx.header("Pragma", "no-cache");
    }
}
