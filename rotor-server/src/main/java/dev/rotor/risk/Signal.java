package dev.rotor.risk;

import java.util.Locale;

/** What the engine looks at. Each reason of an {@link Assessment} names one; {@link #code()} is what the audit log shows. */
public enum Signal {
    NEW_DEVICE,
    NEW_NETWORK,
    NEW_COUNTRY,
    IMPOSSIBLE_TRAVEL,
    /** The IP is on the deny list: a deny whatever the score. */
    DENY_LISTED_IP,
    ACCOUNT_FAILURES,
    IP_FAILURES,
    /** A refresh from a network the family was neither created nor last used on. */
    REFRESH_NETWORK,
    REFRESH_COUNTRY,
    REFRESH_USER_AGENT,
    /** A refresh from another device than the one the session was signed in on (its device cookie or {@code device_id}). */
    REFRESH_DEVICE,
    /** Not scored: explains that a step-up became a deny (or an allow) because the user has no second factor. */
    NO_SECOND_FACTOR;

    /** {@code new_device}, {@code impossible_travel}, ... */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
