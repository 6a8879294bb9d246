package dev.rotor.outbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers a durable {@link Outbox} in the background, never in the request that queued a row: a thread claims the
 * due rows and tries each once, concurrently, through a {@link Channel}. Any 2xx is delivered; any other 4xx or a 3xx
 * is the receiver's refusal, which trying again would not change; a network error, a timeout, 429 and 5xx are tried
 * again with exponential backoff until {@link Settings#giveUpAfter}. A row is removed only after its attempt, so a node
 * that dies between sending and removing leaves it to be sent again once its lease runs out: at least once. Every node
 * may run one: claims are atomic across nodes.
 *
 * <p>Back-channel logout and security notices share this loop, each as a subclass that names its {@link Channel}: what
 * it sends, and what it records of the outcome.
 */
public class OutboxDeliverer<Q extends Queued> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxDeliverer.class);

    /**
     * @param firstRetry  the wait after the first failure; it doubles after each further one
     * @param maxRetry    the longest wait between two attempts
     * @param giveUpAfter how long after it was queued a delivery is abandoned
     * @param poll        how often the outbox is looked at when it had nothing due
     * @param timeout     connect and response timeout of one attempt
     * @param batch       rows claimed at once, delivered concurrently
     */
    public record Settings(Duration firstRetry, Duration maxRetry, Duration giveUpAfter, Duration poll, Duration timeout, int batch) {
        /** 5 s doubling to 1 h, abandoned after 24 h; the outbox looked at every second; 5 s per attempt. */
        public static final Settings DEFAULT = new Settings(Duration.ofSeconds(5), Duration.ofHours(1), Duration.ofHours(24),
                Duration.ofSeconds(1), Duration.ofSeconds(5), 32);

        public Settings {
            if (firstRetry.isNegative() || firstRetry.isZero() || maxRetry.compareTo(firstRetry) < 0 || giveUpAfter.isNegative()
                    || poll.isNegative() || poll.isZero() || timeout.isNegative() || timeout.isZero() || batch < 1) {
                throw new IllegalArgumentException("invalid delivery settings " + this);
            }
        }

        /** A claim outlives every attempt of its batch, so that no other node takes a row that is still being sent. */
        Duration lease() {
            return timeout.multipliedBy(3).plusSeconds(10);
        }
    }

    /** What one kind of outbox sends, and what it records of the outcome. */
    public interface Channel<Q> {
        /**
         * One attempt; the receiver's HTTP status, or null for a network error or a timeout. A receiver that is not
         * reached over HTTP answers 200 when it took the row.
         */
        Integer send(Q row);

        /** The attempt that succeeded, the {@code attempts}-th. */
        void delivered(Q row, int status, int attempts, Instant now);

        /**
         * The row is removed undelivered: {@code reason} is {@code refused} (the receiver answered {@code status}, which
         * trying again would not change) or {@code gave_up} ({@link Settings#giveUpAfter} passed; {@code status} is the
         * last answer, null after a network error).
         */
        void abandoned(Q row, Integer status, int attempts, String reason, Instant now);
    }

    private final String name;
    private final Outbox<Q> outbox;
    private final Channel<Q> channel;
    private final Clock clock;
    private final Settings settings;
    private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
    private final Object wake = new Object();
    private volatile boolean running;
    private Thread thread;

    /** @param name what is delivered, for the thread's name and the log: {@code back-channel logout} */
    public OutboxDeliverer(String name, Outbox<Q> outbox, Channel<Q> channel, Clock clock, Settings settings) {
        this.name = name;
        this.outbox = outbox;
        this.channel = channel;
        this.clock = clock;
        this.settings = settings;
    }

    public synchronized void start() {
        if (thread != null) return;
        running = true;
        thread = Thread.ofPlatform().name("rotor-" + name.replace(' ', '-') + "-deliverer").daemon(true).start(this::loop);
    }

    private void loop() {
        while (running) {
            int claimed = 0;
            try {
                claimed = deliverDue();
            } catch (RuntimeException e) {
                LOG.warn("{} delivery failed: {}", name, e.toString());
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
        List<Q> due = outbox.claim(now, now.plus(settings.lease()), settings.batch());
        List<Future<?>> sent = due.stream().<Future<?>>map(q -> senders.submit(() -> attempt(q))).toList();
        for (Future<?> f : sent) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return due.size();
            } catch (ExecutionException e) {
                LOG.warn("{} attempt failed: {}", name, e.getCause().toString());
            }
        }
        return due.size();
    }

    private void attempt(Q q) {
        Integer status = channel.send(q);
        Instant now = clock.instant();
        int attempts = q.attempts() + 1;
        if (status != null && status >= 200 && status < 300) {
            outbox.remove(q.id());
            channel.delivered(q, status, attempts, now);
        } else if (status != null && status != 429 && status < 500) {
            outbox.remove(q.id());
            channel.abandoned(q, status, attempts, "refused", now);
        } else {
            Instant next = now.plus(backoff(attempts));
            if (next.isAfter(q.createdAt().plus(settings.giveUpAfter()))) {
                outbox.remove(q.id());
                channel.abandoned(q, status, attempts, "gave_up", now);
            } else {
                outbox.reschedule(q.id(), attempts, next, status);
            }
        }
    }

    /** The wait after the {@code attempts}-th failure: {@code firstRetry} doubled each time, at most {@code maxRetry}. */
    public Duration backoff(int attempts) {
        Duration wait = settings.firstRetry();
        for (int i = 1; i < attempts && wait.compareTo(settings.maxRetry()) < 0; i++) wait = wait.multipliedBy(2);
        return wait.compareTo(settings.maxRetry()) > 0 ? settings.maxRetry() : wait;
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
