package dev.rotor.risk.source;

/**
 * A coarse "Browser on OS" label of a User-Agent: the family the refresh signal compares (a browser updating from
 * version 130 to 131 stays "Chrome on Android"; the same token from "curl" does not) and the sessions list shows.
 * Hand-written on purpose: a full UA parser library (and its regex database) is more than a family comparison and a
 * human-readable hint need.
 */
public final class UserAgentFamily {
    /** The family of a missing or blank User-Agent. */
    public static final String UNKNOWN = "unknown device";

    private UserAgentFamily() {}

    public static String of(String ua) {
        if (ua == null || ua.isBlank()) return UNKNOWN;
        String browser = ua.contains("Edg/") ? "Edge" : ua.contains("OPR/") ? "Opera" : ua.contains("Firefox/") ? "Firefox"
                : ua.contains("Chrome/") || ua.contains("Chromium/") ? "Chrome" : ua.contains("Safari/") ? "Safari"
                : ua.contains("curl/") ? "curl" : ua.startsWith("Java-http-client") ? "Java HTTP client" : "other client";
        String os = ua.contains("Android") ? "Android" : ua.contains("iPhone") || ua.contains("iPad") ? "iOS"
                : ua.contains("Windows") ? "Windows" : ua.contains("Mac OS X") ? "macOS" : ua.contains("Linux") ? "Linux" : null;
        return os == null ? browser : browser + " on " + os;
    }
}
