package dev.rotor.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of a webhook POST: {@code Rotor-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>}, the HMAC keyed with
 * the webhook secret's UTF-8 bytes over {@code <t>.<body>} (the decimal seconds, a full stop, the body's bytes as sent).
 * A receiver computes the same HMAC over the body it received, compares it in constant time, and refuses a {@code t}
 * further than {@link #TOLERANCE} from its own clock, so that a recorded POST cannot be played again later; within the
 * tolerance a repeat carries the same {@code Rotor-Event-Id}, which it drops. The timestamp is signed with the body, so
 * it cannot be moved forward.
 */
public final class WebhookSignature {
    public static final String HEADER = "Rotor-Signature";
    public static final String EVENT_ID_HEADER = "Rotor-Event-Id";
    /** How far a receiver should let {@code t} be from its clock: each attempt is signed afresh, so retries pass. */
    public static final Duration TOLERANCE = Duration.ofMinutes(5);

    private final SecretKeySpec key;

    public WebhookSignature(String secret) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** The header's value for {@code body} sent at {@code epochSecond}. */
    public String header(long epochSecond, byte[] body) {
        return "t=" + epochSecond + ",v1=" + HexFormat.of().formatHex(mac(epochSecond, body));
    }

    private byte[] mac(long epochSecond, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update((epochSecond + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "WebhookSignature[key=***]";
    }
}
