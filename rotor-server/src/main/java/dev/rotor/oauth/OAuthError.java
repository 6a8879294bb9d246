package dev.rotor.oauth;

import java.util.Objects;

/**
 * One error answer.
 *
 * @param code        the wire value
 * @param description generic text, safe for any client to read
 * @param detail      specific text for the audit and debug logs; names families by id, never a secret
 */
public record OAuthError(ErrorCode code, String description, String detail) {
    public OAuthError {
        Objects.requireNonNull(code);
        Objects.requireNonNull(description);
        detail = detail == null ? description : detail;
    }

    public static OAuthError of(ErrorCode code, String description) {
        return new OAuthError(code, description, description);
    }
}
