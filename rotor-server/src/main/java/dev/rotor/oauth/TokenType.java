package dev.rotor.oauth;

/**
 * The two kinds of token Rotor hands out: what a {@code token_type_hint} names (RFC 7009 §2.1, RFC 7662 §2.1) and
 * what introspection found.
 */
public enum TokenType {
    ACCESS_TOKEN,
    REFRESH_TOKEN
}
