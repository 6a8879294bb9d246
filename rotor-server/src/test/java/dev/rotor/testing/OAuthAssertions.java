package dev.rotor.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/** Wire-level assertions shared by the black-box HTTP tests (STYLE.md §7). */
public final class OAuthAssertions {
    private OAuthAssertions() {}

    /**
     * An RFC 6749 §5.2 error answer: the status, JSON with exactly {@code error} and {@code error_description}
     * (both strings, the description non-empty), and {@code Cache-Control: no-store}. Returns the parsed body.
     */
    public static Map<String, Object> assertOAuthError(HttpResponse<String> r, int status, String error) {
        assertThat(r.statusCode()).as("status of %s %s, body %s", r.request().method(), r.uri().getPath(), r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).as("Content-Type").hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(r.headers().firstValue("Cache-Control")).as("Cache-Control").hasValue("no-store");
        Map<String, Object> body = Jsons.parse(r.body());
        assertThat(body).as("error body %s", r.body()).containsOnlyKeys("error", "error_description");
        assertThat(body.get("error")).isEqualTo(error);
        assertThat(body.get("error_description")).isInstanceOfSatisfying(String.class, d -> assertThat(d).isNotBlank());
        return body;
    }

    /** None of {@code secrets} (passwords, refresh tokens, client secrets) appears in the body or any header. */
    public static void assertNoSecrets(HttpResponse<String> r, String... secrets) {
        for (String secret : secrets) {
            if (secret == null || secret.isEmpty()) continue;
            assertThat(r.body()).as("body must not echo a secret").doesNotContain(secret);
            for (Map.Entry<String, List<String>> h : r.headers().map().entrySet()) {
                for (String v : h.getValue()) assertThat(v).as("header %s must not echo a secret", h.getKey()).doesNotContain(secret);
            }
            // Also URL-encoded, in case a value was reflected as it arrived.
            String encoded = Forms.encode(secret);
            if (!encoded.equals(secret)) assertThat(r.body()).as("body must not echo a secret").doesNotContain(encoded);
        }
    }
}
