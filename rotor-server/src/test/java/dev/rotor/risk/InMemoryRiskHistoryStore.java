package dev.rotor.risk;

import dev.rotor.risk.RiskHistory.LastSignIn;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** {@link RiskHistoryStore} in memory for unit tests and benchmarks; checked by the same contract as the SQL store. */
public final class InMemoryRiskHistoryStore implements RiskHistoryStore {
    private enum Kind { DEVICE, NETWORK, COUNTRY }

    private record Key(String userId, Kind kind) {}

    private final Map<Key, Map<String, Instant>> known = new HashMap<>();
    private final Map<String, LastSignIn> last = new HashMap<>();

    @Override
    public synchronized RiskHistory find(String userId) {
        return new RiskHistory(values(userId, Kind.DEVICE), values(userId, Kind.NETWORK), values(userId, Kind.COUNTRY), last.get(userId));
    }

    private Set<String> values(String userId, Kind kind) {
        return Set.copyOf(known.getOrDefault(new Key(userId, kind), Map.of()).keySet());
    }

    @Override
    public synchronized void recordSignIn(String userId, String deviceHash, List<String> networks, String country, LastSignIn event, int keep) {
        if (deviceHash != null) see(userId, Kind.DEVICE, deviceHash, event.at(), keep);
        for (String n : networks) see(userId, Kind.NETWORK, n, event.at(), keep);
        if (country != null) see(userId, Kind.COUNTRY, country, event.at(), keep);
        last.merge(userId, event, (old, now) -> old.at().isAfter(now.at()) ? old : now);
    }

    private void see(String userId, Kind kind, String value, Instant at, int keep) {
        Map<String, Instant> seen = known.computeIfAbsent(new Key(userId, kind), k -> new HashMap<>());
        seen.merge(value, at, (old, now) -> old.isAfter(now) ? old : now);
        Set<String> kept = seen.entrySet().stream()
                .sorted(Map.Entry.<String, Instant>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder())))
                .limit(keep).map(Map.Entry::getKey).collect(Collectors.toSet());
        seen.keySet().retainAll(kept);
    }

    @Override
    public synchronized void forget(String userId) {
        known.keySet().removeIf(k -> k.userId().equals(userId));
        last.remove(userId);
    }
}
