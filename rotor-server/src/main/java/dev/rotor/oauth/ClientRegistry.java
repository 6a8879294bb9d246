package dev.rotor.oauth;

import dev.rotor.crypto.Digests;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Clients as the request path sees them: cached for a few seconds (the token endpoint looks a client up on every
 * request), so a client added by the CLI while the server runs is visible within {@link #TTL}.
 */
public final class ClientRegistry {
    static final Duration TTL = Duration.ofSeconds(5);
    private final ClientStore store;
    private final Clock clock;
    private final Set<String> globalOrigins;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();
    private volatile Origins allOrigins;

    private record Cached(Optional<Client> client, Instant loadedAt) {}

    private record Origins(Set<String> origins, Instant loadedAt) {}

    /** @param globalOrigins origins allowed for every public client (ROTOR_ALLOWED_ORIGINS) */
    public ClientRegistry(ClientStore store, Clock clock, Set<String> globalOrigins) {
        this.store = store;
        this.clock = clock;
        this.globalOrigins = Set.copyOf(globalOrigins);
    }

    public Optional<Client> find(String id) {
        if (id == null || id.isEmpty() || id.length() > 128) return Optional.empty();
        Instant now = clock.instant();
        Cached c = cache.get(id);
        if (c == null || c.loadedAt.plus(TTL).isBefore(now)) {
            c = new Cached(store.find(id), now);
            if (cache.size() > 10_000) cache.clear(); // unknown ids must not grow the cache without bound
            cache.put(id, c);
        }
        return c.client;
    }

    /** True when {@code origin} may call the cookie API on behalf of this client. */
    public boolean allowsOrigin(Client client, String origin) {
        return origin != null && client.isPublic() && (client.origins().contains(origin) || globalOrigins.contains(origin));
    }

    /**
     * True when {@code origin} is allowed for some client ({@link #allowsOrigin}: a public client's, or a global one):
     * decides whether CORS headers are sent. Origins listed on a confidential client count for nothing, as they do in
     * {@link #allowsOrigin}.
     */
    public boolean isKnownOrigin(String origin) {
        if (origin == null) return false;
        if (globalOrigins.contains(origin)) return true;
        Instant now = clock.instant();
        Origins all = allOrigins;
        if (all == null || all.loadedAt.plus(TTL).isBefore(now)) {
            Set<String> origins = new HashSet<>();
            store.list().stream().filter(Client::isPublic).forEach(c -> origins.addAll(c.origins()));
            all = new Origins(Set.copyOf(origins), now);
            allOrigins = all;
        }
        return all.origins.contains(origin);
    }

    /** SHA-256 of a client secret, base64url. Secrets are at least 32 random characters, so a fast hash suffices. */
    public static String hashSecret(String secret) {
        return Digests.sha256(secret);
    }

    /**
     * Constant-time comparison of a presented secret with the stored hash, and with the previous secret's hash while
     * a rotation's overlap lasts.
     */
    public boolean secretMatches(Client client, String presented) {
        if (client.secretHash() == null || presented == null) return false;
        byte[] hash = hashSecret(presented).getBytes(StandardCharsets.US_ASCII);
        boolean current = MessageDigest.isEqual(hash, client.secretHash().getBytes(StandardCharsets.US_ASCII));
        boolean previous = client.previousSecretHash() != null && clock.instant().isBefore(client.previousSecretExpiresAt())
                && MessageDigest.isEqual(hash, client.previousSecretHash().getBytes(StandardCharsets.US_ASCII));
        return current | previous;
    }
}
