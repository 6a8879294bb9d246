package dev.rotor.http;

import dev.rotor.oauth.ErrorCode;
import dev.rotor.oauth.OAuthException;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;

/**
 * The refresh cookie: {@code __Secure-rotor_rt} (or {@code rotor_rt} on plain-http localhost),
 * HttpOnly, Secure, SameSite=Strict, Path=/auth, Max-Age = what is left of the session's absolute lifetime.
 * Written by hand because Jetty's cookie API cannot express every attribute on all versions the same way.
 */
final class RefreshCookie {
    static final String PATH = "/auth";
    private final String name;
    private final boolean secure;

    RefreshCookie(String name, boolean secure) {
        this.name = name;
        this.secure = secure;
    }

    void set(Context ctx, String token, Instant sessionExpiresAt, Instant now) {
        long maxAge = Math.max(0, Duration.between(now, sessionExpiresAt).toSeconds());
        ctx.res().addHeader("Set-Cookie", name + "=" + token + "; Max-Age=" + maxAge + "; Path=" + PATH
                + "; HttpOnly" + (secure ? "; Secure" : "") + "; SameSite=Strict");
    }

    void clear(Context ctx) {
        ctx.res().addHeader("Set-Cookie", name + "=; Max-Age=0; Path=" + PATH + "; HttpOnly" + (secure ? "; Secure" : "")
                + "; SameSite=Strict");
    }

    /** The cookie's value, null when absent; {@code invalid_request} when the request carries it twice. */
    String read(Context ctx) {
        String header = ctx.header("Cookie");
        if (header == null) return null;
        String found = null;
        for (String part : header.split(";")) {
            String p = part.trim();
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).equals(name)) {
                // Two cookies of one name mean someone planted one (cookie tossing); trust neither.
                if (found != null) throw new OAuthException(ErrorCode.INVALID_REQUEST, "more than one refresh cookie");
                found = p.substring(eq + 1);
            }
        }
        return found;
    }
}
