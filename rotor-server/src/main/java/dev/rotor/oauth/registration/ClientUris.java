package dev.rotor.oauth.registration;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a registered URI may be. Each check returns null when the value is acceptable, else the reason, phrased for
 * the operator who typed it.
 */
final class ClientUris {
    static final int MAX_LENGTH = 2048;
    /** The hosts RFC 8252 §7.3 names for loopback redirects; {@code localhost} is allowed too, see {@link #isLoopback}. */
    private static final Set<String> LOOPBACK_IPS = Set.of("127.0.0.1", "[::1]");
    /** RFC 8252 §7.1: a private-use scheme is a reversed domain name the app's publisher controls, e.g. com.example.app. */
    private static final Pattern REVERSE_DNS_SCHEME = Pattern.compile("[a-z][a-z0-9-]*(\\.[a-z0-9][a-z0-9-]*)+");

    private ClientUris() {}

    /**
     * A redirect or post-logout redirect URI: absolute, without fragment (RFC 6749 §3.1.2) or user info; https, http
     * only on a loopback host (RFC 8252 §7.3, §8.3), or a private-use scheme in reverse-DNS form for native apps
     * (RFC 8252 §7.1). Matching is exact, so no wildcard can hide in one.
     */
    static String redirectProblem(String value) {
        URI u = parse(value);
        if (u == null) return "is not a URI";
        if (u.getScheme() == null) return "is not absolute (it needs a scheme, e.g. https://)";
        if (u.getRawFragment() != null) return "has a fragment (#...), which a redirect URI may not have (RFC 6749 §3.1.2)";
        if (u.getRawUserInfo() != null) return "has user info (user@), which a redirect URI may not have";
        String scheme = u.getScheme().toLowerCase(Locale.ROOT);
        switch (scheme) {
            case "https" -> {
                return u.getHost() == null ? "has no host" : null;
            }
            case "http" -> {
                if (u.getHost() == null) return "has no host";
                return isLoopback(u) ? null : "uses http on a host that is not loopback: use https, or http://127.0.0.1 for a native app (RFC 8252 §7.3)";
            }
            default -> {
                if (!REVERSE_DNS_SCHEME.matcher(scheme).matches()) {
                    return "uses the scheme '" + scheme + "': use https, http on loopback, or a private-use scheme in reverse-DNS form such as"
                            + " com.example.app:/callback (RFC 8252 §7.1)";
                }
                return u.getHost() != null || u.getRawAuthority() != null
                        ? "uses a private-use scheme with an authority (//...): write it with one slash, e.g. " + scheme + ":/callback (RFC 8252 §7.1)"
                        : null;
            }
        }
    }

    /** Back-Channel Logout 1.0 §2.2: absolute, https (http only on loopback, for development), no fragment; a query may stay. */
    static String backchannelProblem(String value) {
        URI u = parse(value);
        if (u == null) return "is not a URI";
        if (u.getScheme() == null || u.getHost() == null) return "is not an absolute URL with a host";
        if (u.getRawFragment() != null) return "has a fragment (#...), which a back-channel logout URI may not have";
        if (u.getRawUserInfo() != null) return "has user info (user@): put no credentials in it";
        String scheme = u.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https")) return null;
        if (scheme.equals("http") && isLoopback(u)) return null;
        return "must use https (http only on a loopback host)";
    }

    /** RFC 6454 origin: {@code scheme://host[:port]}, http or https, nothing after it (not even a slash). */
    static String originProblem(String value) {
        URI u = parse(value);
        if (u == null || u.getScheme() == null || u.getHost() == null) return "is not an origin (scheme://host[:port], no path)";
        String scheme = u.getScheme();
        if (!scheme.equals("https") && !scheme.equals("http")) return "is not an origin: the scheme must be https or http";
        boolean bare = (u.getRawPath() == null || u.getRawPath().isEmpty()) && u.getRawQuery() == null && u.getRawFragment() == null
                && u.getRawUserInfo() == null;
        return bare ? null : "is not an origin (scheme://host[:port], no path, not even a trailing slash)";
    }

    /**
     * True for 127.0.0.1, [::1] and {@code localhost}. RFC 8252 §8.3 discourages {@code localhost} (it may resolve to
     * another interface), but browser apps in development use it: it is allowed, matched exactly (port included), and
     * {@link #localhostNote} says so.
     */
    static boolean isLoopback(URI u) {
        String host = u.getHost().toLowerCase(Locale.ROOT);
        return LOOPBACK_IPS.contains(host) || host.equals("localhost");
    }

    /** A note for an http://localhost redirect URI, null for any other. */
    static String localhostNote(String value) {
        URI u = parse(value);
        if (u == null || u.getHost() == null || !"http".equalsIgnoreCase(u.getScheme()) || !u.getHost().equalsIgnoreCase("localhost")) return null;
        return value + " is matched exactly, port included; a native app listening on a random port should register http://127.0.0.1"
                + u.getRawPath() + " instead (RFC 8252 §8.3)";
    }

    private static URI parse(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) return null;
        try {
            return new URI(value);
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
