package dev.rotor.oauth.authorize;

import dev.rotor.crypto.Base64Url;
import dev.rotor.crypto.Sealer;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The handle a sign-in or consent page carries from one request to the next: the authorization request's parameters,
 * the step and when the page was made, sealed (AES-GCM) under a server key that every node shares. Nothing is stored,
 * so any node can serve the next step; a handle opens only for {@link #LIFETIME} and only for the step it was made for,
 * and the request is checked again when it opens, so a client changed or removed meanwhile is noticed.
 */
public final class Interactions {
    /** How long a sign-in or consent page stays usable. */
    public static final Duration LIFETIME = Duration.ofMinutes(15);
    static final int MAX_LENGTH = 16 * 1024;
    private static final byte[] AAD = "rotor-interaction-v1".getBytes(StandardCharsets.US_ASCII);

    private final Sealer sealer;
    private final Clock clock;

    public Interactions(Sealer sealer, Clock clock) {
        this.sealer = sealer;
        this.clock = clock;
    }

    public enum Step { SIGN_IN, CONSENT }

    /** An opened handle. @param ssoSessionId the signed-in session a consent page was shown to; null for sign-in */
    public record Opened(Map<String, String> params, Step step, String ssoSessionId) {}

    public String seal(Map<String, String> params, Step step, String ssoSessionId) {
        StringBuilder form = new StringBuilder();
        for (Map.Entry<String, String> e : new TreeMap<>(params).entrySet()) {
            form.append(encode(e.getKey())).append('=').append(encode(e.getValue())).append('&');
        }
        byte[] text = form.toString().getBytes(StandardCharsets.UTF_8);
        byte[] sso = ssoSessionId == null ? new byte[0] : ssoSessionId.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + 1 + 2 + sso.length + text.length);
        b.putLong(clock.millis()).put((byte) step.ordinal()).putShort((short) sso.length).put(sso).put(text);
        return Base64Url.encode(sealer.seal(b.array(), AAD));
    }

    /** Empty when the handle is malformed, forged, for another step or older than {@link #LIFETIME}. */
    public Optional<Opened> open(String handle, Step expected) {
        if (handle == null || handle.isEmpty() || handle.length() > MAX_LENGTH) return Optional.empty();
        try {
            ByteBuffer b = ByteBuffer.wrap(sealer.open(Base64Url.decodeCanonical(handle), AAD));
            Instant made = Instant.ofEpochMilli(b.getLong());
            Step step = Step.values()[b.get()];
            byte[] sso = new byte[b.getShort()];
            b.get(sso);
            byte[] text = new byte[b.remaining()];
            b.get(text);
            Instant now = clock.instant();
            if (step != expected || now.isAfter(made.plus(LIFETIME)) || made.isAfter(now.plusSeconds(60))) return Optional.empty();
            Map<String, String> params = new HashMap<>();
            for (String pair : new String(text, StandardCharsets.UTF_8).split("&")) {
                if (pair.isEmpty()) continue;
                int eq = pair.indexOf('=');
                params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
            return Optional.of(new Opened(params, step, sso.length == 0 ? null : new String(sso, StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException | RuntimeException e) {
            return Optional.empty(); // not ours, or not whole: the page is treated as expired
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
