package dev.rotor.oauth.authorize;

import java.util.Map;

/**
 * What goes back to the client's redirect URI: a code or an error, with {@code state} and {@code iss} (RFC 9207), in
 * the response mode the request chose.
 */
public record AuthorizationResponse(String redirectUri, ResponseMode mode, Map<String, String> params) {
    public AuthorizationResponse {
        params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
    }

    @Override
    public String toString() {
        return "AuthorizationResponse[" + redirectUri + ", " + mode.value() + ", " + params.keySet() + "]";
    }
}
