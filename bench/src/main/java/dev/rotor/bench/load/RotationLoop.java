package dev.rotor.bench.load;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The measured loop: one thread, one Selector, one keep-alive connection per chain, one request in
 * flight per chain. Each chain presents its latest refresh token, reads the rotated one from the
 * response and immediately sends the next request (closed loop, no think time).
 *
 * <p>Single-threaded NIO keeps the driver's CPU per request small so that, on a machine shared
 * with the server, the driver takes as little as possible from what is being measured.
 *
 * <p>Any failure (non-200, timeout, I/O error, unparseable response) stops that chain for good:
 * after an unknown outcome the chain can no longer know which token is current, and a broken
 * rotation chain is exactly what the benchmark must surface.
 */
final class RotationLoop {
  private static final int MAX_RESPONSE_BYTES = 1 << 20;
  /** How often deadlines are checked; also the longest a select() blocks. */
  private static final long DEADLINE_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  private static final int MAX_LOGGED_FAILURES = 10;

  private final LoadOptions options;
  private final Target target;
  private final RequestTemplate template;
  private final CpuClocks cpu;
  private final Chain[] chains;
  private final long connectTimeoutNanos;
  private final long requestTimeoutNanos;
  private final long slowNanos;
  /** Slow requests (send time in epoch ms, latency in ns), printed after the run so as not to disturb it. */
  private final List<long[]> slow = new ArrayList<>();

  private final LatencyHistogram latencies = new LatencyHistogram();
  private final Map<String, Long> errors = new TreeMap<>();
  private Selector selector;
  private int alive;
  private int loggedFailures;
  private long reconnects;
  private long warmupCompleted;
  private long measuredCompleted;

  private boolean measuring;
  private long windowStart;
  private double serverCpuAtStart;
  private double driverCpuAtStart;
  private double machineCpuAtStart;

  RotationLoop(LoadOptions options, Target target, CpuClocks cpu, List<TokenBuffer> sessions) {
    this.options = options;
    this.target = target;
    this.template = new RequestTemplate(target, options.clientId());
    this.cpu = cpu;
    this.chains = new Chain[options.concurrency()];
    for (int i = 0; i < chains.length; i++) {
      chains[i] = new Chain(i, sessions.get(i));
    }
    this.connectTimeoutNanos = TimeUnit.SECONDS.toNanos(options.connectTimeoutSeconds());
    this.requestTimeoutNanos = TimeUnit.SECONDS.toNanos(options.requestTimeoutSeconds());
    this.slowNanos = options.slowMillis() > 0 ? TimeUnit.MILLISECONDS.toNanos(options.slowMillis()) : Long.MAX_VALUE;
  }

  RunResult run() throws IOException {
    try (Selector opened = Selector.open()) {
      selector = opened;
      long start = System.nanoTime();
      long warmupEnd = start + TimeUnit.SECONDS.toNanos(options.warmupSeconds());
      long runEnd = warmupEnd + TimeUnit.SECONDS.toNanos(options.durationSeconds());
      alive = chains.length;
      for (Chain chain : chains) {
        connect(chain, start);
      }
      long now = loop(warmupEnd, runEnd);
      if (!measuring) {
        openWindow(now); // every chain died during warmup: report an empty window
      }
      return closeWindow(System.nanoTime());
    } finally {
      for (Chain chain : chains) {
        closeQuietly(chain);
      }
    }
  }

  /** Runs until {@code runEnd} or until no chain is alive; returns the time it stopped. */
  private long loop(long warmupEnd, long runEnd) throws IOException {
    long nextDeadlineCheck = System.nanoTime() + DEADLINE_CHECK_NANOS;
    while (true) {
      long now = System.nanoTime();
      if (!measuring && now >= warmupEnd) {
        openWindow(now);
      }
      if (now >= runEnd || alive == 0) {
        return now;
      }
      if (now >= nextDeadlineCheck) {
        expireDeadlines(now);
        nextDeadlineCheck = now + DEADLINE_CHECK_NANOS;
      }
      long wakeAt = Math.min(nextDeadlineCheck, measuring ? runEnd : warmupEnd);
      selector.select(this::onReady, Math.max(1, TimeUnit.NANOSECONDS.toMillis(wakeAt - now + 999_999)));
    }
  }

