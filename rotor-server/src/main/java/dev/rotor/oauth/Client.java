package dev.rotor.oauth;

import java.time.Instant;
import java.util.List;
import java.util.Map;
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
 * @param claims       profile claims its access tokens carry, each when the token's scope covers it
 *                     ({@link #CLAIM_SCOPES})
 */
public record Client(String id, Type type, String secretHash, List<String> redirectUris, Set<String> grants,
                     Set<String> origins, boolean firstParty, String scope, Instant createdAt, Set<String> claims) {

    public enum Type {
        PUBLIC, CONFIDENTIAL;

        public String value() {
            return name().toLowerCase();
        }
    }

    public static final Set<String> KNOWN_GRANTS = Set.of("authorization_code", "refresh_token", "client_credentials", "password");

    /** The profile claims a client can be configured to receive, and the OIDC scope each needs (OIDC Core §5.4). */
    public static final Map<String, String> CLAIM_SCOPES = Map.of("name", "profile", "preferred_username", "profile", "email", "email");

    public Client {
        Objects.requireNonNull(id);
        Objects.requireNonNull(type);
        redirectUris = List.copyOf(redirectUris);
        grants = Set.copyOf(grants);
        origins = Set.copyOf(origins);
        claims = Set.copyOf(claims);
        for (String c : claims) if (!CLAIM_SCOPES.containsKey(c)) throw new IllegalArgumentException("unknown claim " + c);
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
