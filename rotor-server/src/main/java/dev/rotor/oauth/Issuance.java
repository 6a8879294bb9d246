package dev.rotor.oauth;

import dev.rotor.account.User;
import dev.rotor.account.UserStore;
import dev.rotor.session.RefreshTokenFamily;
import dev.rotor.token.AccessTokenRequest;
import dev.rotor.token.AccessTokens;
import dev.rotor.token.IssuedAccessToken;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** Access tokens for a session: the claims every grant puts in (RFC 9068 §2.2), and the client's profile claims. */
public final class Issuance {
    private final AccessTokens accessTokens;
    private final UserStore users;

    public Issuance(AccessTokens accessTokens, UserStore users) {
        this.accessTokens = accessTokens;
        this.users = users;
    }

    /** An access token for a session of {@code client} (the client the session belongs to). */
    public IssuedAccessToken forSession(RefreshTokenFamily s, Client client, String scope) {
        return accessTokens.issue(new AccessTokenRequest(s.userId(), s.clientId(), scope, s.id(), s.authTime(), s.amr(), s.acr(),
                profileClaims(s, client, scope)));
    }

    public IssuedAccessToken forClient(Client client, String scope) {
        return accessTokens.issue(new AccessTokenRequest(client.id(), client.id(), scope, null, null, null, null, Map.of()));
    }

    /**
     * The profile claims the client is configured to receive and the token's scope covers, read fresh from the user
     * at every issue, so a changed email reaches the next access token. Clients without claims cost no read.
     */
    private Map<String, Object> profileClaims(RefreshTokenFamily s, Client client, String scope) {
        if (client.claims().isEmpty()) return Map.of(); // the common case, on every refresh: nothing to parse
        Set<String> granted = Scopes.parse(scope);
        List<ProfileClaim> wanted = client.claims().stream().map(ProfileClaim::named).flatMap(Optional::stream)
                .filter(c -> granted.contains(c.scope())).toList();
        return claimsOf(s.userId(), wanted);
    }

    /**
     * OIDC Core §5.4: every standard claim the scope covers ({@code profile}: name, preferred_username; {@code email}:
     * email), for the ID token and the userinfo endpoint; a claim the user has no value for is left out.
     */
    public Map<String, Object> userClaims(String userId, String scope) {
        Set<String> granted = Scopes.parse(scope);
        return claimsOf(userId, Arrays.stream(ProfileClaim.values()).filter(c -> granted.contains(c.scope())).toList());
    }

    private Map<String, Object> claimsOf(String userId, List<ProfileClaim> wanted) {
        if (wanted.isEmpty()) return Map.of();
        User user = users.findById(userId).orElse(null);
        if (user == null) return Map.of();
        Map<String, Object> out = new TreeMap<>();
        for (ProfileClaim c : wanted) {
            String value = c.valueOf(user);
            if (value != null) out.put(c.claim(), value);
        }
        return out;
    }
}
