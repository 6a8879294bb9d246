package dev.rotor.oauth.authorize;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Set;

/**
 * Matching a presented {@code redirect_uri} against a client's registered ones: exact string comparison (OAuth 2.1
 * §2.3.1, RFC 9700 §4.1.3: no prefix, no wildcard, no normalisation), except that a redirect to a loopback IP
 * literal over http may vary in port (RFC 8252 §7.3: a native app listens on whatever port it was given).
 */
public final class RedirectUris {
    private static final Set<String> LOOPBACK_HOSTS = Set.of("127.0.0.1", "[::1]");
    static final int MAX_LENGTH = 2048;

    private RedirectUris() {}

    public static boolean matches(List<String> registered, String presented) {
        if (presented == null || presented.isEmpty() || presented.length() > MAX_LENGTH) return false;
        if (registered.contains(presented)) return true;
        URI p = loopback(presented);
        if (p == null) return false;
        for (String r : registered) {
            URI u = loopback(r);
            if (u != null && u.getRawPath().equals(p.getRawPath()) && equalsOrBothNull(u.getRawQuery(), p.getRawQuery())
                    && u.getHost().equals(p.getHost()) && u.getRawUserInfo() == null && p.getRawUserInfo() == null) {
                return true;
            }
        }
        return false;
    }

    /** The URI when it is {@code http://} on a loopback IP literal without fragment; null otherwise. */
    private static URI loopback(String uri) {
        try {
            URI u = new URI(uri);
            boolean ok = "http".equals(u.getScheme()) && u.getHost() != null && LOOPBACK_HOSTS.contains(u.getHost())
                    && u.getRawFragment() == null && u.getRawPath() != null;
            return ok ? u : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static boolean equalsOrBothNull(String a, String b) {
        return a == null ? b == null : a.equals(b);
    }
}
