package dev.rotor.audit;

/** Where a request came from, as gathered at the edge: client IP (after trusted proxies) and User-Agent. */
public record RequestInfo(String ip, String userAgent) {
    public static final RequestInfo NONE = new RequestInfo(null, null);

    public RequestInfo {
        // A User-Agent is attacker-chosen text; keep what is stored and logged short.
        if (userAgent != null && userAgent.length() > 512) userAgent = userAgent.substring(0, 512);
    }
}
