package dev.rotor.oauth.authorize;

import dev.rotor.audit.RequestInfo;
import dev.rotor.session.RefreshTokenFamily;
import dev.rotor.session.Sessions;
import dev.rotor.oauth.Scopes;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** What each user allowed each client: remembered per user and client, widened as the user allows more, withdrawable. */
public final class Consents {
    public static final String WITHDRAWN = "consent_withdrawn";

    private final ConsentStore store;
    private final Sessions sessions;
    private final Clock clock;

    public Consents(ConsentStore store, Sessions sessions, Clock clock) {
        this.store = store;
        this.sessions = sessions;
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

    public List<ConsentStore.Consent> list(String userId) {
        return store.list(userId);
    }

    /**
     * Withdraws the user's consent for the client and ends the user's sessions of that client, which the consent was
     * what allowed (as deleting a grant does elsewhere); true when there was a consent.
     */
    public boolean withdraw(String userId, String clientId, RequestInfo request) {
        boolean had = store.delete(userId, clientId);
        for (RefreshTokenFamily f : sessions.activeFor(userId)) {
            if (f.clientId().equals(clientId)) sessions.revoke(f, WITHDRAWN, request);
        }
        return had;
    }
}
