package dev.rotor.testing;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;

/** {@code application/x-www-form-urlencoded} bodies for the token endpoint. */
public final class Forms {
    private Forms() {}

    /** Encodes name/value pairs in order; a repeated name is sent repeatedly. */
    public static String of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) throw new IllegalArgumentException("names and values come in pairs");
        StringJoiner out = new StringJoiner("&");
        for (int i = 0; i < namesAndValues.length; i += 2) {
            out.add(encode(namesAndValues[i]) + "=" + encode(namesAndValues[i + 1]));
        }
        return out.toString();
    }

    public static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** An HTTP Basic {@code Authorization} value for client_secret_basic (RFC 6749 §2.3.1: form-encode, then base64). */
    public static String basic(String clientId, String secret) {
        String pair = encode(clientId) + ":" + encode(secret);
        return "Basic " + java.util.Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }
}
