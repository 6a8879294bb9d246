package dev.rotor.session;

import dev.rotor.audit.AuditEvent;
import java.util.List;

/**
 * The changes the core asks a {@link RefreshTokenStore} to apply to one family. Each is conditional on the state
 * the core decided on, and the store reports whether it took effect: false means another request changed the
 * family in between (the core then reads it again and decides again), never an error.
 */
public sealed interface FamilyChange {

    String familyId();

    /**
     * The family's current token was used: {@code after} (generation + 1) becomes the family's state, if the family
     * still is at {@code fromGeneration} and not revoked. Records {@code use} in the family's history and forgets
     * older uses: at most {@code keepRecent} of the latest uses are kept, plus at most {@code keepChanged} of the
     * latest uses that came from another IP or user agent.
     */
    record Rotate(int fromGeneration, RefreshTokenFamily after, TokenUse use, int keepRecent, int keepChanged)
            implements FamilyChange {
        public String familyId() {
            return after.id();
        }
    }

    /**
     * A retry of the used token whose successor is still current: only the last use (time, IP, user agent) of
     * {@code after} is written, if the family still is at {@code after.generation()} and not revoked.
     */
    record Retry(RefreshTokenFamily after) implements FamilyChange {
        public String familyId() {
            return after.id();
        }
    }

    /**
     * Revokes the family with {@code event}, if it is not revoked yet, and queues {@code notices} (back-channel logouts)
     * in the same transaction; nothing of it is written when the family was revoked already.
     */
    record Revoke(RefreshTokenFamily after, AuditEvent event, List<LogoutNotice> notices) implements FamilyChange {
        public Revoke {
            notices = List.copyOf(notices);
        }

        public Revoke(RefreshTokenFamily after, AuditEvent event) {
            this(after, event, List.of());
        }

        public String familyId() {
            return after.id();
        }
    }
}
