package dev.rotor.http;

import dev.rotor.crypto.Base64Url;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The hosted pages' CSRF defence, a signed double submit: the browser holds a random value in an HttpOnly,
 * SameSite=Strict cookie, and every form carries {@code HMAC(key, cookie value, form action, page handle)} in a hidden
 * field. Another site can make the browser post a form, but cannot read the cookie or the page, so it cannot compute
 * the field; a field copied from the attacker's own page is bound to the attacker's cookie, and one copied from
 * another page of the victim's is bound to that page's handle and action. Nothing is stored: every node holds the key.
 */
final class PageCsrf {
    /** What a form's token proves about its browser and its page. */
    enum Verdict { VALID, NO_COOKIE, NO_FIELD, WRONG }

    private static final int COOKIE_BYTES = 32;
    private static final String ALGORITHM = "HmacSHA256";
    private static final byte[] PURPOSE = "rotor-page-csrf-v1".getBytes(StandardCharsets.US_ASCII);

    private final SecretKeySpec key;
    private final HttpOnlyCookie cookie;
    private final SecureRandom random;

    PageCsrf(byte[] key, HttpOnlyCookie cookie, SecureRandom random) {
        this.key = new SecretKeySpec(key, ALGORITHM);
        this.cookie = cookie;
        this.random = random;
    }

    /**
     * The token for a form posting to {@code action} with page handle {@code handle} (empty when the form has none). The
     * browser's cookie is kept when it sent a well-formed one, and set otherwise: a page reached from another site
     * arrives without it (SameSite=Strict), and the new value then serves this page and the pages after it.
     */
    String issue(Context ctx, String action, String handle) {
        String browser = cookie.read(ctx);
        if (!wellFormed(browser)) {
            byte[] fresh = new byte[COOKIE_BYTES];
            random.nextBytes(fresh);
            browser = Base64Url.encode(fresh);
            cookie.setForBrowserSession(ctx, browser);
        }
        return sign(browser, action, handle);
    }

    /** Whether {@code token} is the one {@link #issue} made for this browser's cookie, this action and this handle. */
    Verdict verify(Context ctx, String action, String handle, String token) {
        String browser = cookie.read(ctx);
        if (!wellFormed(browser)) return Verdict.NO_COOKIE;
        if (token == null || token.isEmpty()) return Verdict.NO_FIELD;
        byte[] expected = sign(browser, action, handle).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, token.getBytes(StandardCharsets.UTF_8)) ? Verdict.VALID : Verdict.WRONG;
    }

    private String sign(String browser, String action, String handle) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update(PURPOSE);
            // Length-prefixed parts, so that no two different triples sign the same bytes.
            for (String part : new String[] {browser, action, handle == null ? "" : handle}) {
                byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                mac.update(new byte[] {(byte) (bytes.length >>> 24), (byte) (bytes.length >>> 16), (byte) (bytes.length >>> 8), (byte) bytes.length});
                mac.update(bytes);
            }
            return Base64Url.encode(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
        }
    }

    private static boolean wellFormed(String value) {
        if (value == null) return false;
        byte[] bytes = Base64Url.decodeCanonical(value);
        return bytes != null && bytes.length == COOKIE_BYTES;
    }
}
