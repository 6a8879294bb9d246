package dev.rotor.session;

import java.util.List;

/**
 * What one presentation of a refresh token comes to, as {@link RotationRules} decide it and the grants answer it.
 * None carries a token: a family's current token is computed from its id and generation.
 */
public sealed interface RotationOutcome {

    /** The token was current: {@code family} is the family after the rotation, one generation on. */
    record Rotated(RefreshTokenFamily family) implements RotationOutcome {}

    /**
     * The token was used and its successor never presented, within the retry window: the same successor again.
     * Only the family's last use changes.
     */
    record Retried(RefreshTokenFamily family) implements RotationOutcome {}

    /** A used token came back outside the retry rules: {@code family} is revoked, and the reuse audited. */
    record Reused(RefreshTokenFamily family, int presentedGeneration) implements RotationOutcome {}

    /**
     * The risk policy asks for a second factor before this refresh ({@link RefreshCheck}): nothing changed, the token is
     * not consumed; the step-up's {@code mfaToken} and a code finish it.
     */
    record HeldForStepUp(RefreshTokenFamily family, RefreshCheck.Verdict.StepUp stepUp) implements RotationOutcome {
        public String mfaToken() {
            return stepUp.mfaToken();
        }

        public List<String> methods() {
            return stepUp.methods();
        }

        @Override
        public String toString() {
            return "HeldForStepUp[family=" + family.id() + ", " + stepUp + "]";
        }
    }

    /** The risk policy refused this refresh: {@code family} is revoked. */
    record Denied(RefreshTokenFamily family) implements RotationOutcome {}

    /** Refused with nothing changed. */
    record Refused(Reason reason) implements RotationOutcome {}

    enum Reason {
        /** Not a token of this server, or its family is gone. */
        UNKNOWN,
        /** The family is past its absolute or idle lifetime. */
        EXPIRED,
        /** The family was revoked before. */
        REVOKED,
        /** The family's current token, presented by another client (RFC 6749 §6). */
        WRONG_CLIENT,
        /** A cookie family's token at the token endpoint, or the other way round. */
        WRONG_CHANNEL,
        /** The token names a generation the family never reached (the database was restored from an older copy). */
        AHEAD
    }
}
