package dev.rotor.audit;

/**
 * Where a request came from, as gathered at the edge: client IP (after trusted proxies), User-Agent, and on the
 * surfaces where someone signs in, the device.
 *
 * @param deviceHash the hash of the device id the request carries (a browser's device cookie, a native app's
 *                   {@code device_id}; see {@code risk/source/DeviceIds}), null when none; never audited, never the id itself
 */
public record RequestInfo(String ip, String userAgent, String deviceHash) {
    public static final RequestInfo NONE = new RequestInfo(null, null, null);

    public RequestInfo {
        // A User-Agent is attacker-chosen text; keep what is stored and logged short.
        if (userAgent != null && userAgent.length() > 512) userAgent = userAgent.substring(0, 512);
    }

    /** A request with no device id. */
    public RequestInfo(String ip, String userAgent) {
        this(ip, userAgent, null);
    }

    /** This request as from the device whose id hashes to {@code deviceHash}. */
    public RequestInfo withDevice(String deviceHash) {
        return new RequestInfo(ip, userAgent, deviceHash);
    }
}
