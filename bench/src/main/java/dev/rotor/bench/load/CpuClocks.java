package dev.rotor.bench.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * CPU time of the server and of the whole machine (from /proc) and of this driver (from the JVM).
 * The machine total lets a report show how much CPU went to neither, i.e. to noisy neighbours such
 * as a concurrent build, which would make the run's numbers unreliable on a 2-core machine.
 */
final class CpuClocks {
  /** Linux's USER_HZ is 100 on every mainstream architecture; used when getconf is unavailable. */
  private static final long DEFAULT_CLOCK_TICKS = 100;

  private static final Path MACHINE_STAT = Path.of("/proc/stat");

  private final Path serverStat;
  private final double ticksPerSecond;
  private final com.sun.management.OperatingSystemMXBean os;

  private CpuClocks(Path serverStat, double ticksPerSecond) {
    this.serverStat = serverStat;
    this.ticksPerSecond = ticksPerSecond;
    this.os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  }

  /** {@code serverPid <= 0} means "not measured". Asks getconf for CLK_TCK once, here. */
  static CpuClocks create(long serverPid) {
    Path stat = serverPid > 0 ? Path.of("/proc", Long.toString(serverPid), "stat") : null;
    return new CpuClocks(stat, clockTicks());
  }

  boolean measuresServer() {
    return serverStat != null;
  }

  double clockTicksPerSecond() {
    return ticksPerSecond;
  }

  /**
   * utime+stime of the whole server process (all threads) in seconds, or NaN when unknown
   * (no pid given, or the process is gone). Resolution is one clock tick, 10 ms at 100 Hz.
   */
  double serverSeconds() {
    if (serverStat == null) {
      return Double.NaN;
    }
    try {
      return parseUserPlusSystemTicks(Files.readString(serverStat, StandardCharsets.US_ASCII)) / ticksPerSecond;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /**
   * Busy time of all CPUs together, in seconds, or NaN when /proc/stat is unreadable: everything
   * but idle and iowait on the aggregate "cpu" line (guest time is already part of user time).
   */
  double machineSeconds() {
    try {
      String stat = Files.readString(MACHINE_STAT, StandardCharsets.US_ASCII);
      return parseMachineBusyTicks(stat.substring(0, stat.indexOf('\n'))) / ticksPerSecond;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** CPU of this JVM, all threads (including JIT and GC), in seconds; nanosecond resolution. */
  double driverSeconds() {
    return os.getProcessCpuTime() / 1e9;
  }

  /**
   * Fields 14 and 15 of /proc/PID/stat. The command name (field 2) may contain spaces and
   * parentheses, so counting starts after its last ')'.
   */
  static long parseUserPlusSystemTicks(String stat) {
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // fields[0] is field 3 (state), so field N is fields[N - 3].
    return Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3]);
  }

  /** "cpu  user nice system idle iowait irq softirq steal guest guest_nice". */
  static long parseMachineBusyTicks(String cpuLine) {
    String[] f = cpuLine.trim().split(" +");
    if (!f[0].equals("cpu")) {
      throw new IllegalArgumentException("not the aggregate cpu line: " + cpuLine);
    }
    long busy = 0;
    for (int i = 1; i <= 8 && i < f.length; i++) {
      if (i != 4 && i != 5) { // idle, iowait
        busy += Long.parseLong(f[i]);
      }
    }
    return busy;
  }

  private static long clockTicks() {
    try {
      Process process = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
      if (process.waitFor(5, TimeUnit.SECONDS) && process.exitValue() == 0) {
        long ticks = Long.parseLong(out);
        return ticks > 0 ? ticks : DEFAULT_CLOCK_TICKS;
      }
      process.destroy();
    } catch (IOException | NumberFormatException e) {
      // Fall through to the default.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return DEFAULT_CLOCK_TICKS;
  }
}
