package dev.rotor.bench.load;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Prints a run for people, then one {@code RESULT key=value ...} line for scripts. Values never
 * contain spaces; unknown values are printed as {@code NA}.
 */
final class Report {
  private Report() {}

  static void print(PrintStream out, RunResult r, LoadOptions options, CpuClocks cpu) {
    LatencyHistogram lat = r.latencies();
    out.println();
    out.printf(Locale.ROOT, "Refresh rotation: concurrency=%d sessions=%d warmup=%ds duration=%ds url=%s%n",
        r.concurrency(), r.sessions(), options.warmupSeconds(), options.durationSeconds(), options.url());
    out.printf(Locale.ROOT, "  completed    %d rotations in %.2f s measured (plus %d in warmup)%n",
        r.completed(), r.windowSeconds(), r.warmupCompleted());
    out.printf(Locale.ROOT, "  throughput   %.1f req/s%n", r.throughput());
    out.printf(Locale.ROOT, "  latency ms   p50 %s  p90 %s  p99 %s  max %s  mean %s%n",
        ms(lat.percentileNanos(50)), ms(lat.percentileNanos(90)), ms(lat.percentileNanos(99)),
        ms(lat.maxNanos()), ms((long) lat.meanNanos()));
    out.printf(Locale.ROOT, "  chains       %d/%d alive at the end, %d reconnects%n",
        r.chainsAlive(), r.concurrency(), r.reconnects());
    printCpu(out, "server CPU", r.serverCpuSeconds(), r, cpu.measuresServer()
        ? String.format(Locale.ROOT, "pid %d, /proc stat at %.0f ticks/s", options.serverPid(), cpu.clockTicksPerSecond())
        : "not measured: no --server-pid");
    printCpu(out, "driver CPU", r.driverCpuSeconds(), r, "this JVM, all threads");
    printOtherCpu(out, r);
    printErrors(out, r);
    if (r.chainsAlive() == 0) {
      out.println("!!! run stopped early: no chain left alive; the window above is shorter than --duration");
    }
    out.println(resultLine(r));
  }

  static String resultLine(RunResult r) {
    LatencyHistogram lat = r.latencies();
    return String.join(" ",
        "RESULT",
        "concurrency=" + r.concurrency(),
        "sessions=" + r.sessions(),
        "window_s=" + fixed(r.windowSeconds(), 3),
        "completed=" + r.completed(),
        "errors=" + r.errorCount(),
        "errors_by=" + errorsBy(r.errors(), ",", ":"),
        "chains_alive=" + r.chainsAlive(),
        "reconnects=" + r.reconnects(),
        "throughput_rps=" + fixed(r.throughput(), 1),
        "p50_ms=" + ms(lat.percentileNanos(50)),
        "p90_ms=" + ms(lat.percentileNanos(90)),
        "p99_ms=" + ms(lat.percentileNanos(99)),
        "max_ms=" + ms(lat.maxNanos()),
        "server_cpu_s=" + fixed(r.serverCpuSeconds(), 2),
        "server_cpu_ms_per_req=" + fixed(r.msPerRequest(r.serverCpuSeconds()), 4),
        "driver_cpu_s=" + fixed(r.driverCpuSeconds(), 3),
        "driver_cpu_ms_per_req=" + fixed(r.msPerRequest(r.driverCpuSeconds()), 4),
        "other_cpu_s=" + fixed(r.otherCpuSeconds(), 2));
  }

  private static void printCpu(PrintStream out, String label, double seconds, RunResult r, String note) {
    double cores = r.windowSeconds() > 0 ? seconds / r.windowSeconds() : Double.NaN;
    out.printf(Locale.ROOT, "  %-12s %s s = %s cores, %s ms/request (%s)%n",
        label, fixed(seconds, 2), fixed(cores, 2), fixed(r.msPerRequest(seconds), 4), note);
  }

  private static void printOtherCpu(PrintStream out, RunResult r) {
    double other = r.otherCpuSeconds();
    double cores = r.windowSeconds() > 0 ? other / r.windowSeconds() : Double.NaN;
    out.printf(Locale.ROOT, "  %-12s %s s = %s cores (machine busy time not used by the server or the driver)%n",
        "other CPU", fixed(other, 2), fixed(cores, 2));
    if (cores > 0.1) {
      out.println("!!! other processes used CPU during the window: the numbers above are not clean");
    }
  }

  private static void printErrors(PrintStream out, RunResult r) {
    if (r.errorCount() == 0) {
      out.println("  errors       none");
      return;
    }
    out.println("  errors       " + errorsBy(r.errors(), "  ", "="));
    out.println("!!! " + r.errorCount() + " of " + r.concurrency() + " rotation chains BROKE."
        + " A chain that presents its latest token must never fail: this is a bug (see stderr).");
  }

  private static String errorsBy(Map<String, Long> errors, String separator, String assign) {
    if (errors.isEmpty()) {
      return "none";
    }
    return errors.entrySet().stream()
        .map(e -> e.getKey() + assign + e.getValue())
        .collect(Collectors.joining(separator));
  }

  private static String ms(long nanos) {
    return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
  }

  private static String fixed(double value, int decimals) {
    return Double.isNaN(value) ? "NA" : String.format(Locale.ROOT, "%." + decimals + "f", value);
  }
}
