package dev.rotor.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs each notice as JSON to the configured webhook, signed ({@link WebhookSignature}) and with its id in
 * {@code Rotor-Event-Id}. Each attempt is signed at the time it is sent. Redirects are not followed: the configured
 * URL is where notices go. The response body is discarded unread.
 */
public final class WebhookNotifier implements Notifier {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookNotifier.class);

    private final URI url;
    private final WebhookSignature signature;
    private final Clock clock;
    private final Duration timeout;
    private final HttpClient http;

    public WebhookNotifier(URI url, String secret, Clock clock, Duration timeout) {
        this.url = url;
        this.signature = new WebhookSignature(secret);
        this.clock = clock;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public Integer send(SecurityNotice notice) {
        byte[] body = notice.json().getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json")
                .header(WebhookSignature.EVENT_ID_HEADER, notice.id())
                .header(WebhookSignature.HEADER, signature.header(clock.instant().getEpochSecond(), body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            LOG.info("security notice {} to the webhook failed: {}", notice.id(), e.getClass().getSimpleName());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The scheme, host and port only: a path or query may hold a receiver's own credential. */
    @Override
    public String describe() {
        return "the webhook at " + url.getScheme() + "://" + url.getAuthority();
    }
}
