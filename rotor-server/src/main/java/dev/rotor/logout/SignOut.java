package dev.rotor.logout;

import dev.rotor.audit.RequestInfo;
import dev.rotor.session.RefreshTokenFamily;
import dev.rotor.session.Sessions;
import dev.rotor.sso.SsoSession;
import dev.rotor.sso.SsoSessionStore;
import dev.rotor.sso.SsoSessions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Ends single sign-on sessions and what they started, and tells the clients that took part (Back-Channel Logout 1.0).
 * A family revoked here queues its logout token in its own transaction ({@link Sessions#revoke}); the clients of a
 * session whose families are gone already (expired, deleted, or revoked before) are queued after, because their
 * sessions of their own, signed in with our ID token, may outlive the family. The outbox keeps one undelivered token
 * per client, user and {@code sid}, so a client queued both ways hears once.
 */
public final class SignOut {
    private final SsoSessions sso;
    private final Sessions sessions;
    private final LogoutNotifier notifier;
    private final LogoutOutbox outbox;
    private final Clock clock;

    public SignOut(SsoSessions sso, Sessions sessions, LogoutNotifier notifier, LogoutOutbox outbox, Clock clock) {
        this.sso = sso;
        this.sessions = sessions;
        this.notifier = notifier;
        this.outbox = outbox;
        this.clock = clock;
    }

    /**
     * Ends the single sign-on session and, when {@code alsoApps}, the live families it started, telling their clients.
     * Without {@code alsoApps} the apps stay signed in, so no client is told. True when this call ended the session.
     */
    public boolean end(SsoSession session, boolean alsoApps, String reason, RequestInfo request) {
        boolean ended = sso.end(session, reason, request);
        if (alsoApps) endApps(session.id(), session.userId(), reason, request);
        return ended;
    }

    /**
     * Disabling a user: every single sign-on session and every family ends, and every client that took part hears;
     * returns how many families were revoked.
     */
    public int endAllForUser(String userId, String reason, RequestInfo request) {
        int revoked = sessions.revokeAll(userId, reason, request);
        for (String sid : sso.endAllForUser(userId, reason, request)) tell(sid, userId);
        return revoked;
    }

    private void endApps(String sid, String userId, String reason, RequestInfo request) {
        for (SsoSessionStore.Link link : sso.families(sid)) {
            Optional<RefreshTokenFamily> family = sessions.find(link.familyId()).filter(f -> !f.isRevoked());
            family.ifPresent(f -> sessions.revoke(f, reason, Map.of("sso_session", sid), request));
        }
        tell(sid, userId);
    }

    private void tell(String sid, String userId) {
        List<SsoSessionStore.Link> links = sso.families(sid);
        outbox.enqueue(notifier.forSsoSession(sid, userId, links), clock.instant());
    }
}
