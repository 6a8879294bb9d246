package dev.rotor.http;

/**
 * A coarse "Browser on OS" label for the sessions list. Hand-written on purpose: a full UA parser library (and its
 * regex database) is more than a human-readable hint needs; the raw User-Agent is returned beside it.
 */
final class UserAgents {
    private UserAgents() {}

    static String describe(String ua) {
        if (ua == null || ua.isBlank()) return "unknown device";
        String browser = ua.contains("Edg/") ? "Edge" : ua.contains("OPR/") ? "Opera" : ua.contains("Firefox/") ? "Firefox"
                : ua.contains("Chrome/") || ua.contains("Chromium/") ? "Chrome" : ua.contains("Safari/") ? "Safari"
                : ua.contains("curl/") ? "curl" : ua.startsWith("Java-http-client") ? "Java HTTP client" : "other client";
        String os = ua.contains("Android") ? "Android" : ua.contains("iPhone") || ua.contains("iPad") ? "iOS"
                : ua.contains("Windows") ? "Windows" : ua.contains("Mac OS X") ? "macOS" : ua.contains("Linux") ? "Linux" : null;
        return os == null ? browser : browser + " on " + os;
    }
}