  private void onReady(SelectionKey key) {
    Chain chain = (Chain) key.attachment();
    try {
      if (key.isConnectable()) {
        finishConnect(chain);
      } else if (key.isWritable()) {
        flush(chain);
      } else if (key.isReadable()) {
        read(chain);
      }
    } catch (IOException e) {
      fail(chain, chain.state == Chain.State.CONNECTING ? "connect" : "io", e.toString());
    }
  }

  private void connect(Chain chain, long now) {
    chain.state = Chain.State.CONNECTING;
    chain.deadline = now + connectTimeoutNanos;
    try {
      SocketChannel channel = SocketChannel.open();
      chain.channel = channel;
      channel.configureBlocking(false);
      // One small write per request: never let Nagle hold it back waiting for an ACK.
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      boolean connected = channel.connect(target.address());
      chain.key = channel.register(selector, connected ? 0 : SelectionKey.OP_CONNECT, chain);
      if (connected) {
        send(chain);
      }
    } catch (IOException e) {
      fail(chain, "connect", e.toString());
    }
  }

  private void finishConnect(Chain chain) throws IOException {
    if (chain.channel.finishConnect()) {
      send(chain);
    }
  }

  private void send(Chain chain) throws IOException {
    int needed = template.maxSize(chain.token.length());
    if (chain.out.capacity() < needed) {
      chain.out = ByteBuffer.allocate(needed);
    }
    template.write(chain.out, chain.token);
    chain.in.clear();
    chain.parser.reset();
    chain.state = Chain.State.WRITING;
    chain.sentAt = System.nanoTime();
    chain.deadline = chain.sentAt + requestTimeoutNanos;
    flush(chain);
  }

  private void flush(Chain chain) throws IOException {
    chain.channel.write(chain.out);
    if (chain.out.hasRemaining()) {
      setInterest(chain, SelectionKey.OP_WRITE);
    } else {
      chain.state = Chain.State.READING;
      setInterest(chain, SelectionKey.OP_READ);
    }
  }

  /**
   * One read per readiness event: a response normally arrives in one segment, and the selector is
   * level-triggered, so an extra read just to see 0 bytes would only cost a syscall.
   */
  private void read(Chain chain) throws IOException {
    while (true) {
      int n = chain.channel.read(chain.in);
      if (n < 0) {
        onEof(chain);
        return;
      }
      ResponseParser.Outcome outcome = chain.parser.parse(chain.in.array(), chain.in.position());
      switch (outcome) {
        case COMPLETE -> onResponse(chain, chain.in.position());
        case MALFORMED -> fail(chain, "malformed", snippet(chain, 0, chain.in.position()));
        case CHUNKED -> fail(chain, "chunked", "Transfer-Encoding responses are not supported");
        case NEED_MORE -> {
          if (!chain.in.hasRemaining() && grow(chain)) {
            continue; // the buffer was full: more may be waiting
          }
        }
      }
      return;
    }
  }

  private void onEof(Chain chain) {
    if (chain.parser.onEof() == ResponseParser.Outcome.COMPLETE) {
      onResponse(chain, chain.in.position());
    } else {
      fail(chain, "eof", "connection closed after " + chain.in.position() + " response bytes");
    }
  }

  private boolean grow(Chain chain) {
    int capacity = chain.in.capacity();
    if (capacity >= MAX_RESPONSE_BYTES) {
      fail(chain, "too_large", "response exceeds " + MAX_RESPONSE_BYTES + " bytes");
      return false;
    }
    ByteBuffer bigger = ByteBuffer.allocate(capacity * 2);
    chain.in.flip();
    bigger.put(chain.in);
    chain.in = bigger;
    return true;
  }

