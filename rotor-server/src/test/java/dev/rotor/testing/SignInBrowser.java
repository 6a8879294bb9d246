package dev.rotor.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.StringJoiner;
import org.jsoup.Connection;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.FormElement;

/**
 * A browser on the hosted sign-in page, as a person uses it: it opens an authorization request, fills in the form that
 * has a password field and submits it with every other field the page put there (hidden ones included, so a field
 * the page adds later, such as a CSRF token, is carried without changing this class), keeps cookies in a
 * {@link CookieManager} jar, and stops at the first redirect that leaves the server: the authorization response.
 * Like a browser, the jar sends a {@code Secure} cookie over https only; a test that needs the single sign-on cookie
 * on plain http runs with {@code COOKIE_SECURE=false}.
 */
public final class SignInBrowser {
    private final CookieManager cookies = new CookieManager();
    private final HttpClient http = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

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
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static URI location(HttpResponse<String> r) {
        return r.uri().resolve(r.headers().firstValue("Location").orElseThrow(() -> new AssertionError("a 303 without Location")));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
