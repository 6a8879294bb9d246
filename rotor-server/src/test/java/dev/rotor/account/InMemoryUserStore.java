package dev.rotor.account;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link UserStore} in memory for unit tests; counts password-hash updates. */
public final class InMemoryUserStore implements UserStore {
    private final Map<String, User> byId = new LinkedHashMap<>();
    private int hashUpdates;

    @Override
    public synchronized Optional<User> findByUsername(String username) {
        Optional<User> exact = byId.values().stream().filter(u -> u.username().equals(username)).findFirst();
        if (exact.isPresent()) return exact;
        Optional<String> key = UsernameForms.keyIfValid(username);
        return byId.values().stream().filter(u -> key.equals(UsernameForms.keyIfValid(u.username()))).findFirst();
    }

    @Override
    public synchronized Optional<User> findById(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    @Override
    public synchronized void add(User user) {
        String key = UsernameForms.key(user.username());
        String skeleton = UsernameForms.skeleton(key);
        for (User u : byId.values()) {
            String theirs = UsernameForms.key(u.username());
            if (theirs.equals(key)) throw new IllegalArgumentException("username '" + user.username() + "' is taken");
            if (UsernameForms.skeleton(theirs).equals(skeleton)) {
                throw new IllegalArgumentException("username '" + user.username() + "' looks like an existing user");
            }
        }
        byId.put(user.id(), user);
    }

    @Override
    public synchronized List<User> list() {
        return byId.values().stream().sorted(Comparator.comparing(User::username)).toList();
    }

    @Override
    public synchronized boolean disable(String username) {
        Optional<User> u = findByUsername(username);
        u.ifPresent(x -> byId.put(x.id(), new User(x.id(), x.username(), x.email(), x.name(), x.passwordHash(), true, x.createdAt())));
        return u.isPresent();
    }

    @Override
    public synchronized void updatePasswordHash(String userId, String passwordHash) {
        User x = byId.get(userId);
        if (x == null) return;
        byId.put(userId, new User(x.id(), x.username(), x.email(), x.name(), passwordHash, x.disabled(), x.createdAt()));
        hashUpdates++;
    }

    public synchronized int hashUpdates() {
        return hashUpdates;
    }
}
