package dev.rotor.bench.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Setup phase: signs in the sessions whose refresh tokens the chains will rotate, and the sign-in
 * benchmark (the driver prints how long it took). Each worker keeps one keep-alive connection and
 * writes a precomputed request: the JDK HttpClient cost about 2.5 ms of CPU per sign-in here, taken
 * from the same two cores as the Argon2id hashing being measured.
 */
final class SignIn {
  /** Sign-in may be rate limited (429/503); retry a bounded number of times. */
  private static final int MAX_ATTEMPTS = 5;
  private static final long RETRY_WAIT_MILLIS = 1000;
  private static final int MAX_RESPONSE_BYTES = 1 << 20;

  static final class SetupException extends Exception {
    SetupException(String message) {
      super(message);
    }
  }

  private final Target target;
  private final byte[] request;
  private final int connectTimeoutMillis;
  private final int timeoutMillis;

  SignIn(Target target, LoadOptions options) {
    this.target = target;
    this.connectTimeoutMillis = options.connectTimeoutSeconds() * 1000;
    this.timeoutMillis = options.requestTimeoutSeconds() * 1000;
    byte[] form = ("grant_type=password"
        + "&username=" + encode(options.username())
        + "&password=" + encode(options.password())
        + "&client_id=" + encode(options.clientId())).getBytes(StandardCharsets.US_ASCII);
    byte[] head = ("POST " + target.tokenPath() + " HTTP/1.1\r\n"
        + "Host: " + target.hostHeader() + "\r\n"
        + "Content-Type: application/x-www-form-urlencoded\r\n"
        + "Accept: application/json\r\n"
        + "Content-Length: " + form.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    this.request = Arrays.copyOf(head, head.length + form.length);
    System.arraycopy(form, 0, request, head.length, form.length);
  }

  /** Signs in {@code count} sessions, {@code parallelism} at a time; the first error stops every worker. */
  List<TokenBuffer> signIn(int count, int parallelism) throws SetupException, InterruptedException {
    TokenBuffer[] tokens = new TokenBuffer[count];
    AtomicInteger next = new AtomicInteger();
    AtomicBoolean failed = new AtomicBoolean();
    int workers = Math.min(count, parallelism);
    try (ExecutorService pool = Executors.newFixedThreadPool(workers)) {
      List<Future<Void>> running = new ArrayList<>(workers);
      for (int w = 0; w < workers; w++) {
        running.add(pool.submit(() -> {
          try (Connection connection = new Connection()) {
            for (int i; !failed.get() && (i = next.getAndIncrement()) < count; ) {
              tokens[i] = signInOnce(connection);
            }
          } catch (Exception e) {
            failed.set(true);
            throw e;
          }
          return null;
        }));
      }
      for (Future<Void> worker : running) {
        await(worker, pool);
      }
    }
    return List.of(tokens);
  }

  private static void await(Future<Void> worker, ExecutorService pool) throws SetupException, InterruptedException {
    try {
      worker.get();
    } catch (ExecutionException e) {
      pool.shutdownNow();
      Throwable cause = e.getCause();
      if (cause instanceof SetupException setup) {
        throw setup;
      }
      // ConnectException and friends often carry no message: name the class at least.
      throw new SetupException("sign-in failed: " + cause.getClass().getSimpleName()
          + (cause.getMessage() == null ? "" : ": " + cause.getMessage()) + " (is the server up?)");
    }
  }

  private TokenBuffer signInOnce(Connection connection) throws SetupException, IOException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      connection.exchange(request);
      int status = connection.parser.status();
      int from = connection.parser.bodyStart();
      if (status == 200) {
        TokenBuffer token = new TokenBuffer();
        if (!token.replaceFrom(connection.buf, from, connection.length)) {
          throw new SetupException("sign-in response has no refresh_token: " + snippet(connection.buf, from, connection.length));
        }
        return token;
      }
      if ((status == 429 || status == 503) && attempt < MAX_ATTEMPTS) {
        Thread.sleep(RETRY_WAIT_MILLIS);
        continue;
      }
      throw new SetupException("sign-in got HTTP " + status + ": " + snippet(connection.buf, from, connection.length));
    }
  }

  /** One keep-alive connection, opened on first use and again after the server closes it. */
  private final class Connection implements AutoCloseable {
    final ResponseParser parser = new ResponseParser();
    byte[] buf = new byte[8192];
    int length;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    /**
     * Sends the request and reads its whole response into {@code buf[0, length)}. A kept-alive connection the
     * server closed while idle answers nothing; the request then goes once more on a new connection.
     */
    void exchange(byte[] request) throws IOException, SetupException {
      if (socket != null) {
        try {
          if (send(request)) {
            return;
          }
        } catch (IOException stale) {
          close();
        }
      }
      if (!send(request)) {
        throw new SetupException("the server closed a new connection without answering");
      }
    }

    /** False when the connection closed before a single byte of the response. */
    private boolean send(byte[] request) throws IOException, SetupException {
      if (socket == null) {
        socket = new Socket();
        socket.connect(target.address(), connectTimeoutMillis);
        socket.setSoTimeout(timeoutMillis);
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
      }
      out.write(request);
      out.flush();
      parser.reset();
      length = 0;
      ResponseParser.Outcome outcome = ResponseParser.Outcome.NEED_MORE;
      boolean closed = false;
      while (outcome == ResponseParser.Outcome.NEED_MORE) {
        if (length == buf.length) {
          if (buf.length >= MAX_RESPONSE_BYTES) {
            throw new SetupException("sign-in response larger than " + MAX_RESPONSE_BYTES + " bytes");
          }
          buf = Arrays.copyOf(buf, buf.length * 2);
        }
        int n = in.read(buf, length, buf.length - length);
        if (n < 0) {
          if (length == 0) {
            close();
            return false;
          }
          closed = true;
          outcome = parser.onEof();
          break;
        }
        length += n;
        outcome = parser.parse(buf, length);
      }
      if (closed || parser.connectionClose() || outcome != ResponseParser.Outcome.COMPLETE) {
        close();
      }
      if (outcome != ResponseParser.Outcome.COMPLETE) {
        throw new SetupException("sign-in response unreadable (" + outcome + "): " + snippet(buf, 0, length));
      }
      return true;
    }

    @Override
    public void close() throws IOException {
      if (socket != null) {
        socket.close();
        socket = null;
      }
    }
  }

  private static final Pattern TOKEN_VALUE = Pattern.compile("(\"(?:access|refresh|id)_token\"\\s*:\\s*\")[^\"]*");

  /** A one-line, bounded excerpt of a response for error messages, with token values blanked out. */
  static String snippet(byte[] buf, int from, int to) {
    String text = new String(buf, from, Math.max(0, to - from), StandardCharsets.UTF_8).replaceAll("\\s+", " ");
    text = TOKEN_VALUE.matcher(text).replaceAll("$1[redacted]");
    return text.length() > 300 ? text.substring(0, 300) + "..." : text;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
