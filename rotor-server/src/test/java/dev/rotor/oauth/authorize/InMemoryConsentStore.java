package dev.rotor.oauth.authorize;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link ConsentStore} in memory for unit tests; checked by the same contract as the SQL store. */
public final class InMemoryConsentStore implements ConsentStore {
    private final Map<List<String>, Consent> consents = new ConcurrentHashMap<>();

    @Override
    public Optional<Consent> find(String userId, String clientId) {
        return Optional.ofNullable(consents.get(List.of(userId, clientId)));
    }

    @Override
    public void save(Consent consent) {
        consents.put(List.of(consent.userId(), consent.clientId()), consent);
    }

    @Override
    public List<Consent> list(String userId) {
        return consents.values().stream().filter(c -> c.userId().equals(userId)).sorted(Comparator.comparing(Consent::clientId)).toList();
    }

    @Override
    public boolean delete(String userId, String clientId) {
        return consents.remove(List.of(userId, clientId)) != null;
    }
}
