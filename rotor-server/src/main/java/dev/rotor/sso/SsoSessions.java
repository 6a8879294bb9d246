package dev.rotor.sso;

import dev.rotor.audit.AuditEvent;
import dev.rotor.audit.AuditLog;
import dev.rotor.audit.RequestInfo;
import dev.rotor.crypto.Base64Url;
import dev.rotor.crypto.Digests;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The browser's single sign-on sessions: started by a password sign-in on the hosted page, found again by the secret
 * in the SSO cookie, ended by logout. The cookie secret is 256 bits from a CSPRNG and stored only as its SHA-256, so a
 * copy of the database signs nobody in.
 */
public final class SsoSessions {
    /** Longest accepted cookie value: anything longer is refused before it is hashed. */
    static final int MAX_SECRET = 64;

    private final SsoSessionStore store;
    private final AuditLog audit;
    private final Clock clock;
    private final SecureRandom random;
    private final Duration lifetime;

    /** @param lifetime how long a session lasts after its sign-in; using it does not extend it */
    public SsoSessions(SsoSessionStore store, AuditLog audit, Clock clock, SecureRandom random, Duration lifetime) {
        this.store = store;
        this.audit = audit;
        this.clock = clock;
        this.random = random;
        this.lifetime = lifetime;
    }

    /** A new session and the secret for its cookie (to hand to the browser once). */
    public record Started(SsoSession session, String cookieSecret) {
        @Override
        public String toString() {
            return "Started[session=" + session.id() + "]";
        }
    }

    public Started start(String userId, List<String> amr, String acr, RequestInfo request) {
        Instant now = clock.instant();
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String cookieSecret = Base64Url.encode(secret);
        SsoSession s = new SsoSession(UUID.randomUUID().toString(), userId, now, amr, acr, now, now.plus(lifetime), now, request.ip(),
                request.userAgent(), null, null);
        store.create(s, Digests.sha256(cookieSecret));
        audit.record(AuditEvent.of(now, "sso.started", userId, null, null, request, Map.of("sso_session", s.id(), "amr", String.join(" ", amr))));
        return new Started(s, cookieSecret);
    }

    /** The live session the cookie names; empty for no cookie, a malformed one, an unknown, ended or expired session. */
    public Optional<SsoSession> current(String cookieSecret) {
        if (cookieSecret == null || cookieSecret.isEmpty() || cookieSecret.length() > MAX_SECRET) return Optional.empty();
        Instant now = clock.instant();
        return store.findBySecretHash(Digests.sha256(cookieSecret)).filter(s -> s.isActive(now));
    }

    public Optional<SsoSession> find(String id) {
        return store.find(id);
    }

    public void linkFamily(SsoSession session, String familyId, String clientId) {
        store.linkFamily(session.id(), familyId, clientId, clock.instant());
    }

    public List<SsoSessionStore.Link> families(String ssoSessionId) {
        return store.families(ssoSessionId);
    }

    public Optional<String> sessionOfFamily(String familyId) {
        return store.sessionOfFamily(familyId);
    }

    /** Ends the session; true when this call ended it (false when it had ended already). */
    public boolean end(SsoSession session, String reason, RequestInfo request) {
        boolean ended = store.end(session.id(), reason, clock.instant());
        if (ended) {
            audit.record(AuditEvent.of(clock.instant(), "sso.ended", session.userId(), null, null, request,
                    Map.of("sso_session", session.id(), "reason", reason)));
        }
        return ended;
    }

    /** Ends every live session of the user, each audited as {@code sso.ended}; returns the ids of those this call ended. */
    public List<String> endAllForUser(String userId, String reason, RequestInfo request) {
        Instant now = clock.instant();
        List<String> ended = store.endAllForUser(userId, reason, now);
        for (String id : ended) {
            audit.record(AuditEvent.of(now, "sso.ended", userId, null, null, request, Map.of("sso_session", id, "reason", reason)));
        }
        return ended;
    }

    public int deleteExpired() {
        return store.deleteExpired(clock.instant());
    }
}
