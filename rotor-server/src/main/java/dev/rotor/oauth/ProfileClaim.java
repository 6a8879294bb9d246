package dev.rotor.oauth;

import dev.rotor.account.User;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;

/**
 * A profile claim a client can be configured to receive in its access tokens (OIDC Core §5.1), the scope a token
 * needs to carry it (§5.4) and where its value comes from.
 */
public enum ProfileClaim {
    NAME("name", "profile", User::name),
    PREFERRED_USERNAME("preferred_username", "profile", User::username),
    EMAIL("email", "email", User::email);

    private final String claim;
    private final String scope;
    private final Function<User, String> value;

    ProfileClaim(String claim, String scope, Function<User, String> value) {
        this.claim = claim;
        this.scope = scope;
        this.value = value;
    }

    public String claim() {
        return claim;
    }

    public String scope() {
        return scope;
    }

    /** The user's value, or null when the user has none. */
    public String valueOf(User user) {
        String v = value.apply(user);
        return v == null || v.isEmpty() ? null : v;
    }

    public static Optional<ProfileClaim> named(String claim) {
        return Arrays.stream(values()).filter(c -> c.claim.equals(claim)).findFirst();
    }

    public static String names() {
        return String.join(", ", Arrays.stream(values()).map(ProfileClaim::claim).toList());
    }
}
