package dev.rotor.token;

import java.util.List;
import java.util.Objects;

/**
 * An ID token this server signed, presented back as {@code id_token_hint} (OIDC RP-Initiated Logout 1.0 §2): who it
 * named, for which client, in which single sign-on session. Its expiry is not checked: a hint identifies, it grants
 * nothing.
 *
 * @param azp the authorized party; null when the token had none
 * @param sid the single sign-on session; null when the token had none
 */
public record IdTokenHint(String subject, List<String> audience, String azp, String sid) {
    public IdTokenHint {
        Objects.requireNonNull(subject);
        audience = List.copyOf(audience);
    }

    /** True when {@code clientId} is the client the token was issued to (its {@code azp}, else its one audience). */
    public boolean isFor(String clientId) {
        return clientId.equals(client());
    }

    /** The client the token was issued to: its {@code azp}, or its audience when that names one client; null otherwise. */
    public String client() {
        if (azp != null) return azp;
        return audience.size() == 1 ? audience.getFirst() : null;
    }
}
