package dev.rotor.oauth;

/**
 * Every error value Rotor puts on the wire. The RFC 6749 values come first; the rest are the first-party
 * API's own, in the same {@code {"error", "error_description"}} shape. {@code http/OAuthErrors} maps each
 * to a status with an exhaustive switch.
 */
public enum ErrorCode {
    // RFC 6749 §5.2
    INVALID_REQUEST("invalid_request"),
    INVALID_CLIENT("invalid_client"),
    INVALID_GRANT("invalid_grant"),
    UNAUTHORIZED_CLIENT("unauthorized_client"),
    UNSUPPORTED_GRANT_TYPE("unsupported_grant_type"),
    INVALID_SCOPE("invalid_scope"),
    // RFC 6749 §4.1.2.1
    ACCESS_DENIED("access_denied"),
    SERVER_ERROR("server_error"),
    TEMPORARILY_UNAVAILABLE("temporarily_unavailable"),
    // RFC 6750 §3.1
    INVALID_TOKEN("invalid_token"),
    // First-party API
    INVALID_CREDENTIALS("invalid_credentials"),
    INVALID_ORIGIN("invalid_origin"),
    NOT_FOUND("not_found"),
    METHOD_NOT_ALLOWED("method_not_allowed"),
    UNSUPPORTED_MEDIA_TYPE("unsupported_media_type"),
    REQUEST_TOO_LARGE("request_too_large");

    private final String value;

    ErrorCode(String value) {
        this.value = value;
    }

    /** The wire value, e.g. {@code invalid_grant}. */
    public String value() {
        return value;
    }
}
