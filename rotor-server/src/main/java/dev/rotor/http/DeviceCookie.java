package dev.rotor.http;

import dev.rotor.oauth.OAuthException;
import dev.rotor.risk.source.DeviceIds;
import io.javalin.http.Context;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;

/**
 * The browser's device cookie for the risk engine's "new device" signal ({@link DeviceIds} says what it holds).
 * {@link Edge#signInRequest} sets it on every browser sign-in request and hands its hash to the sign-in seam, which
 * scores it and, once the sign-in goes through, remembers it for that user. A native app sends
 * {@value DeviceIds#NATIVE_PARAMETER} instead: {@link DeviceIds#nativeHash} of it, with the client id.
 */
final class DeviceCookie {
    private final HttpOnlyCookie cookie;
    private final SecureRandom random;

    DeviceCookie(boolean secure, SecureRandom random) {
        this.cookie = HttpOnlyCookie.device(secure);
        this.random = random;
    }

    /** The hash of the device id the browser presented; empty when it sent none, a malformed one, or two (planted). */
    Optional<String> presentedHash(Context ctx) {
        return DeviceIds.browserHash(presented(ctx));
    }

    /** The cookie's value; null when absent, or sent twice (planted): a new device, not an error. */
    private String presented(Context ctx) {
        try {
            return cookie.read(ctx);
        } catch (OAuthException twoCookies) {
            return null;
        }
    }

    /**
     * The device a sign-in request comes from: the browser's own id when it presented a usable one, else a new id,
     * issued now but set only by {@link #keep}, so that a refused attempt sets no cookie.
     */
    Device identify(Context ctx) {
        String presented = presented(ctx);
        Optional<String> known = DeviceIds.browserHash(presented);
        if (known.isPresent()) return new Device(presented, known.get());
        DeviceIds.Issued issued = DeviceIds.issue(random);
        return new Device(issued.cookieValue(), issued.hash());
    }

    /** @param cookieValue what the cookie holds; never logged */
    record Device(String cookieValue, String hash) {
        @Override
        public String toString() {
            return "Device[hash=" + hash + "]";
        }
    }

    /** Once the sign-in went through or was held for its second factor: (re)sets the cookie with a fresh Max-Age. */
    void keep(Context ctx, Device device, Instant now) {
        cookie.set(ctx, device.cookieValue(), now.plusSeconds(DeviceIds.COOKIE_MAX_AGE_SECONDS), now);
    }
}
