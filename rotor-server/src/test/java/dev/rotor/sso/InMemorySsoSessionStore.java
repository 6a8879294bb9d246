package dev.rotor.sso;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link SsoSessionStore} in memory for unit tests; checked by the same contract as the SQL store. */
public final class InMemorySsoSessionStore implements SsoSessionStore {
    private final Map<String, SsoSession> sessions = new HashMap<>();
    private final Map<String, String> idBySecretHash = new HashMap<>();
    private final List<StoredLink> links = new ArrayList<>();

    private record StoredLink(String ssoSessionId, Link link, Instant createdAt) {}

    @Override
    public synchronized void create(SsoSession session, String secretHash) {
        if (sessions.containsKey(session.id()) || idBySecretHash.containsKey(secretHash)) {
            throw new IllegalStateException("session id or secret hash exists");
        }
        sessions.put(session.id(), session);
        idBySecretHash.put(secretHash, session.id());
    }

    @Override
    public synchronized Optional<SsoSession> findBySecretHash(String secretHash) {
        return Optional.ofNullable(idBySecretHash.get(secretHash)).map(sessions::get);
    }

    @Override
    public synchronized Optional<SsoSession> find(String id) {
        return Optional.ofNullable(sessions.get(id));
    }

    @Override
    public synchronized void linkFamily(String ssoSessionId, String familyId, String clientId, Instant now) {
        boolean linked = links.stream().anyMatch(l -> l.ssoSessionId().equals(ssoSessionId) && l.link().familyId().equals(familyId));
        if (!linked) links.add(new StoredLink(ssoSessionId, new Link(familyId, clientId), now));
    }

    @Override
    public synchronized List<Link> families(String ssoSessionId) {
        return links.stream().filter(l -> l.ssoSessionId().equals(ssoSessionId))
                .sorted(Comparator.comparing(StoredLink::createdAt).thenComparing(l -> l.link().familyId()))
                .map(StoredLink::link).toList();
    }

    @Override
    public synchronized Optional<String> sessionOfFamily(String familyId) {
        return links.stream().filter(l -> l.link().familyId().equals(familyId)).map(StoredLink::ssoSessionId).findFirst();
    }

    @Override
    public synchronized boolean end(String id, String reason, Instant now) {
        SsoSession s = sessions.get(id);
        if (s == null || s.endedAt() != null) return false;
        sessions.put(id, ended(s, reason, now));
        return true;
    }

    @Override
    public synchronized List<String> endAllForUser(String userId, String reason, Instant now) {
        List<String> ended = new ArrayList<>();
        for (SsoSession s : List.copyOf(sessions.values())) {
            if (s.userId().equals(userId) && s.endedAt() == null && s.expiresAt().isAfter(now)) {
                sessions.put(s.id(), ended(s, reason, now));
                ended.add(s.id());
            }
        }
        return ended;
    }

    @Override
    public synchronized int deleteExpired(Instant before) {
        List<String> gone = sessions.values().stream()
                .filter(s -> s.expiresAt().isBefore(before) || (s.endedAt() != null && s.endedAt().isBefore(before)))
                .map(SsoSession::id).toList();
        gone.forEach(sessions::remove);
        idBySecretHash.values().removeIf(gone::contains);
        links.removeIf(l -> gone.contains(l.ssoSessionId()));
        return gone.size();
    }

    private static SsoSession ended(SsoSession s, String reason, Instant now) {
        return new SsoSession(s.id(), s.userId(), s.authTime(), s.amr(), s.acr(), s.createdAt(), s.expiresAt(), s.lastSeenAt(), s.ip(),
                s.userAgent(), now, reason);
    }
}
