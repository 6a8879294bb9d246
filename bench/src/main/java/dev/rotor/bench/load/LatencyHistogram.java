package dev.rotor.bench.load;

/**
 * Fixed-size log-linear latency histogram in nanoseconds, in the spirit of HdrHistogram: values
 * below 256 ns are exact, above that each power of two is split into 128 equal buckets, so a
 * reported value is within 1/128 (< 0.8%) of the true one. Recording is a few shifts and one array
 * increment; memory is fixed (~36 KB) whatever the run length. The maximum is kept exactly.
 */
final class LatencyHistogram {
  private static final int SUB_BITS = 7;
  private static final int SUB_COUNT = 1 << SUB_BITS;
  /** Values above 2^40 ns (~18 min) are clamped; the request timeout is far below that. */
  private static final int MAX_MSB = 40;
  private static final long MAX_VALUE = (1L << (MAX_MSB + 1)) - 1;

  private final long[] counts = new long[index(MAX_VALUE) + 1];
  private long total;
  private long max;
  private long sum;

  void record(long nanos) {
    long value = Math.min(Math.max(nanos, 0), MAX_VALUE);
    counts[index(value)]++;
    total++;
    sum += value;
    max = Math.max(max, value);
  }

  /** Adds every value {@code other} recorded (histograms of several threads, merged after the run). */
  void add(LatencyHistogram other) {
    for (int i = 0; i < counts.length; i++) {
      counts[i] += other.counts[i];
    }
    total += other.total;
    sum += other.sum;
    max = Math.max(max, other.max);
  }

  long count() {
    return total;
  }

  long maxNanos() {
    return max;
  }

  double meanNanos() {
    return total == 0 ? 0 : (double) sum / total;
  }

  /**
   * The smallest recorded-bucket upper bound below which {@code percentile}% of values fall
   * (nearest-rank), capped by the exact maximum.
   */
  long percentileNanos(double percentile) {
    if (total == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(percentile / 100.0 * total));
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return Math.min(highestInBucket(i), max);
      }
    }
    return max;
  }

  /** Bucket index: the value's top SUB_BITS+1 bits plus how far they were shifted. */
  static int index(long value) {
    int msb = 63 - Long.numberOfLeadingZeros(value | 1);
    int shift = Math.max(0, msb - SUB_BITS);
    return (shift << SUB_BITS) + (int) (value >>> shift);
  }

  static long highestInBucket(int index) {
    if (index < 2 * SUB_COUNT) {
      return index;
    }
    int shift = (index >> SUB_BITS) - 1;
    long mantissa = index - ((long) shift << SUB_BITS);
    return (mantissa << shift) + (1L << shift) - 1;
  }
}
