package dev.rotor.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A security-notice webhook on loopback, as a receiver would write one: it records each POST with its headers, answers
 * with the statuses it is told to, in order, then 200, and checks a signature the way the operations guide tells
 * receivers to (HMAC-SHA256 over {@code t.body}, computed here with javax.crypto, not with Rotor's code).
 */
public final class WebhookReceiver implements AutoCloseable {
    /** One POST as received, and the status it was answered with. */
    public record Post(String eventId, String signature, String contentType, byte[] body, int answered) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public Map<String, Object> json() {
            return Jsons.parse(text());
        }
    }

    private final HttpServer server;
    private final Queue<Integer> statuses = new ConcurrentLinkedQueue<>();
    private final List<Post> posts = new CopyOnWriteArrayList<>();

    public WebhookReceiver() {
        server = LoopbackHttp.start(this::receive);
    }

    private void receive(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        Integer next = statuses.poll();
        int status = next == null ? 200 : next;
        var headers = exchange.getRequestHeaders();
        posts.add(new Post(headers.getFirst("Rotor-Event-Id"), headers.getFirst("Rotor-Signature"), headers.getFirst("Content-Type"), body, status));
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/rotor";
    }

    /** The next POSTs are answered with these statuses, in order; every later one with 200. */
    public void answer(Integer... answers) {
        statuses.addAll(List.of(answers));
    }

    public List<Post> posts() {
        return List.copyOf(posts);
    }

    /** Polls until a POST matching {@code which} has arrived, up to {@code within}; fails when none does. */
    public Post await(Predicate<Post> which, Duration within) {
        Instant deadline = Instant.now().plus(within);
        while (Instant.now().isBefore(deadline)) {
            for (Post p : posts) {
                if (which.test(p)) return p;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("no matching webhook POST within " + within + "; received " + posts.size());
    }

    /** Polls until a POST of the notice type {@code type} has arrived. */
    public Post awaitType(String type, Duration within) {
        return await(p -> type.equals(p.json().get("type")), within);
    }

    /**
     * True when {@code p} carries {@code t=...,v1=...} whose v1 is the HMAC-SHA256, keyed with {@code secret}, of
     * {@code t + "." + body}, compared in constant time, and whose t is within {@code tolerance} of {@code now}.
     */
    public static boolean verifies(Post p, String secret, Instant now, Duration tolerance) {
        if (p.signature() == null) return false;
        String t = null;
        String v1 = null;
        for (String part : p.signature().split(",")) {
            if (part.startsWith("t=")) t = part.substring(2);
            if (part.startsWith("v1=")) v1 = part.substring(3);
        }
        if (t == null || v1 == null) return false;
        if (Math.abs(Long.parseLong(t) - now.getEpochSecond()) > tolerance.toSeconds()) return false;
        return MessageDigest.isEqual(HexFormat.of().parseHex(v1), hmac(secret, t, p.body()));
    }

    /** HMAC-SHA256 keyed with the secret's UTF-8 bytes over {@code t.body}. */
    public static byte[] hmac(String secret, String t, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
            mac.update(body);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