  private void onResponse(Chain chain, int length) {
    long latency = System.nanoTime() - chain.sentAt;
    ResponseParser parser = chain.parser;
    if (parser.status() != 200) {
      fail(chain, Integer.toString(parser.status()), snippet(chain, parser.bodyStart(), length));
      return;
    }
    if (!chain.token.replaceFrom(chain.in.array(), parser.bodyStart(), length)) {
      fail(chain, "no_token", snippet(chain, parser.bodyStart(), length));
      return;
    }
    chain.rotations++;
    if (measuring) {
      if (latency > slowNanos) slow.add(new long[] {System.currentTimeMillis() - latency / 1_000_000, latency});
      latencies.record(latency);
      measuredCompleted++;
    } else {
      warmupCompleted++;
    }
    if (parser.connectionClose()) {
      reconnect(chain);
    } else {
      try {
        send(chain);
      } catch (IOException e) {
        fail(chain, "io", e.toString());
      }
    }
  }

  /** The server asked to close (or the body ran to EOF): continue the chain on a new connection. */
  private void reconnect(Chain chain) {
    closeQuietly(chain);
    reconnects++;
    connect(chain, System.nanoTime());
  }

  private void expireDeadlines(long now) {
    for (Chain chain : chains) {
      if (chain.alive() && now - chain.deadline > 0) {
        boolean connecting = chain.state == Chain.State.CONNECTING;
        fail(chain, connecting ? "connect_timeout" : "timeout",
            "no " + (connecting ? "connection" : "response") + " within the deadline");
      }
    }
  }

  private void fail(Chain chain, String kind, String detail) {
    if (!chain.alive()) {
      return;
    }
    errors.merge(kind, 1L, Long::sum);
    if (loggedFailures++ < MAX_LOGGED_FAILURES) {
      System.err.printf("!!! CHAIN %d BROKE during %s after %d rotations: %s: %s%n",
          chain.id, measuring ? "measurement" : "warmup", chain.rotations, kind, detail);
    }
    closeQuietly(chain);
    chain.state = Chain.State.DEAD;
    alive--;
  }

  private static void setInterest(Chain chain, int ops) {
    // interestOps() is cheap to read but changing it costs an epoll_ctl: only change when needed.
    if (chain.key.interestOps() != ops) {
      chain.key.interestOps(ops);
    }
  }

  private static void closeQuietly(Chain chain) {
    if (chain.key != null) {
      chain.key.cancel();
      chain.key = null;
    }
    if (chain.channel != null) {
      try {
        chain.channel.close();
      } catch (IOException e) {
        // Nothing useful to do: the chain is being dropped or reconnected.
      }
      chain.channel = null;
    }
  }

  private static String snippet(Chain chain, int from, int to) {
    return SignIn.snippet(chain.in.array(), from, to);
  }

  private void openWindow(long now) {
    measuring = true;
    windowStart = now;
    serverCpuAtStart = cpu.serverSeconds();
    driverCpuAtStart = cpu.driverSeconds();
    machineCpuAtStart = cpu.machineSeconds();
  }

  private RunResult closeWindow(long now) {
    double serverCpu = cpu.serverSeconds() - serverCpuAtStart;
    double driverCpu = cpu.driverSeconds() - driverCpuAtStart;
    double machineCpu = cpu.machineSeconds() - machineCpuAtStart;
    int stillAlive = 0;
    for (Chain chain : chains) {
      stillAlive += chain.alive() ? 1 : 0;
    }
    for (long[] request : slow) {
      System.err.printf("slow %d %.1f%n", request[0], request[1] / 1e6);
    }
    return new RunResult(options.concurrency(), options.sessions(), (now - windowStart) / 1e9,
        measuredCompleted, warmupCompleted, latencies, Collections.unmodifiableMap(errors), stillAlive, reconnects,
        serverCpu, driverCpu, machineCpu);
  }
}
