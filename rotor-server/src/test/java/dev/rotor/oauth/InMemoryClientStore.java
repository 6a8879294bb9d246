package dev.rotor.oauth;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link ClientStore} in memory for unit tests; counts look-ups so tests can see the registry's cache at work. */
public final class InMemoryClientStore implements ClientStore {
    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    private final Map<String, Integer> liveSessions = new ConcurrentHashMap<>();
    private int finds;

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

    /** The sessions are not modelled here: a test sets how many live sessions a client has. */
    public void setLiveSessions(String id, int n) {
        liveSessions.put(id, n);
    }

    @Override
    public int liveSessions(String id, Instant now) {
        return liveSessions.getOrDefault(id, 0);
    }

    @Override
    public synchronized int remove(String id) {
        if (clients.remove(id) == null) return -1;
        Integer n = liveSessions.remove(id);
        return n == null ? 0 : n;
    }

    public synchronized int finds() {
        return finds;
    }
}
