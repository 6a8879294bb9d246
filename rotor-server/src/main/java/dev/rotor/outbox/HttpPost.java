package dev.rotor.outbox;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One POST of an outbox attempt, as a {@link OutboxDeliverer.Channel} sends it: bounded by the timeout, redirects not
 * followed (the configured URI is where the row goes), the response body discarded unread.
 */
public final class HttpPost {
    private static final Logger LOG = LoggerFactory.getLogger(HttpPost.class);

    private final Duration timeout;
    private final HttpClient http;

    public HttpPost(Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * POSTs {@code body} with {@code headers} (name, value, name, value...); the receiver's status, or null for a network
     * error, a timeout or a URI that cannot be sent to, logged at INFO naming {@code what} and the kind of failure only.
     */
    public Integer send(String what, URI uri, byte[] body, String... headers) {
        try {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).headers(headers)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException | IllegalArgumentException e) {
            LOG.info("{} failed: {}", what, e.getClass().getSimpleName());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
