package dev.rotor.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP/1.1 over a plain socket, for requests the JDK HttpClient refuses to send (a lying or malformed
 * Content-Length, a bad request line, repeated Host or Cookie headers). The request is sent byte for byte as given;
 * {@link #exchange} reads the answer until the server closes the connection, so send {@code Connection: close}.
 */
public final class RawHttp {
    private RawHttp() {}

    /** A parsed answer; header names lower-cased. */
    public record Response(int status, Map<String, List<String>> headers, String body) {
        public Optional<String> header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
        }
    }

    /** Sends {@code request} (CRLF line ends, as written) and parses the response. */
    public static Response exchange(int port, String request) {
        return exchange(port, request, false);
    }

    /**
     * Sends {@code request}, then ends the stream (a TCP half-close), so the server sees the end of the connection where
     * it may still be waiting for more of the body; parses the response.
     */
    public static Response exchangeAndEnd(int port, String request) {
        return exchange(port, request, true);
    }

    private static Response exchange(int port, String request, boolean end) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            if (end) socket.shutdownOutput();
            return parse(readAll(socket.getInputStream()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Sends the requests one after another on one kept-alive connection, reading each answer (framed by
     * Content-Length or chunked encoding) before the next request is written.
     */
    public static List<Response> onOneConnection(int port, String... requests) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            List<Response> out = new ArrayList<>();
            for (String request : requests) {
                socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().flush();
                out.add(parse(readOne(in)));
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Exactly one response: the head, then a Content-Length body or chunks up to the last one and its trailers. */
    private static byte[] readOne(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String lower = readUntil(in, out, "\r\n\r\n").toLowerCase(Locale.ROOT);
        if (lower.contains("\r\ntransfer-encoding: chunked")) {
            for (int size; (size = chunkSize(readUntil(in, out, "\r\n"))) > 0; ) out.write(readExactly(in, size + 2));
            while (!readUntil(in, out, "\r\n").equals("\r\n")) {
                // trailer fields, up to the empty line
            }
        } else {
            int cl = lower.indexOf("\r\ncontent-length:");
            if (cl >= 0) {
                int eol = lower.indexOf("\r\n", cl + 2);
                out.write(readExactly(in, Integer.parseInt(lower.substring(cl + 17, eol).trim())));
            }
        }
        return out.toByteArray();
    }

    private static int chunkSize(String line) {
        return Integer.parseInt(line.trim().split(";")[0].trim(), 16);
    }

    private static byte[] readExactly(InputStream in, int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length != n) throw new AssertionError("connection closed after " + b.length + " of " + n + " body bytes");
        return b;
    }

    private static String readUntil(InputStream in, ByteArrayOutputStream out, String end) throws IOException {
        StringBuilder seen = new StringBuilder();
        while (seen.length() < end.length() || !seen.substring(seen.length() - end.length()).equals(end)) {
            int b = in.read();
            if (b < 0) throw new AssertionError("connection closed mid-response: " + seen);
            out.write(b);
            seen.append((char) b);
        }
        return seen.toString();
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) != -1; ) out.write(buf, 0, n);
        } catch (SocketTimeoutException e) {
            if (out.size() == 0) throw new AssertionError("no answer within 5 s");
        }
        return out.toByteArray();
    }

    private static Response parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) throw new AssertionError("not an HTTP response: " + text);
        String[] lines = text.substring(0, end).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) throw new AssertionError("bad status line: " + lines[0]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) continue;
            headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(lines[i].substring(colon + 1).trim());
        }
        String body = text.substring(end + 4);
        List<String> te = headers.get("transfer-encoding");
        if (te != null && te.get(0).equalsIgnoreCase("chunked")) body = unchunk(body);
        return new Response(Integer.parseInt(statusLine[1]), headers, new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
    }

    private static String unchunk(String s) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            int eol = s.indexOf("\r\n", i);
            if (eol < 0) break;
            int size = Integer.parseInt(s.substring(i, eol).split(";")[0].trim(), 16);
            if (size == 0) break;
            out.append(s, eol + 2, eol + 2 + size);
            i = eol + 2 + size + 2;
        }
        return out.toString();
    }
}
