package dev.rotor.oauth;

/**
 * Every error value the core refuses a request with, each with the HTTP status it answers by default. The RFC 6749
 * values come first; the rest are OpenID Connect's and the first-party API's own, in the same
 * {@code {"error", "error_description"}} shape. Errors of HTTP itself (no such route, a body too large) are the HTTP
 * layer's ({@code http/HttpFailure}).
 */
public enum ErrorCode {
    // RFC 6749 §5.2
    INVALID_REQUEST("invalid_request", 400),
    INVALID_CLIENT("invalid_client", 401),
    INVALID_GRANT("invalid_grant", 400),
    UNAUTHORIZED_CLIENT("unauthorized_client", 400),
    UNSUPPORTED_GRANT_TYPE("unsupported_grant_type", 400),
    INVALID_SCOPE("invalid_scope", 400),
    // RFC 6749 §4.1.2.1 (the authorization endpoint answers these by redirect when the redirect URI is valid)
    UNSUPPORTED_RESPONSE_TYPE("unsupported_response_type", 400),
    ACCESS_DENIED("access_denied", 403),
    SERVER_ERROR("server_error", 500),
    TEMPORARILY_UNAVAILABLE("temporarily_unavailable", 503),
    // OpenID Connect Core §3.1.2.6
    LOGIN_REQUIRED("login_required", 400),
    CONSENT_REQUIRED("consent_required", 400),
    INTERACTION_REQUIRED("interaction_required", 400),
    REQUEST_NOT_SUPPORTED("request_not_supported", 400),
    REQUEST_URI_NOT_SUPPORTED("request_uri_not_supported", 400),
    // RFC 7009 §2.2.1
    UNSUPPORTED_TOKEN_TYPE("unsupported_token_type", 400),
    // RFC 6750 §3.1
    INVALID_TOKEN("invalid_token", 401),
    INSUFFICIENT_SCOPE("insufficient_scope", 403),
    // RFC 9470 §3: the user's authentication is too old (or too weak) for this request
    INSUFFICIENT_USER_AUTHENTICATION("insufficient_user_authentication", 401),
    // First-party API
    INVALID_CREDENTIALS("invalid_credentials", 401),
    /** Throttled: with {@code Retry-After}; RFC 8628 §3.5 names the code, and 429 says what it means. */
    SLOW_DOWN("slow_down", 429),
    /** A second factor is asked for; the body carries {@code mfa_token} and {@code mfa_methods}. */
    MFA_REQUIRED("mfa_required", 401),
    INVALID_ORIGIN("invalid_origin", 403),
    /** A TOTP enrolment asked for when the user's TOTP is confirmed already (disable it first). */
    MFA_ALREADY_ENABLED("mfa_already_enabled", 409),
    /** A TOTP confirmation without a pending enrolment, or a disable without a confirmed TOTP. */
    MFA_NOT_ENABLED("mfa_not_enabled", 409);

    private final String value;
    private final int status;

    ErrorCode(String value, int status) {
        this.value = value;
        this.status = status;
    }

    /** The wire value, e.g. {@code invalid_grant}. */
    public String value() {
        return value;
    }

    /** The HTTP status it answers with unless the error says otherwise ({@link OAuthError#withStatus}). */
    public int status() {
        return status;
    }
}
