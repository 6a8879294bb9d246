package dev.rotor.session;

import dev.rotor.audit.AuditEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@link RefreshTokenStore} in memory for unit tests: the narrow port and nothing more (no rotation rule runs
 * here). Every method is synchronized, which makes each one a transaction. Audit events appended by the store are
 * kept in {@link #events()}; {@link #addLegacyToken} plants a token of the old format.
 */
public final class InMemoryRefreshTokenStore implements RefreshTokenStore {
    private final Map<String, RefreshTokenFamily> families = new LinkedHashMap<>();
    private final Map<String, TreeMap<Integer, TokenUse>> uses = new HashMap<>();
    private final Map<String, PresentedToken> legacy = new HashMap<>();
    private final List<AuditEvent> events = new ArrayList<>();
    private final List<LogoutNotice> notices = new ArrayList<>();
    private int familyReads;

    @Override
    public synchronized void create(RefreshTokenFamily family, AuditEvent event) {
        if (families.containsKey(family.id())) throw new IllegalArgumentException("family " + family.id() + " exists");
        families.put(family.id(), family);
        events.add(event);
    }

    /** A family of the old format: stored as the migration leaves it, with the hash of its current token. */
    public synchronized void addLegacyToken(String familyId, int generation, String hash) {
        legacy.put(hash, new PresentedToken(familyId, generation, hash));
    }

    @Override
    public synchronized Optional<RefreshTokenFamily> find(String familyId) {
        familyReads++;
        return Optional.ofNullable(families.get(familyId));
    }

    @Override
    public synchronized Optional<PresentedToken> findLegacy(String tokenHash) {
        return Optional.ofNullable(legacy.get(tokenHash));
    }

    @Override
    public synchronized Optional<TokenUse> findUse(String familyId, int generation) {
        return Optional.ofNullable(uses.getOrDefault(familyId, new TreeMap<>()).get(generation));
    }

    @Override
    public synchronized List<TokenUse> uses(String familyId) {
        return List.copyOf(uses.getOrDefault(familyId, new TreeMap<>()).descendingMap().values());
    }

    @Override
    public synchronized boolean apply(FamilyChange change) {
        RefreshTokenFamily stored = families.get(change.familyId());
        if (stored == null) return false;
        switch (change) {
            case FamilyChange.Rotate r -> {
                if (stored.generation() != r.fromGeneration() || stored.isRevoked()) return false;
                families.put(stored.id(), r.after());
                TreeMap<Integer, TokenUse> history = uses.computeIfAbsent(stored.id(), k -> new TreeMap<>());
                history.put(r.use().generation(), r.use());
                TokenUse leaving = history.get(r.use().generation() - r.keepRecent());
                if (leaving != null && !leaving.changed()) history.remove(leaving.generation());
                List<Integer> changed = history.descendingMap().values().stream().filter(TokenUse::changed).map(TokenUse::generation).toList();
                for (int g : changed.subList(Math.min(changed.size(), r.keepChanged()), changed.size())) history.remove(g);
            }
            case FamilyChange.Retry r -> {
                if (stored.generation() != r.after().generation() || stored.isRevoked()) return false;
                families.put(stored.id(), stored.touched(r.after().lastUsedAt(), r.after().lastIp(), r.after().lastUserAgent()));
            }
            case FamilyChange.Revoke r -> {
                if (stored.isRevoked()) return false;
                families.put(stored.id(), stored.revoked(r.after().revokedAt(), r.after().revokeReason()));
                events.add(r.event());
                notices.addAll(r.notices());
            }
        }
        return true;
    }

    @Override
    public synchronized List<RefreshTokenFamily> listForUser(String userId, Instant now) {
        return live(now).stream().filter(f -> f.userId().equals(userId)).toList();
    }

    @Override
    public synchronized List<RefreshTokenFamily> listActive(Instant now, int limit) {
        return live(now).stream().limit(limit).toList();
    }

    private List<RefreshTokenFamily> live(Instant now) {
        return families.values().stream().filter(f -> !f.isRevoked() && f.expiresAt().isAfter(now))
                .sorted(Comparator.comparing(RefreshTokenFamily::createdAt).reversed()).toList();
    }

    @Override
    public synchronized int revokeAllForUser(String userId, String reason, Instant now, AuditEvent event, List<LogoutNotice> queued) {
        notices.addAll(queued);
        int n = 0;
        for (RefreshTokenFamily f : List.copyOf(families.values())) {
            if (f.userId().equals(userId) && !f.isRevoked()) {
                families.put(f.id(), f.revoked(now, reason));
                n++;
            }
        }
        Map<String, String> detail = new HashMap<>(event.detail());
        detail.put("sessions", Integer.toString(n));
        events.add(new AuditEvent(0, event.at(), event.type(), event.userId(), event.sessionId(), event.clientId(), event.request(), detail));
        return n;
    }

    @Override
    public synchronized int deleteExpired(Instant expiredBefore) {
        List<String> gone = families.values().stream().filter(f -> f.expiresAt().isBefore(expiredBefore)).map(RefreshTokenFamily::id).toList();
        for (String id : gone) {
            families.remove(id);
            uses.remove(id);
        }
        legacy.values().removeIf(t -> gone.contains(t.familyId()));
        return gone.size();
    }

    /** How many times {@link #find} was called. */
    public synchronized int familyReads() {
        return familyReads;
    }

    public synchronized List<AuditEvent> events() {
        return List.copyOf(events);
    }

    /** Back-channel logouts queued with revocations, oldest first. */
    public synchronized List<LogoutNotice> notices() {
        return List.copyOf(notices);
    }
}
