package dev.rotor.session;

/** The answer to one refresh, as the grant sees it. */
public sealed interface RotationOutcome {

    /** The token was current; {@code refreshToken} is its new successor. */
    record Rotated(Session session, String refreshToken) implements RotationOutcome {}

    /** An idempotent retry inside the grace window: the same successor as the first attempt got. */
    record GraceReplay(Session session, String refreshToken) implements RotationOutcome {}

    /** A used token came back: the family has been revoked and audited. */
    record Reused(Session session) implements RotationOutcome {}

    /** Unknown, expired, revoked or another client's token; nothing changed. */
    record Refused(Decision reason) implements RotationOutcome {}
}
