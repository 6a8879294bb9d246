package dev.rotor.oauth;

import dev.rotor.account.User;
import dev.rotor.account.UserStore;
import dev.rotor.session.Session;
import dev.rotor.token.AccessTokenRequest;
import dev.rotor.token.AccessTokens;
import dev.rotor.token.IssuedAccessToken;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Access tokens for a session: the claims every grant puts in (RFC 9068 §2.2), and the client's profile claims. */
public final class Issuance {
    private final AccessTokens accessTokens;
    private final ClientRegistry clients;
    private final UserStore users;

    public Issuance(AccessTokens accessTokens, ClientRegistry clients, UserStore users) {
        this.accessTokens = accessTokens;
        this.clients = clients;
        this.users = users;
    }

    public IssuedAccessToken forSession(Session s, String scope) {
        return accessTokens.issue(new AccessTokenRequest(s.userId(), s.clientId(), scope, s.id(), s.authTime(), s.amr(), s.acr(),
                profileClaims(s, scope)));
    }

    public IssuedAccessToken forClient(Client client, String scope) {
        return accessTokens.issue(new AccessTokenRequest(client.id(), client.id(), scope, null, null, null, null, Map.of()));
    }

    /**
     * The profile claims the session's client is configured to receive and the token's scope covers (OIDC Core
     * §5.4: {@code profile} for name and preferred_username, {@code email} for email), read fresh from the user at
     * every issue, so a changed email reaches the next access token. Clients without claims cost no read.
     */
    private Map<String, Object> profileClaims(Session s, String scope) {
        Client client = clients.find(s.clientId()).orElse(null);
        if (client == null || client.claims().isEmpty()) return Map.of();
        Set<String> granted = Scopes.parse(scope);
        if (client.claims().stream().noneMatch(c -> granted.contains(Client.CLAIM_SCOPES.get(c)))) return Map.of();
        User user = users.findById(s.userId()).orElse(null);
        if (user == null) return Map.of();
        Map<String, Object> out = new TreeMap<>();
        for (String claim : client.claims()) {
            if (!granted.contains(Client.CLAIM_SCOPES.get(claim))) continue;
            String value = switch (claim) {
                case "name" -> user.name();
                case "preferred_username" -> user.username();
                case "email" -> user.email();
                default -> null;
            };
            if (value != null && !value.isEmpty()) out.put(claim, value);
        }
        return out;
    }
}
