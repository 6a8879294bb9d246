package dev.rotor.oauth;

import java.util.Arrays;
import java.util.Optional;

/** The grant types Rotor knows, by their registered names (RFC 6749 §4, IANA "OAuth Parameters"). */
public enum GrantType {
    AUTHORIZATION_CODE("authorization_code"),
    REFRESH_TOKEN("refresh_token"),
    CLIENT_CREDENTIALS("client_credentials"),
    PASSWORD("password"),
    /**
     * Finishes a password grant held for a second factor ({@code mfa_token} with {@code otp} or
     * {@code recovery_code}). Not registered on its own: a client that may use the password grant may use it.
     */
    MFA_OTP("urn:rotor:params:oauth:grant-type:mfa-otp");

    private final String value;

    GrantType(String value) {
        this.value = value;
    }

    /** The {@code grant_type} value, e.g. {@code refresh_token}. */
    public String value() {
        return value;
    }

    /** Empty for a name Rotor does not know. */
    public static Optional<GrantType> named(String value) {
        return Arrays.stream(values()).filter(g -> g.value.equals(value)).findFirst();
    }
}
