package dev.rotor.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.testing.Forms;
import dev.rotor.testing.Jsons;
import dev.rotor.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Slow senders over raw sockets: a request head that trickles in is cut off by its deadline, a body that trickles or
 * stalls gets {@code 400 invalid_request}, and ordinary clients, including a kept-alive connection that sits idle for
 * longer than the head deadline, are not affected. Bounds are generous: the tests assert that the server ends the
 * connection eventually, within a limit well above the configured deadline, never how fast.
 */
class SlowClientsIT {
    /**
     * Well above the deadlines of these requests (head 10 s, body 1 s + 1 s per KiB) and below the connector's 30 s
     * idle timeout, so that only the deadlines can end these connections in time.
     */
    private static final Duration BOUND = Duration.ofSeconds(25);

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void requestHeadTrickledByteByByteThenServerClosesEachConnection() throws Exception {
        // Several at once, each sending half a head and then one more header byte a second, as slowloris does.
        int connections = 20;
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<Answer>> answers = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                answers.add(CompletableFuture.supplyAsync(() -> trickle("POST /oauth2/token HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ",
                        "a".repeat(100), Duration.ofSeconds(1)), threads));
            }
            for (CompletableFuture<Answer> answer : answers) {
                Answer a = answer.join();
                assertThat(a.closed()).as("the server closed the trickling connection within %s", BOUND).isTrue();
                assertThat(a.received()).as("no request was ever dispatched, so there is no answer").isEmpty();
            }
        }
        assertServesAGoodRequest();
    }

    @Test
    void requestBodyTrickledBelowTheMinimumRateThen400InvalidRequestAndClosed() {
        Answer a = trickle("POST /oauth2/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: 2000\r\n\r\n", "grant_type=client_credentials&pad=" + "p".repeat(200), Duration.ofMillis(500));

        assertThat(a.closed()).as("the server ended the connection within %s", BOUND).isTrue();
        assertRefusedInTime(a);
        assertServesAGoodRequest();
    }

    @Test
    void requestBodyStalledAfterTheHeadThen400InvalidRequestAndClosed() {
        Answer a = trickle("POST /auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: " + TestServer.SPA_ORIGIN
                + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"username\":", "", Duration.ZERO);

        assertThat(a.closed()).as("the server ended the connection within %s", BOUND).isTrue();
        assertRefusedInTime(a);
        assertServesAGoodRequest();
    }

    @Test
    void requestSentInPiecesWithinTheDeadlinesThenServed() {
        String body = Forms.of("grant_type", "client_credentials");
        String head = "POST /oauth2/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nAuthorization: "
                + Forms.basic("backend", TestServer.CONFIDENTIAL_SECRET) + "\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n";
        int half = head.length() / 2;

        // Half the head, 2 s later the rest with the start of the body, the rest of the body within the first second.
        Answer a = send(List.of(head.substring(0, half), head.substring(half) + body.substring(0, 5), body.substring(5)),
                List.of(Duration.ofSeconds(2), Duration.ofMillis(500)));

        assertThat(a.received()).startsWith("HTTP/1.1 200");
    }

    @Test
    void keptAliveConnectionIdleLongerThanTheHeadDeadlineThenStillServesTheNextRequest() throws Exception {
        String body = Forms.of("grant_type", "client_credentials");
        String request = "POST /oauth2/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nAuthorization: "
                + Forms.basic("backend", TestServer.CONFIDENTIAL_SECRET) + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            assertThat(exchange(socket, request)).startsWith("HTTP/1.1 200");
            Thread.sleep(RequestDeadlines.HEAD.plusSeconds(1).toMillis());

            assertThat(exchange(socket, request)).as("an idle connection is the idle timeout's business, not the head deadline's")
                    .startsWith("HTTP/1.1 200");
        }
    }

    // ---------------------------------------------------------------- helpers

    /** What came back on a connection, and whether the server ended it within {@link #BOUND}. */
    record Answer(String received, boolean closed) {}

    /** Sends {@code head}, then {@code slowly} one character per {@code gap}, while reading whatever comes back. */
    private static Answer trickle(String head, String slowly, Duration gap) {
        List<String> pieces = new ArrayList<>();
        List<Duration> gaps = new ArrayList<>();
        pieces.add(head);
        for (char c : slowly.toCharArray()) {
            pieces.add(String.valueOf(c));
            gaps.add(gap);
        }
        return send(pieces, gaps);
    }

    /** Sends the pieces with the gaps between them from another thread, reading until the server ends the connection. */
    private static Answer send(List<String> pieces, List<Duration> gaps) {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout((int) BOUND.toMillis());
            OutputStream out = socket.getOutputStream();
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < pieces.size(); i++) {
                        if (i > 0) Thread.sleep(gaps.get(i - 1).toMillis());
                        out.write(pieces.get(i).getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                    }
                } catch (IOException | InterruptedException e) {
                    // the server closed the connection; stop writing
                }
            });
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            boolean closed = readUntilClosed(socket.getInputStream(), received);
            writer.interrupt();
            return new Answer(received.toString(StandardCharsets.ISO_8859_1), closed);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** True when the server ended the connection (end of stream or reset) before the read timeout. */
    private static boolean readUntilClosed(InputStream in, ByteArrayOutputStream received) throws IOException {
        byte[] buf = new byte[4096];
        try {
            for (int n; (n = in.read(buf)) != -1; ) received.write(buf, 0, n);
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        }
    }

    /** One request on a kept-alive connection; returns the status line and headers of the answer. */
    private static String exchange(Socket socket, String request) throws IOException {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) throw new AssertionError("connection closed after: " + head);
            head.append((char) b);
        }
        String lower = head.toString().toLowerCase();
        int cl = lower.indexOf("content-length:");
        int length = Integer.parseInt(lower.substring(cl + 15, lower.indexOf("\r\n", cl)).trim());
        in.readNBytes(length);
        return head.toString();
    }

    private static void assertRefusedInTime(Answer a) {
        assertThat(a.received()).startsWith("HTTP/1.1 400");
        String body = a.received().substring(a.received().indexOf("\r\n\r\n") + 4);
        assertThat(Jsons.parse(body)).containsOnlyKeys("error", "error_description").containsEntry("error", "invalid_request");
    }

    private static void assertServesAGoodRequest() {
        HttpResponse<String> ok = server.send(HttpRequest.newBuilder(server.uri("/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", Forms.basic("backend", TestServer.CONFIDENTIAL_SECRET))
                .POST(HttpRequest.BodyPublishers.ofString(Forms.of("grant_type", "client_credentials"))));
        assertThat(ok.statusCode()).as("the server still serves a good request: %s", ok.body()).isEqualTo(200);
    }
}
