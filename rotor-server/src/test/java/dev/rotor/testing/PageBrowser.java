package dev.rotor.testing;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A browser as the hosted pages see it, for tests that take a page apart: the cookies it holds, sent back on every
 * request to the server (Secure ones too, over the tests' plain http, so the default secure configuration can be
 * tested on loopback), open to tampering, and the hidden fields of the pages it was shown, to post in any
 * combination. {@link SignInBrowser} is the other kind: it fills in the page as a person would and keeps cookies by
 * the browser's rules.
 */
public final class PageBrowser {
    public final Map<String, String> cookies = new LinkedHashMap<>();
    private final TestServer server;

    public PageBrowser(TestServer server) {
        this.server = server;
    }

    public HttpResponse<String> get(String pathAndQuery) {
        return keep(server.send(withCookies(HttpRequest.newBuilder(server.uri(pathAndQuery))).GET()));
    }

    public HttpResponse<String> post(String path, String form) {
        return post(path, form, Map.of());
    }

    /** A form POST with extra request headers, such as {@code Origin}. */
    public HttpResponse<String> post(String path, String form, Map<String, String> headers) {
        HttpRequest.Builder b = withCookies(HttpRequest.newBuilder(server.uri(path)))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form));
        headers.forEach(b::header);
        return keep(server.send(b));
    }

    /** The value of the hidden field {@code name} on {@code page}; fails when there is none. */
    public static String field(HttpResponse<String> page, String name) {
        Matcher m = Pattern.compile("name=\"" + Pattern.quote(name) + "\" value=\"([^\"]+)\"").matcher(page.body());
        if (!m.find()) throw new AssertionError("no field " + name + " on the page: " + page.body());
        return m.group(1);
    }

    /** A hosted page's own form fields, encoded: its page handle and its CSRF token. */
    public static String pageFields(HttpResponse<String> page) {
        return "interaction=" + field(page, "interaction") + "&csrf_token=" + field(page, "csrf_token");
    }

    private HttpRequest.Builder withCookies(HttpRequest.Builder b) {
        if (!cookies.isEmpty()) b.header("Cookie", String.join("; ", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
        return b;
    }

    private HttpResponse<String> keep(HttpResponse<String> r) {
        for (String c : r.headers().allValues("Set-Cookie")) {
            SetCookie cookie = SetCookie.parse(c);
            if ("0".equals(cookie.get("Max-Age"))) cookies.remove(cookie.name());
            else cookies.put(cookie.name(), cookie.value());
        }
        return r;
    }
}
