package dev.rotor.oauth;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link ClientStore} in memory for unit tests; counts look-ups so tests can see the registry's cache at work. */
public final class InMemoryClientStore implements ClientStore {
    private final Map<String, Client> clients = new ConcurrentHashMap<>();
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

    public synchronized int finds() {
        return finds;
    }
}
