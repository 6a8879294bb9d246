package dev.rotor.bench.load;

import java.util.Map;

/** Everything one load run measured; CPU values are NaN when not measured. */
record RunResult(
    int concurrency,
    int sessions,
    double windowSeconds,
    long completed,
    long warmupCompleted,
    LatencyHistogram latencies,
    Map<String, Long> errors,
    int chainsAlive,
    long reconnects,
    double serverCpuSeconds,
    double driverCpuSeconds,
    double machineCpuSeconds) {

  long errorCount() {
    return errors.values().stream().mapToLong(Long::longValue).sum();
  }

  double throughput() {
    return windowSeconds > 0 ? completed / windowSeconds : 0;
  }

  /**
   * CPU used by anything but the server and this driver during the window (NaN without a server
   * pid). Clearly above zero means the measurement shared the machine with other work.
   */
  double otherCpuSeconds() {
    return Math.max(0, machineCpuSeconds - serverCpuSeconds - driverCpuSeconds);
  }

  /** CPU milliseconds per completed request in the measured window; NaN when undefined. */
  double msPerRequest(double cpuSeconds) {
    return completed > 0 ? cpuSeconds * 1000 / completed : Double.NaN;
  }
}
