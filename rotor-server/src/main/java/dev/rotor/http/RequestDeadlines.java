package dev.rotor.http;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * HTTP/1.1 connections with deadlines for receiving a request, against clients that send slowly on purpose
 * (slowloris). Jetty's idle timeout starts again with every byte, so a client sending a byte every few seconds would
 * hold a connection, and the memory behind it, for as long as it likes; Jetty 12 has no deadline for the request
 * head, and its minimum request data rate is measured from the first body byte with no allowance for a slow start.
 * <ul>
 *   <li>The request head (request line and header fields) must be complete within {@link #HEAD} of the first bytes
 *       arriving for it. Otherwise the connection is closed without an answer, as Jetty closes one that goes idle
 *       before a request.
 *   <li>A body must be complete within {@link #BODY_GRACE} plus one second per {@link #MIN_BODY_RATE} bytes of its
 *       {@code Content-Length} (of {@link HttpApp#MAX_BODY} when chunked), counted from the end of the head: at least
 *       1 KiB/s after the first second. Otherwise the read fails as it would on an idle timeout, the route answers
 *       {@code 400 invalid_request}, and the connection is closed. A deadline that finds the route busy rather than
 *       waiting for body bytes looks again a second later.
 * </ul>
 * A connection that sends nothing at all is closed by the connector's idle timeout.
 */
final class RequestDeadlines extends HttpConnectionFactory {
    static final Duration HEAD = Duration.ofSeconds(10);
    static final Duration BODY_GRACE = Duration.ofSeconds(1);
    /** Bytes per second. */
    static final long MIN_BODY_RATE = 1024;
    /** How much later a body deadline looks again when it finds the route busy rather than waiting for bytes. */
    private static final Duration RECHECK = Duration.ofSeconds(1);

    RequestDeadlines(HttpConfiguration config) {
        super(config);
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        Guarded connection = new Guarded(getHttpConfiguration(), connector, endPoint);
        connection.setTransferEncodingChunkMaxLength(getTransferEncodingChunkMaxLength());
        return configure(connection, connector, endPoint);
    }

    /** The time a body of {@code length} bytes (negative: chunked) may take, counted from the end of the head. */
    private static Duration bodyTime(long length) {
        long bytes = length < 0 ? HttpApp.MAX_BODY : Math.min(length, HttpApp.MAX_BODY);
        return BODY_GRACE.plusMillis(bytes * 1000 / MIN_BODY_RATE);
    }

    private static final class Guarded extends HttpConnection {
        /** The pending deadline, if any: armed and cancelled by the connection's parsing, run by the scheduler. */
        private final AtomicReference<Deadline> deadline = new AtomicReference<>();
        /** Requests whose head was complete, counted by the parsing; the one still receiving a body, or 0. */
        private long requests;
        private volatile long receivingBody;

        Guarded(HttpConfiguration config, Connector connector, EndPoint endPoint) {
            super(config, connector, endPoint);
        }

        @Override
        public void onFillable() {
            // Bytes have arrived while Jetty waits for a request head (or the rest of one): its clock starts now.
            if (deadline.get() == null && getParser().inHeaderState()) headDeadline(getBytesIn());
            super.onFillable();
        }

        @Override
        protected RequestHandler newRequestHandler() {
            return new RequestHandler() {
                @Override
                public boolean headerComplete() {
                    cancel();
                    if (getParser().hasContent()) {
                        receivingBody = ++requests;
                        bodyDeadline(receivingBody, bodyTime(getParser().isChunking() ? -1 : getParser().getContentLength()));
                    }
                    return super.headerComplete();
                }

                @Override
                public boolean messageComplete() {
                    cancel();
                    return super.messageComplete();
                }

                @Override
                public void badMessage(HttpException failure) {
                    cancel();
                    super.badMessage(failure);
                }

                @Override
                public void earlyEOF() {
                    cancel();
                    super.earlyEOF();
                }
            };
        }

        @Override
        public void onClose(Throwable cause) {
            cancel();
            super.onClose(cause);
        }

        private void headDeadline(long bytesIn) {
            schedule(HEAD, () -> {
                // Armed by a wake-up with nothing to read: the connection is idle, which the idle timeout governs.
                if (getBytesIn() == bytesIn) return;
                getEndPoint().close(new TimeoutException("request head not complete within " + HEAD.toSeconds() + " s"));
            });
        }

        private void bodyDeadline(long request, Duration after) {
            schedule(after, () -> {
                if (receivingBody != request) return;
                // The route is busy, not waiting for the client: look again shortly.
                if (!getEndPoint().isFillInterested()) {
                    bodyDeadline(request, RECHECK);
                    return;
                }
                TimeoutException slow = new TimeoutException("request body slower than " + MIN_BODY_RATE + " bytes/s");
                if (onIdleExpired(slow)) getEndPoint().close(slow);
            });
        }

        private void schedule(Duration after, Runnable expired) {
            Deadline next = new Deadline(expired);
            Deadline previous = deadline.getAndSet(next);
            if (previous != null) previous.cancel();
            next.task = getConnector().getScheduler().schedule(next, after.toMillis(), TimeUnit.MILLISECONDS);
        }

        private void cancel() {
            receivingBody = 0;
            Deadline pending = deadline.getAndSet(null);
            if (pending != null) pending.cancel();
        }

        private final class Deadline implements Runnable {
            private final Runnable expired;
            private volatile Scheduler.Task task;

            Deadline(Runnable expired) {
                this.expired = expired;
            }

            @Override
            public void run() {
                if (deadline.compareAndSet(this, null)) expired.run();
            }

            void cancel() {
                Scheduler.Task t = task;
                if (t != null) t.cancel();
            }
        }
    }
}
