package dev.rotor.http;

import dev.rotor.oauth.ErrorCode;
import dev.rotor.oauth.OAuthError;
import java.util.Map;

/**
 * Refusals of HTTP itself, before any OAuth rule applies: no such route, a method the route lacks, a body of the
 * wrong type or size. In the same {@code {"error", "error_description"}} shape as every OAuth error, rendered by the
 * same {@link OAuthErrors}, but not part of the core's vocabulary.
 */
enum HttpFailure {
    NOT_FOUND("not_found", 404, "not found"),
    METHOD_NOT_ALLOWED("method_not_allowed", 405, "method not allowed"),
    REQUEST_TOO_LARGE("request_too_large", 413, "request body too large"),
    HEADERS_TOO_LARGE("request_too_large", 431, "request headers too large"),
    UNSUPPORTED_MEDIA_TYPE("unsupported_media_type", 415, "unsupported media type");

    final String code;
    final int status;
    final String description;

    HttpFailure(String code, int status, String description) {
        this.code = code;
        this.status = status;
        this.description = description;
    }

    /** Thrown by a handler; rendered like an {@link dev.rotor.oauth.OAuthException}. */
    static final class Refusal extends RuntimeException {
        final transient HttpFailure failure;
        final String description;

        Refusal(HttpFailure failure, String description) {
            super(failure.code + ": " + description, null, false, false);
            this.failure = failure;
            this.description = description;
        }
    }

    Refusal refusal(String specificDescription) {
        return new Refusal(this, specificDescription);
    }

    /**
     * The error for a status that Javalin or Jetty raised outside Rotor's code: one of these, or an OAuth error for
     * the rest (a 503 of Jetty's is {@code temporarily_unavailable}, any other 5xx {@code server_error}, any other
     * 4xx a malformed request).
     */
    static Wire forStatus(int status) {
        for (HttpFailure f : values()) if (f.status == status) return f.wire(f.description);
        if (status == 503) return Wire.of(OAuthError.unavailable("temporarily unavailable", "Jetty answered 503"));
        if (status >= 500) return Wire.of(OAuthError.of(ErrorCode.SERVER_ERROR, "internal error"));
        return Wire.of(OAuthError.of(ErrorCode.INVALID_REQUEST, "malformed request"));
    }

    Wire wire(String specificDescription) {
        return new Wire(code, status, specificDescription, specificDescription, Map.of(), Map.of());
    }

    /** An error as it goes on the wire, whichever vocabulary it came from. */
    record Wire(String code, int status, String description, String detail, Map<String, Object> extra,
                Map<String, String> headers) {
        static Wire of(OAuthError e) {
            return new Wire(e.code().value(), e.status(), e.description(), e.detail(), e.extra(), e.headers());
        }
    }
}
