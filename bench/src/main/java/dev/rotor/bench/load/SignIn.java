package dev.rotor.bench.load;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Setup phase: signs in the sessions whose refresh tokens the chains will rotate. Runs before the
 * measured loop, so the JDK HttpClient's per-request cost does not matter here.
 */
final class SignIn {
  /** Sign-in may be rate limited (429/503); retry a bounded number of times. */
  private static final int MAX_ATTEMPTS = 5;
  private static final long MAX_RETRY_WAIT_MILLIS = 10_000;

  static final class SetupException extends Exception {
    SetupException(String message) {
      super(message);
    }
  }

  private final HttpClient http;
  private final HttpRequest.Builder request;
  private final Duration timeout;

  SignIn(Target target, LoadOptions options) {
    this.timeout = Duration.ofSeconds(options.requestTimeoutSeconds());
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(options.connectTimeoutSeconds()))
        .build();
    String form = "grant_type=password"
        + "&username=" + encode(options.username())
        + "&password=" + encode(options.password())
        + "&client_id=" + encode(options.clientId());
    this.request = HttpRequest.newBuilder(target.tokenUri())
        .timeout(timeout)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(form));
  }

  /** Signs in {@code count} sessions, {@code parallelism} at a time; fails on the first error. */
  List<TokenBuffer> signIn(int count, int parallelism) throws SetupException, InterruptedException {
    try (ExecutorService pool = Executors.newFixedThreadPool(Math.min(count, parallelism))) {
      List<Future<TokenBuffer>> pending = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        pending.add(pool.submit(this::signInOnce));
      }
      List<TokenBuffer> tokens = new ArrayList<>(count);
      for (Future<TokenBuffer> future : pending) {
        tokens.add(await(future, pool));
      }
      return tokens;
    } finally {
      http.close();
    }
  }

  private static TokenBuffer await(Future<TokenBuffer> future, ExecutorService pool)
      throws SetupException, InterruptedException {
    try {
      return future.get();
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

  private TokenBuffer signInOnce() throws SetupException, IOException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      HttpResponse<byte[]> response = http.send(request.copy().build(), HttpResponse.BodyHandlers.ofByteArray());
      int status = response.statusCode();
      if (status == 200) {
        return tokenFrom(response.body());
      }
      if ((status == 429 || status == 503) && attempt < MAX_ATTEMPTS) {
        Thread.sleep(retryAfterMillis(response));
        continue;
      }
      throw new SetupException("sign-in got HTTP " + status + ": " + snippet(response.body()));
    }
  }

  private static TokenBuffer tokenFrom(byte[] body) throws SetupException {
    TokenBuffer token = new TokenBuffer();
    if (!token.replaceFrom(body, 0, body.length)) {
      throw new SetupException("sign-in response has no refresh_token: " + snippet(body));
    }
    return token;
  }

  private static long retryAfterMillis(HttpResponse<?> response) {
    try {
      long seconds = Long.parseLong(response.headers().firstValue("Retry-After").orElse("1").trim());
      return Math.min(Math.max(seconds, 1) * 1000, MAX_RETRY_WAIT_MILLIS);
    } catch (NumberFormatException e) {
      return 1000;
    }
  }

  static String snippet(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8).replaceAll("\\s+", " ");
    return text.length() > 300 ? text.substring(0, 300) + "..." : text;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
