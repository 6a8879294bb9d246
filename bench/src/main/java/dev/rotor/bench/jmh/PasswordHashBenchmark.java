package dev.rotor.bench.jmh;

import dev.rotor.account.PasswordHasher;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One Argon2id verification at the OWASP parameters (m=19 MiB, t=2, p=1), the floor under every sign-in. Run
 * with {@code -t 2} for what two cores allow, the ceiling the HTTP sign-in rate is compared with.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class PasswordHashBenchmark {
    private PasswordHasher hasher;
    private String stored;

    @Setup
    public void setup() {
        // As the server configures it by default: one hash per core at once.
        hasher = new PasswordHasher(new PasswordHasher.Params(19456, 2, 1), Runtime.getRuntime().availableProcessors(), 60_000,
                new SecureRandom());
        stored = hasher.hash("correct horse battery staple");
    }

    @Benchmark
    public boolean verify() {
        return hasher.verify("correct horse battery staple", stored);
    }
}
