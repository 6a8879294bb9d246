package dev.rotor.config;

import java.net.URI;

/** Browser origins (RFC 6454): {@code scheme://host[:port]}, nothing after. */
public final class Origins {
    private Origins() {}

    public static boolean isOrigin(String value) {
        try {
            URI uri = new URI(value);
            return uri.getScheme() != null && uri.getHost() != null && (uri.getRawPath() == null || uri.getRawPath().isEmpty())
                    && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }
}
