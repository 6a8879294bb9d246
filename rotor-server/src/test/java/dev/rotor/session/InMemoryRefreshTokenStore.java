package dev.rotor.session;

import dev.rotor.audit.AuditEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@link RefreshTokenStore} in memory for unit tests. Every method is synchronized, which makes each one a
 * transaction; {@link #rotate} reads, asks {@link RotationRules#decide} and applies the decision exactly as
 * {@code store/JdbcRefreshTokenStore} does. Audit events appended by the store are kept in {@link #events()}.
 */
public final class InMemoryRefreshTokenStore implements RefreshTokenStore {
    private static final String REUSE_REASON = "refresh_token_reuse";

    private record Family(Session session, String currentHash) {}

    private final Map<String, Family> families = new LinkedHashMap<>();
    private final Map<String, TokenState> tokens = new HashMap<>();
    private final List<AuditEvent> events = new ArrayList<>();

    @Override
    public synchronized void create(Session session, String firstTokenHash, AuditEvent event) {
        if (families.containsKey(session.id())) throw new IllegalArgumentException("session " + session.id() + " exists");
        if (tokens.containsKey(firstTokenHash)) throw new IllegalArgumentException("token hash exists");
        families.put(session.id(), new Family(session, firstTokenHash));
        tokens.put(firstTokenHash, new TokenState(firstTokenHash, session.id(), session.generation(), session.createdAt(),
                null, null, null, null, null, null));
        events.add(event);
    }

    @Override
    public synchronized RotationResult rotate(RotationAttempt a, RotationRules rules) {
        TokenState row = tokens.get(a.tokenHash());
        if (row == null) return new RotationResult(Decision.UNKNOWN, null, null);
        // A used token sees its successor's sealed plaintext, which is kept on the successor's row.
        TokenState token = row.isUsed() ? withSuccessorSecret(row) : row;
        Family family = families.get(token.sessionId());
        Decision decision = rules.decide(token, family.session(), family.currentHash(), a);
        Session after = switch (decision) {
            case ROTATE -> applyRotation(token, family, a, rules.graceUntil(a));
            case GRACE_REPLAY -> touch(family, a);
            case REUSE -> revokeForReuse(token, family, a, rules);
            case UNKNOWN, EXPIRED, REVOKED, WRONG_CLIENT -> family.session();
        };
        return new RotationResult(decision, after, token);
    }

    private TokenState withSuccessorSecret(TokenState t) {
        if (t.successorHash() == null) return t;
        TokenState successor = tokens.get(t.successorHash());
        return withSecret(t, successor == null ? null : successor.graceSealed());
    }

    private Session applyRotation(TokenState t, Family f, RotationAttempt a, Instant graceUntil) {
        if (t.isUsed()) throw new IllegalStateException("refresh token consumed twice");
        // The consumed token's own secret goes with it; the successor keeps its sealed plaintext for the window.
        tokens.put(t.hash(), new TokenState(t.hash(), t.sessionId(), t.generation(), t.createdAt(), a.now(), a.request().ip(),
                a.request().userAgent(), a.successor().hash(), null, graceUntil));
        int generation = t.generation() + 1;
        tokens.put(a.successor().hash(), new TokenState(a.successor().hash(), t.sessionId(), generation, a.now(),
                null, null, null, null, graceUntil == null ? null : a.sealedSuccessor(), null));
        Session after = f.session().usedAt(a.now(), a.request().ip(), a.request().userAgent(), generation);
        families.put(after.id(), new Family(after, a.successor().hash()));
        return after;
    }

    private Session touch(Family f, RotationAttempt a) {
        Session after = f.session().usedAt(a.now(), a.request().ip(), a.request().userAgent(), f.session().generation());
        families.put(after.id(), new Family(after, f.currentHash()));
        return after;
    }

    private Session revokeForReuse(TokenState t, Family f, RotationAttempt a, RotationRules rules) {
        revokeFamily(f.session().id(), REUSE_REASON, a.now());
        events.add(rules.reuseEvent(t, f.session(), a));
        return families.get(f.session().id()).session();
    }

    /** Revokes a family and wipes its grace secret (only its current token can hold one); false when not live. */
    private boolean revokeFamily(String sessionId, String reason, Instant now) {
        Family f = families.get(sessionId);
        if (f == null) return false;
        tokens.computeIfPresent(f.currentHash(), (hash, t) -> withSecret(t, null));
        if (f.session().isRevoked()) return false;
        families.put(sessionId, new Family(f.session().revoked(now, reason), f.currentHash()));
        return true;
    }

    private static TokenState withSecret(TokenState t, byte[] sealed) {
        return new TokenState(t.hash(), t.sessionId(), t.generation(), t.createdAt(), t.usedAt(), t.usedIp(), t.usedUserAgent(),
                t.successorHash(), sealed, t.graceUntil());
    }

    @Override
    public synchronized Optional<Session> findByTokenHash(String tokenHash) {
        TokenState t = tokens.get(tokenHash);
        return t == null ? Optional.empty() : Optional.of(families.get(t.sessionId()).session());
    }

    @Override
    public synchronized Optional<Session> find(String sessionId) {
        return Optional.ofNullable(families.get(sessionId)).map(Family::session);
    }

    @Override
    public synchronized List<Session> listForUser(String userId, Instant now) {
        return live(now).filter(s -> s.userId().equals(userId)).limit(1000).toList();
    }

    @Override
    public synchronized List<Session> listActive(Instant now, int limit) {
        return live(now).limit(limit).toList();
    }

    private java.util.stream.Stream<Session> live(Instant now) {
        return families.values().stream().map(Family::session)
                .filter(s -> !s.isRevoked() && s.expiresAt().isAfter(now))
                .sorted(Comparator.comparing(Session::createdAt).reversed());
    }

    @Override
    public synchronized boolean revoke(String sessionId, String reason, Instant now, AuditEvent event) {
        boolean revoked = revokeFamily(sessionId, reason, now);
        if (revoked) events.add(event);
        return revoked;
    }

    @Override
    public synchronized int revokeAllForUser(String userId, String reason, Instant now, AuditEvent event) {
        int n = 0;
        for (String id : List.copyOf(families.keySet())) {
            Session s = families.get(id).session();
            if (s.userId().equals(userId) && !s.isRevoked() && revokeFamily(id, reason, now)) n++;
        }
        Map<String, String> detail = new HashMap<>(event.detail());
        detail.put("sessions", Integer.toString(n));
        events.add(new AuditEvent(0, event.at(), event.type(), event.userId(), event.sessionId(), event.clientId(), event.request(),
                detail));
        return n;
    }

    @Override
    public synchronized int wipeGraceSecrets(Instant createdBefore) {
        int wiped = 0;
        for (TokenState t : List.copyOf(tokens.values())) {
            if (t.graceSealed() != null && t.createdAt().isBefore(createdBefore)) {
                tokens.put(t.hash(), withSecret(t, null));
                wiped++;
            }
        }
        return wiped;
    }

    @Override
    public synchronized int deleteExpired(Instant expiredBefore) {
        Set<String> dead = new HashSet<>();
        for (Family f : families.values()) {
            if (f.session().expiresAt().isBefore(expiredBefore)) dead.add(f.session().id());
        }
        tokens.values().removeIf(t -> dead.contains(t.sessionId()));
        families.keySet().removeAll(dead);
        return dead.size();
    }

    /** Audit events the store appended, oldest first. */
    public synchronized List<AuditEvent> events() {
        return List.copyOf(events);
    }

    /**
     * The stored row of a token hash, for assertions on what is kept at rest. As in the SQL store, a successor's
     * sealed plaintext is kept on the successor's own row.
     */
    public synchronized Optional<TokenState> token(String hash) {
        return Optional.ofNullable(tokens.get(hash));
    }
}
