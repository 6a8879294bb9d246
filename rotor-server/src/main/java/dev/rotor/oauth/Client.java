package dev.rotor.oauth;

import java.time.Instant;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A registered OAuth client. The constructor holds only the invariants the request path relies on; the rules a
 * registration must pass live in {@link dev.rotor.oauth.registration.ClientRegistration}.
 *
 * @param secretHash   SHA-256 of the secret (base64url) for confidential clients, null for public ones
 * @param grants       grant types it may use, e.g. {@code refresh_token}, {@code password}
 * @param origins      browser origins allowed to call the first-party cookie API for this client
 * @param firstParty   trusted first-party app: may use the password grant
 * @param scope        the scopes it may ask for, space separated
 * @param claims       profile claims its access tokens carry, each when the token's scope covers it
 *                     ({@link ProfileClaim})
 * @param postLogoutRedirectUris where RP-initiated logout may send the browser back to, matched exactly
 * @param backchannelLogoutUri   where logout tokens are POSTed when a session of this client ends; null for none
 * @param consentRequired        whether the consent page is shown; always true for a client not marked first-party
 * @param previousSecretHash     the secret before the last rotation, accepted until {@code previousSecretExpiresAt};
 *                               null when there is none
 */
public record Client(String id, Type type, String secretHash, List<String> redirectUris, Set<String> grants,
                     Set<String> origins, boolean firstParty, String scope, Instant createdAt, Set<String> claims,
                     List<String> postLogoutRedirectUris, String backchannelLogoutUri, boolean consentRequired,
                     String previousSecretHash, Instant previousSecretExpiresAt) {

    public enum Type {
        PUBLIC, CONFIDENTIAL;

        public String value() {
            return name().toLowerCase();
        }
    }

    /** The grants a client is registered with; the MFA grant comes with the password grant. */
    public static final Set<String> KNOWN_GRANTS = Arrays.stream(GrantType.values()).filter(g -> g != GrantType.MFA_OTP).map(GrantType::value)
            .collect(Collectors.toUnmodifiableSet());

    public Client {
        Objects.requireNonNull(id);
        Objects.requireNonNull(type);
        redirectUris = List.copyOf(redirectUris);
        grants = Set.copyOf(grants);
        origins = Set.copyOf(origins);
        claims = Set.copyOf(claims);
        postLogoutRedirectUris = List.copyOf(postLogoutRedirectUris);
        // A third party that skips consent is what a phishing app wants: only first-party clients may.
        if (!firstParty && !consentRequired) throw new IllegalArgumentException("a client that is not first-party always asks for consent");
        if ((previousSecretHash == null) != (previousSecretExpiresAt == null)) {
            throw new IllegalArgumentException("a previous secret needs the time it stops being accepted");
        }
        if (type == Type.CONFIDENTIAL && secretHash == null) throw new IllegalArgumentException("a confidential client needs a secret");
        if (type == Type.PUBLIC && secretHash != null) throw new IllegalArgumentException("a public client has no secret");
    }

    /** A client without the logout and rotation settings; consent is asked unless it is first-party. */
    public Client(String id, Type type, String secretHash, List<String> redirectUris, Set<String> grants, Set<String> origins,
                  boolean firstParty, String scope, Instant createdAt, Set<String> claims) {
        this(id, type, secretHash, redirectUris, grants, origins, firstParty, scope, createdAt, claims, List.of(), null, !firstParty,
                null, null);
    }

    public boolean allowsGrant(GrantType grant) {
        return grants.contains((grant == GrantType.MFA_OTP ? GrantType.PASSWORD : grant).value());
    }

    public boolean isPublic() {
        return type == Type.PUBLIC;
    }

    @Override
    public String toString() {
        return "Client[id=" + id + ", type=" + type.value() + "]";
    }
}
