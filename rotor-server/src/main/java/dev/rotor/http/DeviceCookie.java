package dev.rotor.http;

import dev.rotor.oauth.OAuthException;
import dev.rotor.risk.source.DeviceIds;
import io.javalin.http.Context;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;

/**
 * The browser's device cookie for the risk engine's "new device" signal ({@link DeviceIds} says what it holds). No
 * route calls it yet; the sign-in seam will, in this order:
 * <pre>
 * String presented = deviceCookie.presentedHash(ctx).orElse(null);   // before assessSignIn: null is a new device
 * Assessment a = risk.assessSignIn(new SignInContext(..., presented, ...));
 * // once the sign-in is allowed, or its step-up succeeded:
 * String hash = deviceCookie.remember(ctx, now);                        // keeps or issues the cookie
 * risk.recordSuccess(new SignInContext(..., hash, ...));
 * </pre>
 * A native app sends {@value DeviceIds#NATIVE_PARAMETER} instead: {@link DeviceIds#nativeHash} of it, with the client id.
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
        try {
            return DeviceIds.browserHash(cookie.read(ctx));
        } catch (OAuthException twoCookies) {
            return Optional.empty(); // a new device, not an error: the sign-in itself is fine
        }
    }

    /**
     * After a successful sign-in: sets the cookie again with a fresh Max-Age, keeping the browser's id, or a new id when
     * it had none (or an unusable one).
     *
     * @return the hash of the id the browser now holds, for {@code RiskEngine.recordSuccess}
     */
    String remember(Context ctx, Instant now) {
        String value;
        String hash;
        String presented;
        try {
            presented = cookie.read(ctx);
        } catch (OAuthException twoCookies) {
            presented = null;
        }
        Optional<String> known = DeviceIds.browserHash(presented);
        if (known.isPresent()) {
            value = presented;
            hash = known.get();
        } else {
            DeviceIds.Issued issued = DeviceIds.issue(random);
            value = issued.cookieValue();
            hash = issued.hash();
        }
        cookie.set(ctx, value, now.plusSeconds(DeviceIds.COOKIE_MAX_AGE_SECONDS), now);
        return hash;
    }
}
