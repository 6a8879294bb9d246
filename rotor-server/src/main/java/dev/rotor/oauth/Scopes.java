package dev.rotor.oauth;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/** Scope strings (RFC 6749 §3.3): space-delimited, case-sensitive, order-insensitive. */
public final class Scopes {
    private static final int MAX_LENGTH = 1024;

    private Scopes() {}

    public static Set<String> parse(String scope) {
        if (scope == null || scope.isBlank()) return Set.of();
        return new LinkedHashSet<>(Arrays.asList(scope.trim().split(" +")));
    }

    /**
     * The granted scope: {@code allowed} when nothing was asked, else the request if it lies within {@code allowed}.
     *
     * @throws OAuthException invalid_scope when the request asks for more
     */
    public static String grant(String requested, String allowed) {
        if (requested == null || requested.isBlank()) return allowed;
        if (requested.length() > MAX_LENGTH || !requested.matches("[\\x21\\x23-\\x5B\\x5D-\\x7E ]+")) {
            throw new OAuthException(ErrorCode.INVALID_SCOPE, "scope is malformed");
        }
        Set<String> asked = parse(requested);
        if (!parse(allowed).containsAll(asked)) {
            throw new OAuthException(ErrorCode.INVALID_SCOPE, "requested scope exceeds what was granted",
                    "asked '" + requested + "', allowed '" + allowed + "'");
        }
        return String.join(" ", asked);
    }
}
