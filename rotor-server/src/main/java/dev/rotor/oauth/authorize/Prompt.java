package dev.rotor.oauth.authorize;

import java.util.Arrays;
import java.util.Optional;

/** OpenID Connect Core §3.1.2.1 {@code prompt} values. */
public enum Prompt {
    /** Show nothing: answer {@code login_required} or {@code consent_required} when a page would be needed. */
    NONE,
    /** Ask for the password again even when a single sign-on session exists. */
    LOGIN,
    /** Ask for consent again even when it was given before. */
    CONSENT,
    /** Choose an account: one browser has one Rotor sign-in, so this asks for the password, as {@link #LOGIN} does. */
    SELECT_ACCOUNT;

    public static Optional<Prompt> named(String value) {
        return Arrays.stream(values()).filter(p -> p.name().toLowerCase(java.util.Locale.ROOT).equals(value)).findFirst();
    }
}
