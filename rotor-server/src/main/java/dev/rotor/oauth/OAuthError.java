package dev.rotor.oauth;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One error answer, whole: every renderer (JSON, the sign-in page, a redirect to the client) takes this and nothing
 * else, so what a refusal says is decided where it is raised.
 *
 * @param code        the wire value
 * @param status      the HTTP status (the code's own unless a surface answers differently, such as the cookie API's 401)
 * @param description generic text, safe for any client to read
 * @param detail      specific text for the audit and debug logs; names families by id, never a secret
 * @param extra       further members of the JSON body, such as {@code mfa_token}; never {@code error} or
 *                    {@code error_description}
 * @param headers     response headers that belong to the refusal, such as {@code WWW-Authenticate} or {@code Retry-After}
 */
public record OAuthError(ErrorCode code, int status, String description, String detail, Map<String, Object> extra,
                         Map<String, String> headers) {
    private static final Set<String> OWN_MEMBERS = Set.of("error", "error_description");

    public OAuthError {
        Objects.requireNonNull(code);
        Objects.requireNonNull(description);
        if (status < 400 || status > 599) throw new IllegalArgumentException("an error answers 4xx or 5xx, not " + status);
        detail = detail == null ? description : detail;
        for (String name : extra.keySet()) if (OWN_MEMBERS.contains(name)) throw new IllegalArgumentException("extra member " + name);
        extra = copy(extra);
        headers = copy(headers);
    }

    public OAuthError(ErrorCode code, String description, String detail) {
        this(code, code.status(), description, detail, Map.of(), Map.of());
    }

    public static OAuthError of(ErrorCode code, String description) {
        return new OAuthError(code, description, description);
    }

    /** {@code 503 temporarily_unavailable} with {@code Retry-After: 1}: the client may retry the same request at once. */
    public static OAuthError unavailable(String description, String detail) {
        return new OAuthError(ErrorCode.TEMPORARILY_UNAVAILABLE, description, detail).withHeader("Retry-After", "1");
    }

    public OAuthError withStatus(int newStatus) {
        return new OAuthError(code, newStatus, description, detail, extra, headers);
    }

    public OAuthError withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new OAuthError(code, status, description, detail, extra, h);
    }

    public OAuthError withExtra(String name, Object value) {
        Map<String, Object> e = new LinkedHashMap<>(extra);
        e.put(name, value);
        return new OAuthError(code, status, description, detail, e, headers);
    }

    /** Order-preserving and unmodifiable: the body's members come out in the order they were added. */
    private static <V> Map<String, V> copy(Map<String, V> map) {
        return map.isEmpty() ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
