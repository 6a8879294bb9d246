package dev.rotor.bench.load;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command-line options of {@link RefreshLoad}. Parsed by hand: the option set is small and a
 * hand parser keeps start-up cheap and the driver free of reflection.
 */
record LoadOptions(
    String url,
    String clientId,
    String username,
    String password,
    int sessions,
    int concurrency,
    int durationSeconds,
    int warmupSeconds,
    long serverPid,
    int requestTimeoutSeconds,
    int connectTimeoutSeconds,
    int signInParallelism,
    int slowMillis) {

  static final String USAGE = """
      Usage: RefreshLoad [options]
        --url URL                 server base URL, loopback only (default http://127.0.0.1:8080)
        --client-id ID            OAuth client id (default bench-native)
        --username NAME           user to sign in as (default bench)
        --password PW             password (or use --password-file)
        --password-file FILE      file whose first line is the password
        --concurrency C           concurrent rotation chains, one connection each (default 1)
        --sessions N              sessions to sign in before the run, N >= C (default C)
        --duration D              measured seconds (default 20)
        --warmup W                seconds run before measuring, not counted (default 5)
        --server-pid PID          server process whose CPU is read from /proc/PID/stat
        --timeout S               per-request timeout in seconds (default 10)
        --connect-timeout S       TCP connect timeout in seconds (default 5)
        --signin-parallelism P    concurrent sign-ins during setup (default 2)
        --slow-ms MS              print each measured request slower than MS to stderr as
                                  "slow <epoch ms when sent> <latency ms>" after the run, to line the tail up
                                  with server logs (default: off)
        --help                    print this text
      """;

  private static final Set<String> KNOWN = Set.of(
      "url", "client-id", "username", "password", "password-file", "concurrency", "sessions",
      "duration", "warmup", "server-pid", "timeout", "connect-timeout", "signin-parallelism",
      "slow-ms");

  /** Thrown for bad command lines; the message is meant for the user. */
  static final class UsageException extends Exception {
    UsageException(String message) {
      super(message);
    }
  }

  static boolean wantsHelp(List<String> args) {
    return args.contains("--help") || args.contains("-h");
  }

  static void printUsage(PrintStream out) {
    out.print(USAGE);
  }

  static LoadOptions parse(List<String> args) throws UsageException {
    Map<String, String> values = toMap(args);
    int concurrency = positiveInt(values, "concurrency", 1);
    int sessions = positiveInt(values, "sessions", concurrency);
    if (sessions < concurrency) {
      throw new UsageException("--sessions (" + sessions + ") must be >= --concurrency (" + concurrency + ")");
    }
    return new LoadOptions(
        values.getOrDefault("url", "http://127.0.0.1:8080"),
        values.getOrDefault("client-id", "bench-native"),
        values.getOrDefault("username", "bench"),
        password(values),
        sessions,
        concurrency,
        positiveInt(values, "duration", 20),
        nonNegativeInt(values, "warmup", 5),
        values.containsKey("server-pid") ? positiveLong(values, "server-pid") : -1,
        positiveInt(values, "timeout", 10),
        positiveInt(values, "connect-timeout", 5),
        positiveInt(values, "signin-parallelism", 2),
        values.containsKey("slow-ms") ? positiveInt(values, "slow-ms", 0) : 0);
  }

  /** Accepts both "--name value" and "--name=value". */
  private static Map<String, String> toMap(List<String> args) throws UsageException {
    return toMap(args, KNOWN);
  }

  /** Accepts both "--name value" and "--name=value"; any name outside {@code known} is refused. */
  static Map<String, String> toMap(List<String> args, Set<String> known) throws UsageException {
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("--")) {
        throw new UsageException("unexpected argument: " + arg);
      }
      String name = arg.substring(2);
      String value;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else if (i + 1 < args.size()) {
        value = args.get(++i);
      } else {
        throw new UsageException("missing value for --" + name);
      }
      if (!known.contains(name)) {
        throw new UsageException("unknown option: --" + name);
      }
      values.put(name, value);
    }
    return values;
  }

  private static String password(Map<String, String> values) throws UsageException {
    if (values.containsKey("password") && values.containsKey("password-file")) {
      throw new UsageException("give either --password or --password-file, not both");
    }
    if (values.containsKey("password")) {
      return values.get("password");
    }
    if (!values.containsKey("password-file")) {
      throw new UsageException("a password is required: --password or --password-file");
    }
    return firstLine(values, "password-file");
  }

  /** The first line of the file named by option {@code name}, without its line end. */
  static String firstLine(Map<String, String> values, String name) throws UsageException {
    try {
      String text = Files.readString(Path.of(values.get(name)), StandardCharsets.UTF_8);
      int eol = text.indexOf('\n');
      String line = eol >= 0 ? text.substring(0, eol) : text;
      return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    } catch (IOException e) {
      throw new UsageException("cannot read --" + name + ": " + e.getMessage());
    }
  }

  static int positiveInt(Map<String, String> values, String name, int fallback) throws UsageException {
    int value = nonNegativeInt(values, name, fallback);
    if (value == 0) {
      throw new UsageException("--" + name + " must be > 0");
    }
    return value;
  }

  static int nonNegativeInt(Map<String, String> values, String name, int fallback) throws UsageException {
    if (!values.containsKey(name)) {
      return fallback;
    }
    long value = positiveLongOrZero(values.get(name), name);
    if (value > Integer.MAX_VALUE) {
      throw new UsageException("--" + name + " is too large");
    }
    return (int) value;
  }

  static long positiveLong(Map<String, String> values, String name) throws UsageException {
    long value = positiveLongOrZero(values.get(name), name);
    if (value == 0) {
      throw new UsageException("--" + name + " must be > 0");
    }
    return value;
  }

  private static long positiveLongOrZero(String text, String name) throws UsageException {
    try {
      long value = Long.parseLong(text.trim());
      if (value < 0) {
        throw new UsageException("--" + name + " must not be negative");
      }
      return value;
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " expects a number, got: " + text);
    }
  }

  @Override
  public String toString() {
    // Never print the password.
    return "url=" + url + " client_id=" + clientId + " username=" + username + " sessions=" + sessions
        + " concurrency=" + concurrency + " duration_s=" + durationSeconds + " warmup_s=" + warmupSeconds
        + " server_pid=" + (serverPid > 0 ? Long.toString(serverPid) : "none")
        + " timeout_s=" + requestTimeoutSeconds + " connect_timeout_s=" + connectTimeoutSeconds;
  }
}
