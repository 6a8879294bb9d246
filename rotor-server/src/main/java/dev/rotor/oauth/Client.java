package dev.rotor.oauth;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A registered OAuth client.
 *
 * @param secretHash   SHA-256 of the secret (base64url) for confidential clients, null for public ones
 * @param grants       grant types it may use, e.g. {@code refresh_token}, {@code password}
 * @param origins      browser origins allowed to call the first-party cookie API for this client
 * @param firstParty   trusted first-party app: may use the password grant
 * @param scope        the scopes it may ask for, space separated
 */
public record Client(String id, Type type, String secretHash, List<String> redirectUris, Set<String> grants,
                     Set<String> origins, boolean firstParty, String scope, Instant createdAt) {

    public enum Type {
        PUBLIC, CONFIDENTIAL;

        public String value() {
            return name().toLowerCase();
        }
    }

    public static final Set<String> KNOWN_GRANTS = Set.of("authorization_code", "refresh_token", "client_credentials", "password");

    public Client {
        Objects.requireNonNull(id);
        Objects.requireNonNull(type);
        redirectUris = List.copyOf(redirectUris);
        grants = Set.copyOf(grants);
        origins = Set.copyOf(origins);
        if (type == Type.CONFIDENTIAL && secretHash == null) throw new IllegalArgumentException("a confidential client needs a secret");
        if (type == Type.PUBLIC && secretHash != null) throw new IllegalArgumentException("a public client has no secret");
    }

    public boolean allowsGrant(String grant) {
        return grants.contains(grant);
    }

    public boolean isPublic() {
        return type == Type.PUBLIC;
    }

    @Override
    public String toString() {
        return "Client[id=" + id + ", type=" + type.value() + "]";
    }
}
