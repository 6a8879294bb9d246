package dev.rotor.notify;

import dev.rotor.outbox.HttpPost;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * POSTs each notice as JSON to the configured webhook, signed ({@link WebhookSignature}) and with its id in
 * {@code Rotor-Event-Id}. Each attempt is signed at the time it is sent, so a retry passes a receiver's tolerance.
 * Redirects are not followed: the configured URL is where notices go.
 */
public record WebhookNotifier(URI url, WebhookSignature signature, Clock clock, HttpPost post) implements Notifier {
    /** @param secret the HMAC-SHA256 key of {@code Rotor-Signature} */
    public WebhookNotifier(URI url, String secret, Clock clock, HttpPost post) {
        this(url, new WebhookSignature(secret), clock, post);
    }

    @Override
    public Integer send(SecurityNotice notice) {
        byte[] body = notice.json().getBytes(StandardCharsets.UTF_8);
        String signed = signature.header(clock.instant().getEpochSecond(), body);
        return post.send("security notice " + notice.id() + " to the webhook", url, body, "Content-Type", "application/json",
                WebhookSignature.EVENT_ID_HEADER, notice.id(), WebhookSignature.HEADER, signed);
    }

    /** The scheme, host and port only: a path or query may hold a receiver's own credential. */
    @Override
    public String describe() {
        return "the webhook at " + url.getScheme() + "://" + url.getAuthority();
    }

    @Override
    public String toString() {
        return "WebhookNotifier[" + describe() + "]";
    }
}
