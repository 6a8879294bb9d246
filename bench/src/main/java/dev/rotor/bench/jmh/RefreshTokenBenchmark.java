package dev.rotor.bench.jmh;

import dev.rotor.session.RefreshTokenCodec;
import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-refresh token work outside the database: checking the presented token (base64url, HMAC) and computing
 * its successor.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class RefreshTokenBenchmark {
    @Param({"native", "jdk"})
    String provider;

    private RefreshTokenCodec codec;
    private String family;
    private String presented;

    @Setup
    public void setup() {
        Providers.use(provider);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        codec = new RefreshTokenCodec(key);
        family = UUID.randomUUID().toString();
        presented = codec.issue(family, 41);
    }

    @Benchmark
    public Object parsePresented() {
        return codec.parse(presented);
    }

    @Benchmark
    public String issueSuccessor() {
        return codec.issue(family, 42);
    }
}
