package dev.rotor.oauth;

/** The one exception the core throws for a refused request; the HTTP layer renders its {@link OAuthError}. */
public final class OAuthException extends RuntimeException {
    private final transient OAuthError error;

    public OAuthException(OAuthError error) {
        super(error.code().value() + ": " + error.detail(), null, false, false);
        this.error = error;
    }

    public OAuthException(ErrorCode code, String description) {
        this(OAuthError.of(code, description));
    }

    public OAuthException(ErrorCode code, String description, String detail) {
        this(new OAuthError(code, description, detail));
    }

    public OAuthError error() {
        return error;
    }
}
