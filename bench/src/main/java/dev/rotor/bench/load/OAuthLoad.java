package dev.rotor.bench.load;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load driver for the OAuth endpoints other than refresh: {@code client_credentials} grants, introspection of one
 * access token, and the whole authorization code flow (authorize page, sign-in form, code exchange: one fresh browser
 * per flow, so every flow signs in with the password). {@code --concurrency} closed-loop workers, each on its own
 * platform thread, share one JDK HttpClient (HTTP/1.1, kept-alive connections); a run is {@code --warmup} seconds
 * not counted, then {@code --duration} measured. Prints one {@code RESULT} line in {@link Report}'s format.
 *
 * <p>Exit status: 0 on a clean run, 1 for bad usage or a failed setup, 2 when any request failed.
 */
public final class OAuthLoad {
  static final String USAGE = """
      Usage: OAuthLoad --scenario client_credentials|introspect|code_flow|login_flood|wrong_password|unknown_user [options]
        --url URL                 server base URL, loopback only (default http://127.0.0.1:8080)
        --client-id ID            client_credentials/introspect: the confidential client; code_flow: the public client
        --client-secret-file F    file whose first line is the confidential client's secret
        --redirect-uri URI        code_flow: the client's registered redirect URI (never called)
        --username NAME           code_flow: user to sign in as (default bench)
        --password-file F         code_flow: file whose first line is the password
        --concurrency C           closed-loop workers (default 1)
        --duration D              measured seconds (default 20)
        --warmup W                seconds run before measuring, not counted (default 5)
        --server-pid PID          server process whose CPU is read from /proc/PID/stat
      login_flood: password grants with a wrong password for --username from one address (400, then 429 once
        throttled); wrong_password and unknown_user: one attempt per fresh X-Forwarded-For address (the server
        must trust 127.0.0.1 as a proxy), for --username or for a username that does not exist (400 each).
      """;
  private static final Set<String> KNOWN = Set.of("scenario", "url", "client-id", "client-secret-file", "redirect-uri",
      "username", "password-file", "concurrency", "duration", "warmup", "server-pid");
  private static final Pattern HIDDEN = Pattern.compile(
      "<input[^>]*type=\"hidden\"[^>]*name=\"([^\"]+)\"[^>]*value=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);
  private static final Pattern CODE = Pattern.compile("[?&]code=([^&]+)");
  private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");
  private static final SecureRandom RANDOM = new SecureRandom();

  private OAuthLoad() {}

  enum Scenario { CLIENT_CREDENTIALS, INTROSPECT, CODE_FLOW, LOGIN_FLOOD, WRONG_PASSWORD, UNKNOWN_USER }

  record Options(Scenario scenario, String url, String clientId, String clientSecret, String redirectUri, String username,
                 String password, int concurrency, int durationSeconds, int warmupSeconds, long serverPid) {}

  public static void main(String[] args) {
    System.exit(run(Arrays.asList(args)));
  }

  static int run(List<String> args) {
    if (LoadOptions.wantsHelp(args)) {
      System.out.print(USAGE);
      return 0;
    }
    try {
      Options o = parse(args);
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
      Step step = switch (o.scenario()) {
        case CLIENT_CREDENTIALS -> () -> clientCredentials(http, o);
        case INTROSPECT -> introspection(http, o, clientCredentials(http, o));
        case CODE_FLOW -> () -> codeFlow(http, o);
        case LOGIN_FLOOD -> () -> passwordAttempt(http, o, o.username(), null, Set.of(400, 429));
        case WRONG_PASSWORD -> () -> passwordAttempt(http, o, o.username(), freshAddress(), Set.of(400));
        case UNKNOWN_USER -> () -> passwordAttempt(http, o, "nobody-" + random(), freshAddress(), Set.of(400));
      };
      step.run(); // one request before timing: a setup error is reported as such, not as a load error
      System.out.println("OAuthLoad scenario=" + o.scenario().name().toLowerCase() + " url=" + o.url() + " client_id=" + o.clientId()
          + " concurrency=" + o.concurrency() + " duration_s=" + o.durationSeconds() + " warmup_s=" + o.warmupSeconds());
      RunResult result = measure(o, step);
      System.out.println(Report.resultLine(result));
      return result.errorCount() == 0 ? 0 : 2;
    } catch (LoadOptions.UsageException e) {
      System.err.println("error: " + e.getMessage());
      System.err.print(USAGE);
      return 1;
    } catch (IOException | Failure e) {
      System.err.println("error: setup request failed: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  static Options parse(List<String> args) throws LoadOptions.UsageException {
    Map<String, String> v = LoadOptions.toMap(args, KNOWN);
    String name = v.get("scenario");
    if (name == null) throw new LoadOptions.UsageException("--scenario is required");
    Scenario scenario;
    try {
      scenario = Scenario.valueOf(name.toUpperCase());
    } catch (IllegalArgumentException e) {
      throw new LoadOptions.UsageException("unknown --scenario " + name);
    }
    boolean flow = scenario == Scenario.CODE_FLOW;
    boolean signIn = Set.of(Scenario.LOGIN_FLOOD, Scenario.WRONG_PASSWORD, Scenario.UNKNOWN_USER).contains(scenario);
    if (!v.containsKey("client-id")) throw new LoadOptions.UsageException("--client-id is required");
    if (!flow && !signIn && !v.containsKey("client-secret-file")) throw new LoadOptions.UsageException("--client-secret-file is required");
    if (flow && (!v.containsKey("redirect-uri") || !v.containsKey("password-file"))) {
      throw new LoadOptions.UsageException("code_flow needs --redirect-uri and --password-file");
    }
    return new Options(scenario, v.getOrDefault("url", "http://127.0.0.1:8080"), v.get("client-id"),
        flow || signIn ? null : LoadOptions.firstLine(v, "client-secret-file"), v.get("redirect-uri"), v.getOrDefault("username", "bench"),
        flow ? LoadOptions.firstLine(v, "password-file") : null, LoadOptions.positiveInt(v, "concurrency", 1),
        LoadOptions.positiveInt(v, "duration", 20), LoadOptions.nonNegativeInt(v, "warmup", 5),
        v.containsKey("server-pid") ? LoadOptions.positiveLong(v, "server-pid") : -1);
  }

  /** One unit of load: a request (or a whole flow); throws {@link Failure} when the server's answer is not the expected one. */
  interface Step {
    void run() throws IOException, InterruptedException, Failure;
  }

  static final class Failure extends Exception {
    final String kind;

    Failure(String kind, String message) {
      super(kind + ": " + message);
      this.kind = kind;
    }
  }

  private static final class Worker extends Thread {
    final LatencyHistogram latencies = new LatencyHistogram();
    final Map<String, Long> errors = new TreeMap<>();
    long completed;
    long warmupCompleted;
    private final Step step;
    private final AtomicBoolean measuring;
    private final AtomicBoolean stop;

    Worker(Step step, AtomicBoolean measuring, AtomicBoolean stop) {
      this.step = step;
      this.measuring = measuring;
      this.stop = stop;
    }

    @Override
    public void run() {
      while (!stop.get()) {
        boolean counted = measuring.get();
        long start = System.nanoTime();
        try {
          step.run();
          if (!counted) {
            warmupCompleted++;
          } else if (!stop.get()) {
            latencies.record(System.nanoTime() - start);
            completed++;
          }
        } catch (Failure e) {
          if (counted) errors.merge(e.kind, 1L, Long::sum);
        } catch (IOException e) {
          if (counted) errors.merge("io", 1L, Long::sum);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private static RunResult measure(Options o, Step step) throws InterruptedException {
    CpuClocks cpu = CpuClocks.create(o.serverPid());
    AtomicBoolean measuring = new AtomicBoolean();
    AtomicBoolean stop = new AtomicBoolean();
    List<Worker> workers = new ArrayList<>();
    for (int i = 0; i < o.concurrency(); i++) workers.add(new Worker(step, measuring, stop));
    workers.forEach(Thread::start);
    Thread.sleep(o.warmupSeconds() * 1000L);
    double server0 = cpu.serverSeconds();
    double driver0 = cpu.driverSeconds();
    double machine0 = cpu.machineSeconds();
    long t0 = System.nanoTime();
    measuring.set(true);
    Thread.sleep(o.durationSeconds() * 1000L);
    stop.set(true);
    double window = (System.nanoTime() - t0) / 1e9;
    double server = cpu.serverSeconds() - server0;
    double driver = cpu.driverSeconds() - driver0;
    double machine = cpu.machineSeconds() - machine0;
    LatencyHistogram all = new LatencyHistogram();
    Map<String, Long> errors = new TreeMap<>();
    long completed = 0;
    long warm = 0;
    for (Worker w : workers) {
      w.join();
      all.add(w.latencies);
      w.errors.forEach((k, n) -> errors.merge(k, n, Long::sum));
      completed += w.completed;
      warm += w.warmupCompleted;
    }
    return new RunResult(o.concurrency(), 0, window, completed, warm, all, errors, o.concurrency(), 0, server, driver, machine);
  }

  private static HttpResponse<String> send(HttpClient http, HttpRequest request) throws IOException, InterruptedException {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest.Builder post(Options o, String path, Map<String, String> form) {
    return HttpRequest.newBuilder(URI.create(o.url() + path)).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(encode(form)));
  }

  private static String basic(Options o) {
    return "Basic " + Base64.getEncoder().encodeToString((urlEncode(o.clientId()) + ":" + urlEncode(o.clientSecret()))
        .getBytes(StandardCharsets.UTF_8));
  }

  private static void expect(HttpResponse<String> r, int status, String what) throws Failure {
    if (r.statusCode() != status) throw new Failure(what + "_" + r.statusCode(), r.body().length() > 200 ? r.body().substring(0, 200) : r.body());
  }

  /** A client_credentials grant; returns the access token. */
  static String clientCredentials(HttpClient http, Options o) throws IOException, InterruptedException, Failure {
    HttpResponse<String> r = send(http, post(o, "/oauth2/token", Map.of("grant_type", "client_credentials"))
        .header("Authorization", basic(o)).build());
    expect(r, 200, "token");
    return accessToken(r.body());
  }

  private static Step introspection(HttpClient http, Options o, String accessToken) {
    HttpRequest request = post(o, "/oauth2/introspect", Map.of("token", accessToken, "token_type_hint", "access_token"))
        .header("Authorization", basic(o)).build();
    return () -> {
      HttpResponse<String> r = send(http, request);
      expect(r, 200, "introspect");
      if (!r.body().contains("\"active\":true")) throw new Failure("inactive", r.body());
    };
  }

  private static final java.util.concurrent.atomic.AtomicLong ADDRESSES = new java.util.concurrent.atomic.AtomicLong();

  /** An address no attempt came from yet, in 10.0.0.0/8 then 100.64.0.0/10: the server counts each once. */
  private static String freshAddress() {
    long n = ADDRESSES.incrementAndGet();
    return "10." + ((n >> 16) & 0xff) + "." + ((n >> 8) & 0xff) + "." + (n & 0xff);
  }

  /**
   * A password grant with a wrong password, from {@code address} through the proxy header (null: the driver's own
   * address); {@code accepted} are the statuses that count as the expected answer.
   */
  static void passwordAttempt(HttpClient http, Options o, String username, String address, Set<Integer> accepted)
      throws IOException, InterruptedException, Failure {
    HttpRequest.Builder b = post(o, "/oauth2/token", Map.of("grant_type", "password", "client_id", o.clientId(), "username", username,
        "password", "not the password " + random()));
    if (address != null) b.header("X-Forwarded-For", address);
    HttpResponse<String> r = send(http, b.build());
    if (!accepted.contains(r.statusCode())) throw new Failure("signin_" + r.statusCode(), r.body().length() > 200 ? r.body().substring(0, 200) : r.body());
  }

  /** Authorize, sign in on the page (posting back every hidden field and cookie it set), exchange the code. */
  static void codeFlow(HttpClient http, Options o) throws IOException, InterruptedException, Failure {
    String verifier = random();
    Map<String, String> query = new LinkedHashMap<>();
    query.put("response_type", "code");
    query.put("client_id", o.clientId());
    query.put("redirect_uri", o.redirectUri());
    query.put("scope", "openid");
    query.put("state", random());
    query.put("code_challenge", challenge(verifier));
    query.put("code_challenge_method", "S256");
    HttpResponse<String> page = send(http, HttpRequest.newBuilder(URI.create(o.url() + "/oauth2/authorize?" + encode(query)))
        .timeout(Duration.ofSeconds(10)).GET().build());
    expect(page, 200, "authorize");
    Map<String, String> form = new LinkedHashMap<>();
    Matcher m = HIDDEN.matcher(page.body());
    while (m.find()) form.put(unescape(m.group(1)), unescape(m.group(2)));
    form.put("username", o.username());
    form.put("password", o.password());
    HttpRequest.Builder signIn = post(o, "/oauth2/authorize/login", form);
    String cookies = cookies(page);
    if (!cookies.isEmpty()) signIn.header("Cookie", cookies);
    HttpResponse<String> redirect = send(http, signIn.build());
    expect(redirect, 303, "sign_in");
    Matcher code = CODE.matcher(redirect.headers().firstValue("Location").orElse(""));
    if (!code.find()) throw new Failure("no_code", redirect.headers().firstValue("Location").orElse("no Location"));
    Map<String, String> exchange = new LinkedHashMap<>();
    exchange.put("grant_type", "authorization_code");
    exchange.put("code", java.net.URLDecoder.decode(code.group(1), StandardCharsets.UTF_8));
    exchange.put("redirect_uri", o.redirectUri());
    exchange.put("client_id", o.clientId());
    exchange.put("code_verifier", verifier);
    expect(send(http, post(o, "/oauth2/token", exchange).build()), 200, "code_exchange");
  }

  /** The cookies a response set, as a request's Cookie header (name=value only). */
  private static String cookies(HttpResponse<?> r) {
    List<String> pairs = new ArrayList<>();
    for (String c : r.headers().allValues("Set-Cookie")) pairs.add(c.split(";", 2)[0].trim());
    return String.join("; ", pairs);
  }

  private static String accessToken(String json) throws Failure {
    // The driver reads one string member of a flat JSON object; a JSON library would be its only dependency.
    Matcher m = ACCESS_TOKEN.matcher(json);
    if (!m.find()) throw new Failure("no_access_token", json);
    return m.group(1);
  }

  private static String unescape(String html) {
    return html.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
  }

  private static String random() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static String challenge(String verifier) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String encode(Map<String, String> form) {
    List<String> pairs = new ArrayList<>();
    form.forEach((k, v) -> pairs.add(urlEncode(k) + "=" + urlEncode(v)));
    return String.join("&", pairs);
  }

  private static String urlEncode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
