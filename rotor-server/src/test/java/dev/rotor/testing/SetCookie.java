package dev.rotor.testing;

import dev.rotor.risk.source.DeviceIds;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One {@code Set-Cookie} header as sent (RFC 6265 §4.1), parsed for exact assertions.
 *
 * @param attributes attribute names lower-cased; flag attributes (HttpOnly, Secure) map to ""
 */
public record SetCookie(String name, String value, Map<String, String> attributes) {

    public static SetCookie parse(String header) {
        String[] parts = header.split(";");
        String pair = parts[0].trim();
        int eq = pair.indexOf('=');
        if (eq <= 0) throw new AssertionError("not a cookie: " + header);
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            if (p.isEmpty()) continue;
            int e = p.indexOf('=');
            String key = (e < 0 ? p : p.substring(0, e)).trim().toLowerCase(Locale.ROOT);
            if (attributes.containsKey(key)) throw new AssertionError("attribute repeated in " + header);
            attributes.put(key, e < 0 ? "" : p.substring(e + 1).trim());
        }
        return new SetCookie(pair.substring(0, eq), pair.substring(eq + 1), attributes);
    }

    /**
     * The only Set-Cookie header of the response besides the risk engine's device cookie (which every browser sign-in
     * that goes through sets as well; {@link #device} reads it); fails when there is none or more than one.
     */
    public static SetCookie only(HttpResponse<?> response) {
        List<String> all = response.headers().allValues("Set-Cookie").stream().filter(h -> !isDevice(parse(h))).toList();
        if (all.size() != 1) throw new AssertionError("expected exactly one Set-Cookie besides the device cookie, got " + all);
        return parse(all.get(0));
    }

    /** The device cookie the response sets; fails when it sets none or two. */
    public static SetCookie device(HttpResponse<?> response) {
        List<SetCookie> all = response.headers().allValues("Set-Cookie").stream().map(SetCookie::parse).filter(SetCookie::isDevice).toList();
        if (all.size() != 1) throw new AssertionError("expected exactly one device cookie, got " + all);
        return all.get(0);
    }

    private static boolean isDevice(SetCookie c) {
        return c.name().equals(DeviceIds.COOKIE) || c.name().equals(DeviceIds.COOKIE_LOCAL);
    }

    public boolean has(String attribute) {
        return attributes.containsKey(attribute.toLowerCase(Locale.ROOT));
    }

    public String get(String attribute) {
        return attributes.get(attribute.toLowerCase(Locale.ROOT));
    }

    /** Max-Age in seconds; fails when absent. */
    public long maxAge() {
        String v = get("Max-Age");
        if (v == null) throw new AssertionError("no Max-Age in " + this);
        return Long.parseLong(v);
    }

    /** The request {@code Cookie} header value that sends this cookie back. */
    public String asCookieHeader() {
        return name + "=" + value;
    }
}
