package dev.rotor.session;

/** What one rotation step decided; the store applies it in the same transaction it read the state in. */
public enum Decision {
    /** Current token: mark it used, insert the successor, touch the family. */
    ROTATE,
    /** Retry within the grace window while the successor is still current: hand the same successor back. */
    GRACE_REPLAY,
    /** Used token presented again outside the grace rules: revoke the whole family and audit both uses. */
    REUSE,
    /** No such token. */
    UNKNOWN,
    /** The family is past its absolute or idle lifetime. */
    EXPIRED,
    /** The family was revoked before. */
    REVOKED,
    /** The token belongs to another client (RFC 6749 §6): refused, nothing changes. */
    WRONG_CLIENT
}
