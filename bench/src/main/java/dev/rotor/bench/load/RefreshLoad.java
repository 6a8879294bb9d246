package dev.rotor.bench.load;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * Load driver for the refresh-token rotation benchmark.
 *
 * <p>Setup signs in {@code --sessions} sessions with the JDK HttpClient. The measured part then runs
 * {@code --concurrency} closed-loop chains on a single-threaded NIO client ({@link RotationLoop}),
 * each chain rotating its own session's refresh token back to back, for {@code --warmup} plus
 * {@code --duration} seconds. Results go to stdout, ending with one {@code RESULT} line.
 *
 * <p>Exit status: 0 on a clean run, 1 for bad usage or a failed setup, 2 when any chain broke.
 */
public final class RefreshLoad {
  private RefreshLoad() {}

  public static void main(String[] args) {
    System.exit(run(Arrays.asList(args)));
  }

  static int run(List<String> args) {
    if (LoadOptions.wantsHelp(args)) {
      LoadOptions.printUsage(System.out);
      return 0;
    }
    try {
      LoadOptions options = LoadOptions.parse(args);
      Target target = Target.parse(options.url());
      CpuClocks cpu = CpuClocks.create(options.serverPid());
      if (cpu.measuresServer() && Double.isNaN(cpu.serverSeconds())) {
        throw new LoadOptions.UsageException("cannot read /proc/" + options.serverPid() + "/stat");
      }
      System.out.println("RefreshLoad " + options);
      List<TokenBuffer> sessions = signIn(target, options);
      RunResult result = new RotationLoop(options, target, cpu, sessions).run();
      Report.print(System.out, result, options, cpu);
      return result.errorCount() == 0 ? 0 : 2;
    } catch (LoadOptions.UsageException e) {
      System.err.println("error: " + e.getMessage());
      LoadOptions.printUsage(System.err);
      return 1;
    } catch (SignIn.SetupException | IOException e) {
      System.err.println("error: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      System.err.println("error: interrupted");
      return 1;
    }
  }

  private static List<TokenBuffer> signIn(Target target, LoadOptions options)
      throws SignIn.SetupException, InterruptedException {
    long start = System.nanoTime();
    List<TokenBuffer> sessions = new SignIn(target, options).signIn(options.sessions(), options.signInParallelism());
    System.out.printf("signed in %d sessions in %.1f s%n", sessions.size(), (System.nanoTime() - start) / 1e9);
    return sessions;
  }
}
