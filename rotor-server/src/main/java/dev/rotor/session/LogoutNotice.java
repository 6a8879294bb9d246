package dev.rotor.session;

import java.util.Objects;

/**
 * A back-channel logout to send (OpenID Connect Back-Channel Logout 1.0): the client whose session ended, the
 * {@code backchannel_logout_uri} it registered, and the logout token's {@code sub} and {@code sid}. Written with the
 * change that ended the session; the token itself is made when it is sent.
 *
 * @param sid the single sign-on session the ended family came from; null when it came from none (the token then
 *            names the user only, which a client reads as "every session of this user", §2.4)
 */
public record LogoutNotice(String clientId, String uri, String subject, String sid) {
    public LogoutNotice {
        Objects.requireNonNull(clientId);
        Objects.requireNonNull(uri);
        Objects.requireNonNull(subject);
    }
}
