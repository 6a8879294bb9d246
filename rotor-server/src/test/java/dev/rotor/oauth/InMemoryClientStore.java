package dev.rotor.oauth;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** {@link ClientStore} in memory for unit tests; counts look-ups so tests can see the registry's cache at work. */
public final class InMemoryClientStore implements ClientStore {
    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    private final Map<String, Integer> liveSessions = new ConcurrentHashMap<>();
    private final List<Session> sessions = new CopyOnWriteArrayList<>();
    private int finds;

    /** A session as far as clients care: whose it is, when it ends, whether it was revoked. */
    private record Session(String clientId, Instant expiresAt, boolean revoked) {}

    @Override
    public synchronized Optional<Client> find(String id) {
        finds++;
        return Optional.ofNullable(clients.get(id));
    }

    @Override
    public void add(Client client) {
        if (clients.putIfAbsent(client.id(), client) != null) throw new IllegalArgumentException("client '" + client.id() + "' exists");
    }

    @Override
    public List<Client> list() {
        return clients.values().stream().sorted(Comparator.comparing(Client::id)).toList();
    }

    @Override
    public synchronized boolean replace(Client client, String expectedSecretHash) {
        Client current = clients.get(client.id());
        if (current == null || !Objects.equals(current.secretHash(), expectedSecretHash)) return false;
        clients.put(client.id(), client);
        return true;
    }

    /** Sessions are not modelled here unless a test adds them: a test sets how many live sessions a client has. */
    public void setLiveSessions(String id, int n) {
        liveSessions.put(id, n);
    }

    /** Gives the client a session that ends at {@code expiresAt}, revoked or not, for what {@link #liveSessions} and {@link #remove} see. */
    public void addSession(String id, Instant expiresAt, boolean revoked) {
        sessions.add(new Session(id, expiresAt, revoked));
    }

    /** The sessions added with {@link #addSession} that the client still has. */
    public synchronized int sessionsOf(String id) {
        return (int) sessions.stream().filter(s -> s.clientId().equals(id)).count();
    }

    @Override
    public synchronized int liveSessions(String id, Instant now) {
        long live = sessions.stream().filter(s -> s.clientId().equals(id) && !s.revoked() && s.expiresAt().isAfter(now)).count();
        return liveSessions.getOrDefault(id, 0) + (int) live;
    }

    @Override
    public synchronized int remove(String id) {
        if (clients.remove(id) == null) return -1;
        Integer n = liveSessions.remove(id);
        int added = sessionsOf(id);
        sessions.removeIf(s -> s.clientId().equals(id));
        return (n == null ? 0 : n) + added;
    }

    public synchronized int finds() {
        return finds;
    }
}
