package dev.rotor.testing;

import com.sun.net.httpserver.HttpServer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A client's {@code backchannel_logout_uri} on loopback: records every POST (its content type and its
 * {@code logout_token}) and answers with the statuses it is told to, in order, then 200. {@link #hold} makes it hang
 * until {@link #release}, as a slow client would.
 */
public final class LogoutReceiver implements AutoCloseable {
    /** One POST as received. */
    public record Received(String contentType, String body, String logoutToken) {}

    private final HttpServer server;
    private final Deque<Integer> answers = new ArrayDeque<>();
    private final LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final List<Received> all = new CopyOnWriteArrayList<>();
    private volatile CountDownLatch held = new CountDownLatch(0);

    public LogoutReceiver() {
        server = LoopbackHttp.start(exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.US_ASCII);
            String token = null;
            for (String pair : body.split("&")) {
                String[] kv = pair.split("=", 2);
                if (kv.length == 2 && kv[0].equals("logout_token")) token = URLDecoder.decode(kv[1], StandardCharsets.US_ASCII);
            }
            Received r = new Received(exchange.getRequestHeaders().getFirst("Content-Type"), body, token);
            all.add(r);
            received.add(r);
            try {
                held.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            int status;
            synchronized (answers) {
                status = answers.isEmpty() ? 200 : answers.removeFirst();
            }
            if (status == 302) exchange.getResponseHeaders().add("Location", "http://127.0.0.1:1/elsewhere");
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
    }

    /** The URI to register; {@code path} is any path on this receiver. */
    public String uri(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The next POSTs are answered with these statuses, in order; every later one with 200. */
    public void answer(Integer... statuses) {
        synchronized (answers) {
            answers.addAll(List.of(statuses));
        }
    }

    /** Every POST from now on hangs until {@link #release}. */
    public void hold() {
        held = new CountDownLatch(1);
    }

    public void release() {
        held.countDown();
    }

    /** The next POST, waiting up to {@code within} for it; fails when none comes. */
    public Received next(Duration within) {
        try {
            Received r = received.poll(within.toMillis(), TimeUnit.MILLISECONDS);
            if (r == null) throw new AssertionError("no back-channel logout arrived within " + within);
            return r;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Waits {@code quiet} and fails when a POST arrives in it. */
    public void expectNothing(Duration quiet) {
        try {
            Received r = received.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
            if (r != null) throw new AssertionError("unexpected back-channel logout: " + r);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Forgets the POSTs not taken with {@link #next} yet. */
    public void drain() {
        received.clear();
    }

    /** Every POST so far. */
    public List<Received> all() {
        return List.copyOf(all);
    }

    @Override
    public void close() {
        release();
        server.stop(0);
    }
}
