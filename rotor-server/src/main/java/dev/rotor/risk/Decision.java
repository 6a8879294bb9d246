package dev.rotor.risk;

/** What the risk policy makes of a sign-in or a refresh. */
public enum Decision {
    /** Let it through. */
    ALLOW,
    /** Ask for a second factor first; on success the tokens carry {@code otp} in {@code amr} and the raised {@code acr}. */
    STEP_UP,
    /** Refuse it ({@code access_denied}); on a refresh, revoke the family too. */
    DENY
}
