package dev.rotor.http;

import dev.rotor.oauth.ErrorCode;
import dev.rotor.oauth.OAuthException;
import dev.rotor.risk.source.DeviceIds;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;

/**
 * A cookie that scripts cannot read: HttpOnly, Secure unless plain-http localhost is configured, scoped to a path and
 * a SameSite mode, with Max-Age = what is left of the session it carries. The refresh cookie is {@code __Secure-rotor_rt}
 * (or {@code rotor_rt}), SameSite=Strict, Path=/auth; the single sign-on cookie {@code __Secure-rotor_sso} (or
 * {@code rotor_sso}), SameSite=Lax (it must come along when a client's link opens the sign-in page), Path=/ (the
 * sign-in pages under /oauth2 and the account page at /account both read it); the
 * hosted pages' CSRF cookie {@code __Host-rotor_csrf} (or {@code rotor_csrf}), SameSite=Strict, Path=/, for as long as
 * the browser runs; the device cookie {@code __Host-rotor_device} (or {@code rotor_device}), SameSite=Lax, Path=/, 400 days.
 * Written by hand because Jetty's cookie API cannot express every attribute on all versions the same way.
 */
final class HttpOnlyCookie {
    private final String name;
    private final String path;
    private final String sameSite;
    private final boolean secure;
    /** A path the cookie was once set on, expired whenever the cookie is set or cleared; null for none. */
    private final String formerPath;

    HttpOnlyCookie(String name, String path, String sameSite, boolean secure) {
        this(name, path, sameSite, secure, null);
    }

    private HttpOnlyCookie(String name, String path, String sameSite, boolean secure, String formerPath) {
        this.name = name;
        this.path = path;
        this.sameSite = sameSite;
        this.secure = secure;
        this.formerPath = formerPath;
    }

    static HttpOnlyCookie refresh(String name, boolean secure) {
        return new HttpOnlyCookie(name, "/auth", "Strict", secure);
    }

    static HttpOnlyCookie sso(boolean secure) {
        // Set on Path=/oauth2 before the account page existed: a browser holding both would send two cookies of one
        // name to /oauth2, which read() refuses, so the old one is expired first wherever the cookie is written.
        return new HttpOnlyCookie(secure ? "__Secure-rotor_sso" : "rotor_sso", "/", "Lax", secure, "/oauth2");
    }

    /** The {@code __Host-} prefix (RFC 6265bis §4.1.3.2): Secure, Path=/ and no Domain, so no subdomain can plant it. */
    static HttpOnlyCookie csrf(boolean secure) {
        return new HttpOnlyCookie(secure ? "__Host-rotor_csrf" : "rotor_csrf", "/", "Strict", secure);
    }

    /** The risk engine's device cookie (see {@code risk/source/DeviceIds}): Lax and Path=/ so the sign-in pages all see it. */
    static HttpOnlyCookie device(boolean secure) {
        return new HttpOnlyCookie(secure ? DeviceIds.COOKIE : DeviceIds.COOKIE_LOCAL, "/", "Lax", secure);
    }

    void set(Context ctx, String value, Instant expiresAt, Instant now) {
        long maxAge = Math.max(0, Duration.between(now, expiresAt).toSeconds());
        add(ctx, value, "; Max-Age=" + maxAge);
    }

    /** Without Max-Age: the browser drops it when it closes. */
    void setForBrowserSession(Context ctx, String value) {
        add(ctx, value, "");
    }

    void clear(Context ctx) {
        add(ctx, "", "; Max-Age=0");
    }

    private void add(Context ctx, String value, String maxAge) {
        if (formerPath != null) header(ctx, "", "; Max-Age=0", formerPath);
        header(ctx, value, maxAge, path);
    }

    private void header(Context ctx, String value, String maxAge, String onPath) {
        ctx.res().addHeader("Set-Cookie", name + "=" + value + maxAge + "; Path=" + onPath + "; HttpOnly" + (secure ? "; Secure" : "")
                + "; SameSite=" + sameSite);
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
                if (found != null) throw new OAuthException(ErrorCode.INVALID_REQUEST, "more than one " + name + " cookie");
                found = p.substring(eq + 1);
            }
        }
        return found;
    }
}
