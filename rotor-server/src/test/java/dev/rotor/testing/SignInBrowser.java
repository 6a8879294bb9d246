package dev.rotor.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import org.jsoup.Connection;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.FormElement;

/**
 * A browser on the hosted sign-in page, as a person uses it: it opens an authorization request, fills in the form that
 * has a password field and submits it with every other field the page put there (hidden ones included, so a field
 * the page adds later, such as a CSRF token, is carried without changing this class), keeps the cookies the server
 * sets, and stops at the first redirect that leaves the server: the authorization response. Like a browser, it sends a
 * {@code Secure} cookie over https only; a test that needs the single sign-on cookie on plain http runs with
 * {@code COOKIE_SECURE=false}.
 */
public final class SignInBrowser {
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();
    /**
     * RFC 6265 host-only cookies of the one server this browser talks to, by name. Kept by hand because the JDK's
     * {@code java.net.CookieManager} follows RFC 2965: a cookie with {@code Max-Age} goes back as {@code $Version="1"}
     * with its value in quotes, which no browser sends.
     */
    private final Map<String, Cookie> cookies = new LinkedHashMap<>();

    private record Cookie(String value, String path, boolean secure) {
        boolean sentTo(URI uri) {
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            boolean pathMatches = path.equals(this.path) || path.startsWith(this.path.endsWith("/") ? this.path : this.path + "/");
            return pathMatches && (!secure || "https".equals(uri.getScheme()));
        }
    }

    /**
     * Opens {@code authorizationRequest} and signs in on the page if one is shown; returns the redirect back to the
     * client. Without a page (a live single sign-on session) the server's own redirect is the answer.
     */
    public URI signIn(URI authorizationRequest, String username, String password) {
        HttpResponse<String> page = get(authorizationRequest);
        if (page.statusCode() == 303) return location(page);
        assertThat(page.statusCode()).as("the sign-in page: %s", page.body()).isEqualTo(200);
        Document doc = Jsoup.parse(page.body(), authorizationRequest.toString());
        FormElement form = doc.select("form:has(input[type=password])").forms().stream().findFirst()
                .orElseThrow(() -> new AssertionError("no sign-in form on the page: " + page.body()));
        StringJoiner body = new StringJoiner("&");
        for (Connection.KeyVal field : form.formData()) {
            String value = switch (field.key()) {
                case "username" -> username;
                case "password" -> password;
                default -> field.value();
            };
            body.add(encode(field.key()) + "=" + encode(value));
        }
        assertThat(form.attr("method")).as("the form's method").isEqualToIgnoringCase("post");
        HttpResponse<String> submitted = send(HttpRequest.newBuilder(URI.create(form.absUrl("action")))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body.toString())));
        assertThat(submitted.statusCode()).as("signed in and sent back: %s", submitted.body()).isEqualTo(303);
        return location(submitted);
    }

    /** A GET with this browser's cookies, not following redirects. */
    public HttpResponse<String> get(URI uri) {
        return send(HttpRequest.newBuilder(uri).GET());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        URI uri = request.build().uri();
        StringJoiner header = new StringJoiner("; ");
        cookies.forEach((name, c) -> {
            if (c.sentTo(uri)) header.add(name + "=" + c.value());
        });
        if (header.length() > 0) request.header("Cookie", header.toString());
        try {
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            r.headers().allValues("Set-Cookie").forEach(c -> keep(uri, c));
            return r;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * RFC 6265 §5.2, for what this server sets: name=value, Path (by default the request path's directory, §5.1.4),
     * Max-Age (0 or less removes the cookie) and Secure; no Domain, so every cookie is host-only.
     */
    private void keep(URI from, String setCookie) {
        String[] parts = setCookie.split(";");
        int eq = parts[0].indexOf('=');
        String name = parts[0].substring(0, eq).trim();
        String requestPath = from.getRawPath() == null ? "" : from.getRawPath();
        String path = requestPath.lastIndexOf('/') > 0 ? requestPath.substring(0, requestPath.lastIndexOf('/')) : "/";
        boolean secure = false;
        boolean expired = false;
        for (int i = 1; i < parts.length; i++) {
            String[] attr = parts[i].trim().split("=", 2);
            switch (attr[0].toLowerCase(Locale.ROOT)) {
                case "path" -> path = attr[1];
                case "secure" -> secure = true;
                case "max-age" -> expired = Long.parseLong(attr[1]) <= 0;
                default -> { } // HttpOnly and SameSite decide what scripts and other sites may do; this browser runs none
            }
        }
        if (expired) cookies.remove(name);
        else cookies.put(name, new Cookie(parts[0].substring(eq + 1).trim(), path, secure));
    }

    private static URI location(HttpResponse<String> r) {
        return r.uri().resolve(r.headers().firstValue("Location").orElseThrow(() -> new AssertionError("a 303 without Location")));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
