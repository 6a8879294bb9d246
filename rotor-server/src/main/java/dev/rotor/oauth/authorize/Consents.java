package dev.rotor.oauth.authorize;

import dev.rotor.audit.AuditEvent;
import dev.rotor.audit.AuditLog;
import dev.rotor.audit.RequestInfo;
import dev.rotor.session.RefreshTokenFamily;
import dev.rotor.session.Sessions;
import dev.rotor.oauth.Scopes;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** What each user allowed each client: remembered per user and client, widened as the user allows more, withdrawable. */
public final class Consents {
    public static final String WITHDRAWN = "consent_withdrawn";

    private final ConsentStore store;
    private final Sessions sessions;
    private final AuditLog audit;
    private final Clock clock;

    public Consents(ConsentStore store, Sessions sessions, AuditLog audit, Clock clock) {
        this.store = store;
        this.sessions = sessions;
        this.audit = audit;
        this.clock = clock;
    }

    /** True when the user allowed the client every scope in {@code scope}. */
    public boolean covers(String userId, String clientId, String scope) {
        return store.find(userId, clientId).map(c -> Scopes.parse(c.scope()).containsAll(Scopes.parse(scope))).orElse(false);
    }

    /** Adds {@code scope} to what the user allowed the client. */
    public void allow(String userId, String clientId, String scope) {
        Set<String> all = new LinkedHashSet<>();
        store.find(userId, clientId).ifPresent(c -> all.addAll(Scopes.parse(c.scope())));
        all.addAll(Scopes.parse(scope));
        store.save(new ConsentStore.Consent(userId, clientId, String.join(" ", all), clock.instant()));
    }

    /** The user's consents, by client id; empty when there are none. */
    public List<ConsentStore.Consent> list(String userId) {
        return store.list(userId);
    }

    /** The user's consent for the client; empty when there is none. */
    public Optional<ConsentStore.Consent> find(String userId, String clientId) {
        return store.find(userId, clientId);
    }

    /**
     * Withdraws the user's consent for the client and ends the user's sessions of that client, which the consent was
     * what allowed (as deleting a grant does elsewhere), with a {@code consent.withdrawn} event; true when there was a
     * consent. Without one nothing changes: a first-party client's sessions, which no consent allowed, stay.
     */
    public boolean withdraw(String userId, String clientId, RequestInfo request) {
        Optional<ConsentStore.Consent> had = store.find(userId, clientId);
        // Only the call whose delete removed the row ends the sessions and audits; a concurrent twin finds nothing.
        if (had.isEmpty() || !store.delete(userId, clientId)) return false;
        int ended = 0;
        for (RefreshTokenFamily f : sessions.activeFor(userId)) {
            if (f.clientId().equals(clientId) && sessions.revoke(f, WITHDRAWN, request)) ended++;
        }
        Instant now = clock.instant();
        Map<String, String> detail = new LinkedHashMap<>();
        detail.put("scope", had.get().scope());
        detail.put("sessions_ended", Integer.toString(ended));
        audit.record(AuditEvent.of(now, "consent.withdrawn", userId, null, clientId, request, detail));
        return true;
    }
}
