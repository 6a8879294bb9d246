package dev.rotor.logout;

import dev.rotor.audit.AuditEvent;
import dev.rotor.audit.AuditLog;
import dev.rotor.audit.RequestInfo;
import dev.rotor.session.LogoutNotice;
import dev.rotor.token.LogoutTokens;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the back-channel logout outbox (Back-Channel Logout 1.0 §2.5): a background thread claims due rows, signs
 * a logout token for each and POSTs it as {@code logout_token=...} to the client's URI, never in the request that
 * ended the session. Any 2xx is delivered (§2.8 asks for 200); 400 is the client's refusal, and so is any other 4xx or
 * 3xx (redirects are not followed: the registered URI is where the token goes); a network error, a timeout, 429 and
 * 5xx are tried again with exponential backoff until {@link Settings#giveUpAfter}. Every node may run one: claims are
 * atomic across nodes.
 */
public final class LogoutDeliverer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogoutDeliverer.class);

    /**
     * @param firstRetry  the wait after the first failure; it doubles after each further one
     * @param maxRetry    the longest wait between two attempts
     * @param giveUpAfter how long after it was queued a delivery is abandoned (with an audit event)
     * @param poll        how often the outbox is looked at when it had nothing due
     * @param timeout     connect and response timeout of one POST
     * @param batch       rows claimed at once, delivered concurrently
     */
    public record Settings(Duration firstRetry, Duration maxRetry, Duration giveUpAfter, Duration poll, Duration timeout, int batch) {
        /** 5 s doubling to 1 h, abandoned after 24 h; the outbox looked at every second; 5 s per POST. */
        public static final Settings DEFAULT = new Settings(Duration.ofSeconds(5), Duration.ofHours(1), Duration.ofHours(24),
                Duration.ofSeconds(1), Duration.ofSeconds(5), 32);

        public Settings {
            if (firstRetry.isNegative() || firstRetry.isZero() || maxRetry.compareTo(firstRetry) < 0 || giveUpAfter.isNegative()
                    || poll.isNegative() || poll.isZero() || timeout.isNegative() || timeout.isZero() || batch < 1) {
                throw new IllegalArgumentException("invalid back-channel logout settings " + this);
            }
        }

        /** A claim outlives every POST of its batch, so that no other node takes a row that is still being sent. */
        Duration lease() {
            return timeout.multipliedBy(3).plusSeconds(10);
        }
    }

    private final LogoutOutbox outbox;
    private final LogoutTokens tokens;
    private final AuditLog audit;
    private final Clock clock;
    private final HttpClient http;
    private final Settings settings;
    private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
    private final Object wake = new Object();
    private volatile boolean running;
    private Thread thread;

    public LogoutDeliverer(LogoutOutbox outbox, LogoutTokens tokens, AuditLog audit, Clock clock, Settings settings) {
        this.outbox = outbox;
        this.tokens = tokens;
        this.audit = audit;
        this.clock = clock;
        this.settings = settings;
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public synchronized void start() {
        if (thread != null) return;
        running = true;
        thread = Thread.ofPlatform().name("rotor-logout-deliverer").daemon(true).start(this::loop);
    }

    private void loop() {
        while (running) {
            int claimed = 0;
            try {
                claimed = deliverDue();
            } catch (RuntimeException e) {
                LOG.warn("back-channel logout delivery failed: {}", e.toString());
            }
            if (claimed == 0) {
                synchronized (wake) {
                    if (!running) return;
                    try {
                        wake.wait(settings.poll().toMillis());
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }
    }

    /** Claims the rows due now and tries each once, concurrently; returns how many it claimed. */
    public int deliverDue() {
        Instant now = clock.instant();
        List<LogoutDelivery> due = outbox.claim(now, now.plus(settings.lease()), settings.batch());
        List<Future<?>> sent = due.stream().<Future<?>>map(d -> senders.submit(() -> attempt(d))).toList();
        for (Future<?> f : sent) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return due.size();
            } catch (java.util.concurrent.ExecutionException e) {
                LOG.warn("back-channel logout attempt failed: {}", e.getCause().toString());
            }
        }
        return due.size();
    }

    private void attempt(LogoutDelivery d) {
        LogoutNotice n = d.notice();
        Integer status = post(n);
        Instant now = clock.instant();
        if (status != null && status >= 200 && status < 300) {
            outbox.remove(d.id());
            record(now, "logout.delivered", d, status, d.attempts() + 1, null);
        } else if (status != null && status != 429 && status < 500) {
            outbox.remove(d.id());
            record(now, "logout.failed", d, status, d.attempts() + 1, "refused");
            LOG.warn("back-channel logout to client {} refused with HTTP {}; not retried", n.clientId(), status);
        } else {
            int attempts = d.attempts() + 1;
            Instant next = now.plus(backoff(attempts));
            if (next.isAfter(d.createdAt().plus(settings.giveUpAfter()))) {
                outbox.remove(d.id());
                record(now, "logout.failed", d, status, attempts, "gave_up");
                LOG.warn("back-channel logout to client {} abandoned after {} attempts", n.clientId(), attempts);
            } else {
                outbox.reschedule(d.id(), attempts, next, status);
            }
        }
    }

    /** The wait after the {@code attempts}-th failure: {@code firstRetry} doubled each time, at most {@code maxRetry}. */
    Duration backoff(int attempts) {
        Duration wait = settings.firstRetry();
        for (int i = 1; i < attempts && wait.compareTo(settings.maxRetry()) < 0; i++) wait = wait.multipliedBy(2);
        return wait.compareTo(settings.maxRetry()) > 0 ? settings.maxRetry() : wait;
    }

    /** The receiver's status; null for a network error or a timeout. The token is made now, fresh for this attempt. */
    private Integer post(LogoutNotice n) {
        String token = tokens.issue(n.clientId(), n.subject(), n.sid());
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(n.uri())).timeout(settings.timeout())
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("logout_token=" + URLEncoder.encode(token, StandardCharsets.US_ASCII)))
                    .build();
            // The body says nothing we use (§2.8): discarded unread.
            HttpResponse<Void> answer = http.send(request, HttpResponse.BodyHandlers.discarding());
            return answer.statusCode();
        } catch (IOException | IllegalArgumentException e) {
            LOG.info("back-channel logout to client {} failed: {}", n.clientId(), e.getClass().getSimpleName());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private void record(Instant now, String type, LogoutDelivery d, Integer status, int attempts, String reason) {
        Map<String, String> detail = new LinkedHashMap<>();
        detail.put("uri", d.notice().uri());
        if (d.notice().sid() != null) detail.put("sso_session", d.notice().sid());
        detail.put("attempts", Integer.toString(attempts));
        detail.put("status", status == null ? "network_error" : status.toString());
        if (reason != null) detail.put("reason", reason);
        audit.record(AuditEvent.of(now, type, d.notice().subject(), null, d.notice().clientId(), RequestInfo.NONE, detail));
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
            thread = null;
        }
        synchronized (wake) {
            wake.notifyAll();
        }
        senders.shutdownNow();
        if (t != null) {
            t.interrupt();
            try {
                t.join(settings.timeout().toMillis() + 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
