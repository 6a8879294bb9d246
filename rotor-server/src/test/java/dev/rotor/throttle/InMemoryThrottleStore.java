package dev.rotor.throttle;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@link ThrottleStore} in a map, for unit tests of the rules; the contract test holds it to what the database does. */
public final class InMemoryThrottleStore implements ThrottleStore {
    private final Map<String, Counter> counters = new HashMap<>();

    @Override
    public synchronized List<Counter> find(List<String> keys) {
        List<Counter> out = new ArrayList<>();
        for (String k : keys) if (counters.containsKey(k)) out.add(counters.get(k));
        return out;
    }

    @Override
    public synchronized Counter recordFailure(String key, Instant now, Instant windowCutoff) {
        Counter c = counters.get(key);
        Counter next = c == null ? new Counter(key, 1, now, null)
                : c.windowStart().isBefore(windowCutoff) ? new Counter(key, 1, now, c.blockedUntil())
                : new Counter(key, c.failures() + 1, c.windowStart(), c.blockedUntil());
        counters.put(key, next);
        return next;
    }

    @Override
    public synchronized void blockUntil(String key, Instant until) {
        Counter c = counters.get(key);
        if (c != null && (c.blockedUntil() == null || c.blockedUntil().isBefore(until))) {
            counters.put(key, new Counter(key, c.failures(), c.windowStart(), until));
        }
    }

    @Override
    public synchronized void clear(String key) {
        counters.remove(key);
    }

    @Override
    public synchronized int deleteStale(Instant windowCutoff, Instant now) {
        List<String> stale = counters.values().stream()
                .filter(c -> c.windowStart().isBefore(windowCutoff) && (c.blockedUntil() == null || !c.blockedUntil().isAfter(now)))
                .map(Counter::key).toList();
        stale.forEach(counters::remove);
        return stale.size();
    }
}
