package dev.rotor.risk.source;

import dev.rotor.crypto.Base64Url;
import dev.rotor.crypto.Digests;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Device ids for the "new device" signal. Rotor stores only their SHA-256, so a copy of the database cannot be turned
 * into a cookie that makes a stranger's browser look known.
 *
 * <p><b>Browsers</b> carry a random id in a long-lived HttpOnly cookie ({@link #COOKIE}, or {@link #COOKIE_LOCAL} when
 * cookies are not Secure): 32 random bytes, base64url. {@link #issue} makes one for a browser that has none (or whose
 * cookie is malformed); {@link #browserHash} turns a presented cookie into the hash the engine compares. The cookie is
 * {@code HttpOnly; Secure; SameSite=Lax; Path=/; Max-Age=}{@link #COOKIE_MAX_AGE_SECONDS}: Lax and Path=/ so that it
 * comes along to the hosted sign-in page a client's link opens as well as to {@code /auth/login}; the {@code __Host-}
 * prefix so that no subdomain can plant one. The HTTP side (reading the Cookie header, setting the cookie after a
 * successful sign-in) is {@code http/DeviceCookie}.
 *
 * <p><b>Native apps</b> send their own id with the sign-in as the {@link #NATIVE_PARAMETER} form parameter: a random
 * value the app makes once per installation and keeps in its secure storage (Keychain, Keystore), 22 to 128 characters
 * of {@code A-Z a-z 0-9 - . _ ~} (at least 128 bits of a UUID or 16 random bytes). Its hash is bound to the client
 * ({@link #nativeHash}), so an id one app sends never counts as known for another. The refresh-token family a sign-in
 * starts remembers the device's hash: a refresh that presents another one (the app sends its {@code device_id} again, a
 * browser its cookie) is scored as another device; one that presents none is not.
 */
public final class DeviceIds {
    public static final String COOKIE = "__Host-rotor_device";
    public static final String COOKIE_LOCAL = "rotor_device";
    /** 400 days: the longest lifetime browsers grant a cookie (RFC 6265bis §5.6.1); refreshed at each sign-in. */
    public static final long COOKIE_MAX_AGE_SECONDS = 400L * 24 * 3600;
    public static final String NATIVE_PARAMETER = "device_id";
    private static final int BYTES = 32;
    private static final Pattern NATIVE = Pattern.compile("[A-Za-z0-9._~-]{22,128}");

    private DeviceIds() {}

    /**
     * A new browser device id.
     *
     * @param cookieValue what goes into the cookie, and nowhere else (never a log line, never the database)
     * @param hash        what the engine remembers
     */
    public record Issued(String cookieValue, String hash) {
        @Override
        public String toString() {
            return "Issued[cookieValue=***, hash=" + hash + "]";
        }
    }

    public static Issued issue(SecureRandom random) {
        byte[] id = new byte[BYTES];
        random.nextBytes(id);
        String value = Base64Url.encode(id);
        return new Issued(value, hash("browser", value));
    }

    /** The hash of a presented device cookie; empty when the value is not one {@link #issue} makes (then issue a new one). */
    public static Optional<String> browserHash(String cookieValue) {
        if (cookieValue == null) return Optional.empty();
        byte[] id = Base64Url.decodeCanonical(cookieValue);
        return id != null && id.length == BYTES ? Optional.of(hash("browser", cookieValue)) : Optional.empty();
    }

    /** The hash of a native app's {@value #NATIVE_PARAMETER}; empty when absent or malformed (scored as a new device). */
    public static Optional<String> nativeHash(String clientId, String deviceId) {
        if (clientId == null || deviceId == null || !NATIVE.matcher(deviceId).matches()) return Optional.empty();
        return Optional.of(hash("native:" + clientId, deviceId));
    }

    /** Domain-separated: a browser cookie and a native id of the same text never share a hash. */
    private static String hash(String kind, String value) {
        return Digests.sha256(kind + "\n" + value);
    }
}
