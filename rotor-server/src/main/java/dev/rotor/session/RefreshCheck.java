package dev.rotor.session;

import dev.rotor.audit.RequestInfo;
import java.util.List;
import java.util.Map;

/**
 * What a refresh that would hand out tokens is asked before its rotation is written: the risk policy, comparing the
 * request with where the family was created and last used. {@link Sessions} applies the answer (rotates, holds,
 * revokes); the check itself writes nothing but its audit record, so a held or denied refresh consumes no token.
 */
@FunctionalInterface
public interface RefreshCheck {
    /** Every refresh goes through: for tests of other things and for tools that never refresh. */
    RefreshCheck NONE = (family, channel, request) -> new Verdict.Allow();

    /** @param channel where the token was presented (a held refresh is finished there) */
    Verdict check(RefreshTokenFamily family, RefreshTokenFamily.Channel channel, RequestInfo request);

    /** The check's answer. */
    sealed interface Verdict {
        record Allow() implements Verdict {}

        /**
         * A second factor first: nothing changes; the holder finishes with {@code mfaToken} and a code (and the same
         * refresh token).
         */
        record StepUp(String mfaToken, List<String> methods) implements Verdict {
            public StepUp {
                methods = List.copyOf(methods);
            }

            @Override
            public String toString() {
                return "StepUp[methods=" + methods + "]";
            }
        }

        /** Refused: the family is revoked, and {@code detail} (the risk decision, never a secret) goes with the revocation. */
        record Deny(Map<String, String> detail) implements Verdict {
            public Deny {
                detail = Map.copyOf(detail);
            }
        }
    }
}
